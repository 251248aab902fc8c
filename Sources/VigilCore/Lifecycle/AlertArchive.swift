/// Which alert records a store keeps out of its working set: for each rule and series, the
/// non-retracted records beyond the latest `Engine.episodeLimit` (by start), unless firing.
///
/// An evaluation never changes such a record unless it reports its episode again (then the
/// store reads it back by key): it reports only the latest episodes and retracts only the latest
/// (`AlertStateMachine`). Without this, resolved records piled up across files in vigild's
/// memory, about 10 KB each decoded (review helper-19: 122,850 from 325 files of one partner
/// within its value quota; a restarted vigild then peaked at 1.6 GB on its first file).
public enum AlertArchive {
    /// The keys among `held` (each with its state) to archive: of each rule and series' firing
    /// and resolved records, those not among the latest `Engine.episodeLimit` by start and not
    /// firing. Retracted records are never counted (a store holds none).
    public static func beyondWindow(_ held: some Sequence<(key: AlertKey, state: AlertRecord.State)>) -> [AlertKey] {
        var groups: [SeriesKey: [String: [(key: AlertKey, state: AlertRecord.State)]]] = [:]
        for entry in held where entry.state != .retracted {
            groups[entry.key.series, default: [:]][entry.key.rule, default: []].append(entry)
        }
        var archived: [AlertKey] = []
        for byRule in groups.values {
            for entries in byRule.values where entries.count > Engine.episodeLimit {
                let latestFirst = entries.sorted { ($0.key.start, $0.key.description) > ($1.key.start, $1.key.description) }
                archived += latestFirst.dropFirst(Engine.episodeLimit).filter { $0.state != .firing }.map(\.key)
            }
        }
        return archived
    }
}
