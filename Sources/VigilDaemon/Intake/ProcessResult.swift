import VigilCore

/// What became of one dropped file the daemon took: the store's outcome, or why it never got there.
public enum ProcessResult: String, Sendable, Hashable {
    /// Its values were stored.
    case accepted
    /// It had errors; nothing was stored.
    case rejected
    /// The partner had already sent the same contents.
    case duplicate
    /// Refused unread or set aside (not a regular file, too large, attempts exhausted).
    case refused
    /// Processing failed; the file stays claimed and is retried at restart.
    case failed

    /// The result for a store outcome.
    public init(_ status: IngestOutcome.Status) {
        switch status {
        case .accepted: self = .accepted
        case .rejected: self = .rejected
        case .duplicate: self = .duplicate
        }
    }
}
