import VigilCore
import VigilStore

/// The digest's first page: where the board stands, priority by priority, in words and colour;
/// the most important live alerts; what changed since the last digest; how fresh each partner's
/// data is.
public struct DigestCover: Sendable {
    /// A priority's standing, as a RAG rating a board reads at a glance.
    public enum Standing: String, Sendable, CaseIterable {
        /// A critical alert is live.
        case red
        /// A warning is live (no critical).
        case amber
        /// Monitored and quiet (at most information alerts live).
        case green
        /// Not monitored (no rule watches it), no data in the window, or quiet with fewer than half
        /// its rules able to judge the window's figures: never read as all clear.
        case grey

        /// The standing in words.
        public var words: String {
            switch self {
            case .red: return "Red: a critical alert is live"
            case .amber: return "Amber: a warning is live"
            case .green: return "Green: monitored, no warning live"
            case .grey: return "Grey: not monitored"
            }
        }
    }

    /// One priority's line.
    public struct Line: Sendable {
        /// The priority.
        public var priority: Priority
        /// Its standing.
        public var standing: Standing
        /// Why grey, in words ("no rule watches it", "no data in the window"); nil otherwise.
        public var greyReason: String?
        /// Live alerts by severity (critical, warning, information).
        public var live: (critical: Int, warning: Int, info: Int)
        /// Alerts closed (resolved or retracted) in the window.
        public var closed: Int
        /// What the priority's rules could not judge in the window.
        public var judgement = Digest.Judgement()
    }

    /// A partner's data freshness.
    public struct Freshness: Sendable {
        /// The partner's name.
        public var partner: String
        /// When its last file was received (words), or nil if none.
        public var lastFile: String?
        /// Each feed it supplies that has data: the indicator's title, its latest period, and
        /// whether an overdue alert is live for it.
        public var feeds: [(title: String, latest: Period, late: Bool)]
        /// Indicators it supplies with no data at all.
        public var missing: Int
    }

    /// Per priority, in the board's order.
    public var lines: [Line]
    /// The three most important live alerts, one line each.
    public var topAlerts: [String]
    /// Changes since the last digest in words, or nil for the first digest.
    public var sinceLast: String?
    /// Per partner, in catalogue order.
    public var freshness: [Freshness]
}
