import VigilCore
import VigilStore

extension DigestInput {
    /// Reads a digest's input from a store, keeping only what the digest shows: the alert
    /// records' summaries one at a time through an `EpisodeSelection`, then the records of the
    /// episodes chosen; the events recorded since the window's
    /// `since` and the last digest, as ids, kinds and priorities; and the values of the
    /// indicators the rules read, except those only an overdue rule reads (a return schedule gives
    /// every supplied feed one) that has no alert. The cover needs only which periods each
    /// indicator has. So a large store is not read whole.
    public static func read(
        from store: Store, catalogue: Catalogue, rules: [Rule], window: DigestWindow, priorities: [Int] = [],
        partners: [String] = [], suppressSmall: Bool = false, generatedAt: String, date: CivilDate, title: String,
        lastDigestAt: String?
    ) throws -> DigestInput {
        var since: String?
        if case .recorded(let s) = window { since = s }
        // Events matter after whichever of the two times is earlier; with neither, none do (a
        // window from the beginning asks no recording time, and there is no "since the last").
        let times = [since, lastDigestAt].compactMap { $0 }
        let events = try times.min().map { try store.recordedEvents(after: $0) } ?? []
        var episodes = EpisodeSelection(window: window, recordedAt: EpisodeSelection.recordedAt(events))
        try store.forEachAlertRecordSummary { episodes.consider($0) }
        let records = try store.alertRecords(keys: episodes.chosen.map(\.summary.key))
        let charted = rules.filter { rule in
            if case .overdue = rule.kind { return episodes.rules.contains(rule.id) }
            return true
        }
        return DigestInput(
            catalogue: catalogue, rules: rules,
            dataset: try store.dataset(indicators: Engine(catalogue: catalogue, rules: rules).indicatorsRead(by: charted)),
            episodes: episodes,
            records: Dictionary(records.map { (AlertRecordSummary($0).key, $0) }, uniquingKeysWith: { a, _ in a }),
            events: events, acknowledgements: try store.acknowledgements(), files: try store.files(),
            priorities: priorities, partners: partners, suppressSmall: suppressSmall, generatedAt: generatedAt, date: date,
            title: title, lastDigestAt: lastDigestAt, periods: try store.periodsByIndicator())
    }
}
