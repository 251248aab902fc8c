import VigilCore
import VigilStore

/// Which alerts a digest covers.
public enum DigestWindow: Sendable, Equatable, CustomStringConvertible {
    /// Events about data periods ending within [from, to] (`--period 2013-Q1`, `--from/--to`).
    case dataPeriods(from: CivilDate, to: CivilDate)
    /// Events recorded after `since` (nil: everything) up to the digest's generation (`--since last`).
    case recorded(since: String?)

    /// For people: "data periods 2013-01-01 to 2013-03-31" or "since 2013-04-30T10:00:00Z".
    public var description: String {
        switch self {
        case .dataPeriods(let from, let to): return "data periods ending between \(from) and \(to)"
        case .recorded(let since):
            return since.map { "alerts recorded since the last digest (\($0))" } ?? "all alerts recorded so far"
        }
    }
}

/// Everything a digest is built from; gathered by the caller (from the store), so building is pure.
public struct DigestInput: Sendable {
    /// The catalogue.
    public var catalogue: Catalogue
    /// The rules.
    public var rules: [Rule]
    /// Current supplied data (derived indicators are computed when the digest is built).
    public var dataset: Dataset
    /// Every alert record.
    public var records: [AlertRecord]
    /// The event log.
    public var events: [RecordedEvent]
    /// Acknowledgements.
    public var acknowledgements: [Acknowledgement]
    /// Processed files.
    public var files: [FileRecord]
    /// The window.
    public var window: DigestWindow
    /// Only these priorities (empty: all).
    public var priorities: [Int]
    /// Only alerts on indicators these partners supply (empty: all).
    public var partners: [String]
    /// Render counts 1–5 as `c`, with secondary suppression.
    public var suppressSmall: Bool
    /// Generation time (ISO 8601).
    public var generatedAt: String
    /// The evaluation date (for charts' findings).
    public var date: CivilDate
    /// The digest's title, e.g. the board's name.
    public var title: String

    /// Creates an input.
    public init(
        catalogue: Catalogue, rules: [Rule], dataset: Dataset, records: [AlertRecord], events: [RecordedEvent],
        acknowledgements: [Acknowledgement], files: [FileRecord], window: DigestWindow, priorities: [Int] = [],
        partners: [String] = [],
        suppressSmall: Bool = false, generatedAt: String, date: CivilDate, title: String
    ) {
        self.catalogue = catalogue
        self.rules = rules
        self.dataset = dataset
        self.records = records
        self.events = events
        self.acknowledgements = acknowledgements
        self.files = files
        self.window = window
        self.priorities = priorities
        self.partners = partners
        self.suppressSmall = suppressSmall
        self.generatedAt = generatedAt
        self.date = date
        self.title = title
    }
}
