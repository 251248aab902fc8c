import VigilCore
import VigilStore

/// Which alerts a digest covers.
public enum DigestWindow: Sendable, Equatable, CustomStringConvertible {
    /// Events about data periods ending within [from, to] (`--period 2013-Q1`, `--from/--to`).
    case dataPeriods(from: CivilDate, to: CivilDate)
    /// Events recorded after the last digest's mark (nil: everything) up to the digest's
    /// generation (`--since last`).
    case recorded(since: DigestMark?)

    /// For the journal (`VIGIL_DIGEST_WINDOW`) and the digest log: "data periods ending between
    /// 2013-01-01 and 2013-03-31" or "alerts recorded since the last digest (2013-04-30T10:00:00Z)".
    public var description: String {
        switch self {
        case .dataPeriods(let from, let to): return "data periods ending between \(from) and \(to)"
        case .recorded(let since):
            return since.map { "alerts recorded since the last digest (\($0.generatedAt))" } ?? "all alerts recorded so far"
        }
    }

    /// In words, for the chair: "April 2012 to March 2013", or "alerts since the last digest (28
    /// November 2026 at 06:34 UTC)".
    public var words: String {
        switch self {
        case .dataPeriods(let from, let to): return PlainWords.span(from: from, to: to)
        case .recorded(let since):
            return since.map { "alerts since the last digest (\(PlainWords.time($0.generatedAt)))" }
                ?? "every alert so far (the first digest)"
        }
    }
}

/// Everything a digest is built from; gathered by the caller (from the store), so building is pure.
public struct DigestInput: Sendable {
    /// The catalogue.
    public var catalogue: Catalogue
    /// The rules.
    public var rules: [Rule]
    /// Current supplied data (derived indicators are computed when the digest is built): at least
    /// what the rules read.
    public var dataset: Dataset
    /// The periods each supplied indicator has values for (the cover's "data in the window" and
    /// each feed's latest period); nil: taken from `dataset`, which must then hold every indicator.
    public var periods: [String: Set<Period>]?
    /// The alert episodes the window concerns, chosen from the records' summaries (and every
    /// firing one).
    public var episodes: EpisodeSelection
    /// The records of (at least) the chosen episodes, by key.
    public var records: [String: AlertRecord]
    /// The events recorded since the last digest, counted by kind and priority (the cover's
    /// "since the last digest").
    public var sinceLastDigest: [EventCount]
    /// Acknowledgements.
    public var acknowledgements: [Acknowledgement]
    /// Processed files.
    public var files: [FileRecord]
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
    /// Where the last recorded digest left the event log, for "since the last digest".
    public var lastDigest: DigestMark?

    /// Creates an input from episodes already chosen (the window is theirs) and their records.
    public init(
        catalogue: Catalogue, rules: [Rule], dataset: Dataset, episodes: EpisodeSelection, records: [String: AlertRecord],
        sinceLastDigest: [EventCount] = [],
        acknowledgements: [Acknowledgement], files: [FileRecord], priorities: [Int] = [], partners: [String] = [],
        suppressSmall: Bool = false, generatedAt: String, date: CivilDate, title: String, lastDigest: DigestMark? = nil,
        periods: [String: Set<Period>]? = nil
    ) {
        self.periods = periods
        self.lastDigest = lastDigest
        self.catalogue = catalogue
        self.rules = rules
        self.dataset = dataset
        self.episodes = episodes
        self.records = records
        self.sinceLastDigest = sinceLastDigest
        self.acknowledgements = acknowledgements
        self.files = files
        self.priorities = priorities
        self.partners = partners
        self.suppressSmall = suppressSmall
        self.generatedAt = generatedAt
        self.date = date
        self.title = title
    }

    /// The window (the episodes').
    public var window: DigestWindow { episodes.window }

    /// The periods of an indicator's values (from `periods`, else from the dataset).
    func periods(of indicator: String) -> Set<Period> {
        if let periods { return periods[indicator] ?? [] }
        return Set(dataset.keys(indicator: indicator).flatMap { dataset.points($0).map(\.period) })
    }
}
