import VigilCore
import VigilStore

extension DigestInput {
    /// Reads a digest's input from a store, keeping only what the digest shows: the alert
    /// records' summaries one at a time through an `EpisodeSelection`, then the records of the
    /// episodes chosen (in one read); the events since the last digest, counted; and the values of the
    /// indicators the rules read, except those only an overdue rule reads (a return schedule gives
    /// every supplied feed one) that has no alert. The cover needs only which periods each
    /// indicator has. So a large store is not read whole.
    public static func read(
        from store: Store, catalogue: Catalogue, rules: [Rule], window: DigestWindow, priorities: [Int] = [],
        partners: [String] = [], suppressSmall: Bool = false, generatedAt: String, date: CivilDate, title: String,
        lastDigest: DigestMark?
    ) throws -> DigestInput {
        var episodes = EpisodeSelection(window: window)
        // Only a window of what was recorded since the last digest asks where each event is in
        // the event log.
        var recorded = false
        if case .recorded = window { recorded = true }
        let records = try store.alertRecords(
            choosing: { episodes.consider($0) }, chosen: { episodes.chosen.map(\.summary.key) }, eventPositions: recorded)
        let charted = rules.filter { rule in
            if case .overdue = rule.kind { return episodes.rules.contains(rule.id) }
            return true
        }
        return DigestInput(
            catalogue: catalogue, rules: rules,
            dataset: try store.dataset(indicators: Engine(catalogue: catalogue, rules: rules).indicatorsRead(by: charted)),
            episodes: episodes,
            records: Dictionary(records.map { (AlertRecordSummary($0).key, $0) }, uniquingKeysWith: { a, _ in a }),
            sinceLastDigest: try lastDigest.map { try store.eventCounts(after: $0) } ?? [],
            acknowledgements: try store.acknowledgements(), files: try store.files(),
            priorities: priorities, partners: partners, suppressSmall: suppressSmall, generatedAt: generatedAt, date: date,
            title: title, lastDigest: lastDigest, periods: try store.periodsByIndicator())
    }
}
