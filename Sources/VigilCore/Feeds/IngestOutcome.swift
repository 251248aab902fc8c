/// What happened to one file.
public struct IngestOutcome: Sendable, Hashable {
    /// accepted, rejected or duplicate.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Its observations were stored.
        case accepted
        /// It had errors; nothing was stored.
        case rejected
        /// A file with the same SHA-256 was already processed.
        case duplicate
    }

    /// The outcome.
    public var status: Status
    /// The file's SHA-256.
    public var sha256: String
    /// Observations new to the store.
    public var added: Int
    /// Observations that revised an earlier value.
    public var revised: Int
    /// Observations identical to the stored value.
    public var unchanged: Int
    /// The errors, when rejected.
    public var errors: [VigilError]
    /// Alert events the file caused.
    public var events: [AlertEvent]
    /// The first `listedRevisions` values the file revised, each with the value it replaced, for
    /// the receipt (review helper-34: a typo that made a two-year-old month ten times larger
    /// retracted two live alerts, and the receipt said only "1 revised").
    public var revisions: [Revision] = []

    /// How many revisions a receipt lists (the count of all is `revised`).
    public static let listedRevisions = 20

    /// One revised value: what was stored, and what the file put in its place.
    public struct Revision: Sendable, Hashable {
        /// The series.
        public var series: SeriesKey
        /// The period.
        public var period: Period
        /// The value stored before.
        public var from: ObservedValue
        /// The value the file sent.
        public var to: ObservedValue

        /// Creates a revision.
        public init(series: SeriesKey, period: Period, from: ObservedValue, to: ObservedValue) {
            self.series = series
            self.period = period
            self.from = from
            self.to = to
        }
    }

    /// Creates an outcome.
    public init(
        status: Status, sha256: String, added: Int = 0, revised: Int = 0, unchanged: Int = 0, errors: [VigilError] = [],
        events: [AlertEvent] = []
    ) {
        self.status = status
        self.sha256 = sha256
        self.added = added
        self.revised = revised
        self.unchanged = unchanged
        self.errors = errors
        self.events = events
    }
}
