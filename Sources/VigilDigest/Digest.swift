import VigilCore
import VigilStore

/// A digest for board chairs: what is new, what persists, what resolved or was retracted, by priority.
public struct Digest: Sendable {
    /// An alert's place in the digest.
    public enum Status: String, Sendable, CaseIterable {
        /// Fired within the window and live at its end.
        case new
        /// Fired before the window and still firing.
        case persisting
        /// Resolved within the window (whenever it fired).
        case resolved
        /// Retracted within the window.
        case retracted

        /// For the chair: "New", "Continuing", "Resolved", "Withdrawn" (its timeline says why).
        public var words: String {
            switch self {
            case .new: return "New"
            case .persisting: return "Continuing"
            case .resolved: return "Resolved"
            case .retracted: return "Withdrawn"
            }
        }
    }

    /// One alert as the digest shows it.
    public struct Item: Sendable {
        /// Where it sits.
        public var status: Status
        /// The alert.
        public var record: AlertRecord
        /// The evidence shown: the current evidence while firing, else the firing event.
        public var evidence: AlertEvent
        /// The event that closed it (resolved/retracted), if any.
        public var closing: AlertEvent?
        /// The latest acknowledgement.
        public var acknowledgement: Acknowledgement?
        /// Whether it got worse since it was acknowledged.
        public var worsenedSinceAcknowledged: Bool
        /// Its chart.
        public var chart: ChartData
        /// A breakdown table at the alert's period, when the indicator has breakdowns.
        public var breakdown: BreakdownTable?
        /// Earlier episodes of the same alert (rule and series) in the window that are counted
        /// here instead of shown (`Digest.episodesShown`).
        public var earlierEpisodes: Int = 0
        /// The partners whose returns the figures come from (a derived indicator's: its
        /// inputs'), by name: whom the board asks (review helper-54: a suggested action often
        /// named nobody).
        public var suppliedBy: [String] = []
        /// A `band` rule's expected range (either end may be open), said whole on the card
        /// (review helper-54: "outside the expected range that ends at 28.0%").
        public var expectedRange: (low: Double?, high: Double?)?
    }

    /// Episodes of one alert (a rule on one series) shown in full: the live one first, then the
    /// latest closed ones; the rest are counted on the first. A partner's values alternating
    /// across a level for years once made 2,000 cards.
    public static let episodesShown = 3

    /// One priority's alerts.
    public struct Section: Sendable {
        /// The priority.
        public var priority: Priority
        /// Alerts severest first, then by status (new, continuing, resolved, withdrawn).
        public var items: [Item]
        /// Whether any rule watches this priority: one that none does is "not monitored", never
        /// shown as all clear.
        public var isMonitored: Bool = true
        /// What its rules could not judge in the window.
        public var judgement = Judgement()
        /// Count by status.
        public func count(_ status: Status) -> Int { items.filter { $0.status == status }.count }
    }

    /// The input's title.
    public var title: String
    /// The window.
    public var window: DigestWindow
    /// When generated.
    public var generatedAt: String
    /// The date the figures were judged at: what is overdue and what is live are as at this date,
    /// which a paper for an earlier window can be long after (review helper-54: "320 days overdue"
    /// in a paper for July to September 2012 with no date to read it against).
    public var judgedAt: CivilDate
    /// Sections in priority order (every selected priority, even when empty).
    public var sections: [Section]
    /// Overdue feeds per partner.
    public var overdueByPartner: [(partner: String, count: Int)]
    /// Files rejected per partner in the window.
    public var rejectedByPartner: [Rejected]
    /// The first page.
    public var cover: DigestCover
    /// Whether small numbers are suppressed.
    public var suppressSmall: Bool
    /// Filters, for the header.
    public var filters: String
    /// The disclosure control every part of the digest shows its figures through, decided once
    /// from the whole dataset.
    public var control: DisclosureControl
}
