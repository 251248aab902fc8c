/// The result of parsing one aggregate feed file: its observations, or every error found.
public struct ParsedFeed: Sendable {
    /// The file's path as given.
    public var file: String
    /// SHA-256 of the file's bytes (lowercase hex).
    public var sha256: String
    /// The partner that supplied it, if known.
    public var partner: String?
    /// Valid observations (only meaningful when `errors` is empty: a file is accepted or rejected whole).
    public var observations: [Observation] {
        didSet { (indicators, periods) = Self.contents(of: observations) }
    }
    /// Every error found, in file order.
    public var errors: [VigilError]
    /// Data rows read (excluding header and comments).
    public var rows: Int
    /// How many errors were found (`errors` lists at most 200 of them).
    public var errorCount: Int = 0
    /// The record-level extract definition the file was read as, if it was one (its bytes may
    /// hold child identifiers: such files are kept only as long as `retention.record_files`).
    public var recordFeed: String?
    /// The file's own SHA-256 when `sha256` is its published, keyed identity (an extract or a
    /// rejected file: `Ingestor.published`), so the store can tell it is the same bytes as a copy
    /// recorded under the plain one. Never published.
    public var plainSHA256: String?

    /// Creates a parsed feed.
    public init(file: String, sha256: String, partner: String?, observations: [Observation], errors: [VigilError], rows: Int) {
        self.file = file
        self.sha256 = sha256
        self.partner = partner
        self.observations = observations
        (indicators, periods) = Self.contents(of: observations)
        self.errors = errors
        self.rows = rows
    }

    /// Whether the file is accepted (no errors).
    public var isAccepted: Bool { errors.isEmpty }

    /// Whether Vigil publishes this file under a keyed identity, never its SHA-256: a
    /// record-level extract (its rows may be guessed) or a file rejected by the parser (it may be
    /// an extract the parser did not take as one). `Ingestor.published` keys it; `vigil check`,
    /// which has no key, shows no identity for it (review helper-51).
    public var isPublishedKeyed: Bool { recordFeed != nil || !isAccepted }

    /// Distinct indicators in the file, sorted.
    public private(set) var indicators: [String]

    /// Distinct periods in the file, sorted.
    public private(set) var periods: [Period]

    /// Both lists, found once whenever the observations are set: the receipt, its JSON line, the
    /// store and the intake each read them (a 1,000-row file's receipts read them seven times).
    private static func contents(of observations: [Observation]) -> (indicators: [String], periods: [Period]) {
        var indicators = Set<String>()
        var periods = Set<Period>()
        // Rows mostly repeat the indicator and period of the row before: those are not hashed again.
        var lastIndicator: String?
        var lastPeriod: Period?
        for observation in observations {
            if observation.series.indicator != lastIndicator {
                indicators.insert(observation.series.indicator)
                lastIndicator = observation.series.indicator
            }
            if observation.period != lastPeriod {
                periods.insert(observation.period)
                lastPeriod = observation.period
            }
        }
        return (indicators.sorted(), periods.sorted())
    }
}
