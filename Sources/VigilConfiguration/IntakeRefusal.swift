import Foundation

/// Why a dropped entry was refused without being ingested.
public enum IntakeRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// A symbolic link (never followed).
    case symlink
    /// A hard link to a file with other names.
    case hardLink(links: Int)
    /// Not a regular file: a FIFO, device, socket or directory.
    case notRegular(kind: String)
    /// Larger than the configured limit (`size` is what was seen: at least that many bytes).
    case oversized(size: Int, limit: Int)
    /// Within the limit by its size, yet more than the limit when read (a file still growing, or
    /// one whose size says 0, as /proc's do): reading stopped past the limit and nothing read was
    /// used (review helper-39: it read "it was not read").
    case overLimitWhenRead(limit: Int)
    /// A sparse file: its length includes holes that take no disk space (the copy would).
    case sparse
    /// It changed (size, modification time or length read) while it was being copied.
    case changed
    /// Another entry took its name between the check and the claim.
    case replaced
    /// Its name is not valid UTF-8.
    case nameNotUTF8
    /// Processing it failed or was cut short (a crash, the watchdog) on every allowed attempt.
    case attemptsExhausted(attempts: Int)
    /// It vanished or could not be opened or read.
    case unreadable(String)

    /// Whether the entry was refused without its content being read.
    public var leftUnread: Bool {
        switch self {
        case .changed, .replaced, .attemptsExhausted, .overLimitWhenRead: return false
        case .symlink, .hardLink, .notRegular, .oversized, .sparse, .nameNotUTF8, .unreadable: return true
        }
    }

    /// The reason, for receipts and the journal.
    public var description: String {
        switch self {
        case .symlink: return "it is a symbolic link; links are never followed: copy the file itself"
        case .hardLink(let n): return "it is a hard link (\(n) names for one file); drop a file of its own"
        case .notRegular(let kind): return "it is a \(kind), not a regular file"
        case .oversized(let size, let limit): return "it is \(size) bytes or more, over the limit of \(limit) bytes"
        case .overLimitWhenRead(let limit):
            return
                "it is over the limit of \(limit) bytes: it grew, or said it was smaller, while it was read; nothing read was used"
        case .sparse: return "it is a sparse file (it has holes); write the file out in full and drop it again"
        case .changed: return "it changed while it was being read; drop it again once it is complete (write, then rename)"
        case .replaced: return "another entry took its name while it was being taken; drop it again"
        case .nameNotUTF8: return "its name is not valid UTF-8; rename it with letters, digits, '-', '_' and '.'"
        case .attemptsExhausted(let n):
            return
                "processing it failed or was cut short \(n) times; it was set aside for IT to examine (quote this receipt)"
        case .unreadable(let why): return "it could not be read (\(why))"
        }
    }
}
