import VigilCore

/// Why vigild could not start, and the exit status that tells systemd whether trying again can
/// help. The unit restarts vigild after a failure unless it exits 78 (`RestartPreventExitStatus=78`),
/// so 78 (`EX_CONFIG`) is kept for what only IT can mend: the configuration and the folders'
/// owners and modes. Anything else (a store another process holds, a disk that is full, a watch
/// that could not be made) exits 75 (`EX_TEMPFAIL`) and is retried: were a busy store 78, whoever
/// held its lock at one start would keep the service down until IT noticed (review helper-21).
public struct StartFailure: Error, CustomStringConvertible {
    /// `EX_CONFIG`: the configuration or the tree is wrong; a restart cannot help.
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

    /// 78 when every error is the configuration's (`config.invalid`, `rule.invalid`), else 75.
    public static func exitStatus(for error: any Error) -> Int32 {
        let codes: [VigilError.Code]
        switch error {
        case let error as VigilError: codes = [error.code]
        case let errors as VigilErrors: codes = errors.errors.map(\.code)
        default: return temporary
        }
        let mendedByIT: Set<VigilError.Code> = [.config, .rule]
        return !codes.isEmpty && codes.allSatisfy(mendedByIT.contains) ? configuration : temporary
    }
}
