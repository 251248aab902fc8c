import Foundation
import VigilCore

/// Why vigild could not start, and the exit status that tells systemd whether trying again can
/// help. The unit restarts vigild after a failure unless it exits 78 (`RestartPreventExitStatus=78`),
/// and has no start limit (a limit would let a partner's poison files, each costing a restart,
/// stop the service). So 75 (`EX_TEMPFAIL`, retried every `RestartSec=`) is kept for what can
/// pass by itself: the store held by another process (a restore, a second vigild), a full disk
/// (a partner can fill it; space is freed), too many open files or too little memory. Everything
/// else, the configuration, the folders, a store vigild may not open or cannot read, exits 78 and
/// waits for IT, as `systemctl --failed` shows (reviews helper-21 and helper-22: every failure
/// was 78, so whoever held the store's lock at one start kept the service down; then every
/// failure but the configuration's was 75, so a missing configuration file or a corrupt store
/// restarted for ever without ever showing as failed).
public struct StartFailure: Error, CustomStringConvertible {
    /// `EX_CONFIG`: only IT can mend it; a restart cannot help.
    public static let configuration: Int32 = 78
    /// `EX_TEMPFAIL`: a restart may succeed.
    public static let temporary: Int32 = 75

    /// What went wrong.
    public var description: String
    /// The exit status vigild ends with.
    public var exitStatus: Int32

    /// The failure `error` describes.
    public init(_ error: any Error) {
        description = "\(error)"
        exitStatus = StartFailure.exitStatus(for: error)
    }

    /// Causes that pass by themselves, as the system words them.
    static let passing = [
        "database or disk is full", "No space left on device", "Disk quota exceeded", "Too many open files",
        "Cannot allocate memory", "out of memory",
    ]

    /// 75 when the failure can pass by itself (`store.locked`, or a cause in `passing`), else 78.
    public static func exitStatus(for error: any Error) -> Int32 {
        let errors: [any Error] = (error as? VigilErrors)?.errors ?? [error]
        for error in errors {
            if let vigil = error as? VigilError, vigil.code == .storeLocked { return temporary }
            let posix = error as NSError
            if posix.domain == "vigild" || posix.domain == NSPOSIXErrorDomain,
                [ENOSPC, EDQUOT, EMFILE, ENFILE, ENOMEM].contains(Int32(posix.code))
            {
                return temporary
            }
            let text = "\(error)"
            if passing.contains(where: { text.contains($0) }) { return temporary }
        }
        return configuration
    }
}
