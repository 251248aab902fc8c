/// A journal entry's `PRIORITY`: syslog's levels, 0 (emergency) to 7 (debug).
public enum JournalPriority: Int, Sendable, CaseIterable {
    /// The system is unusable.
    case emergency = 0
    /// Act at once.
    case alert = 1
    /// A critical condition: a critical alert.
    case critical = 2
    /// An error: a configuration refused.
    case error = 3
    /// A warning: a warning alert, a rejected file.
    case warning = 4
    /// Normal but significant: a configuration reloaded.
    case notice = 5
    /// Informational: a file accepted, an alert resolved.
    case info = 6
    /// Debugging.
    case debug = 7
}
