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
        let counted = held.filter { $0.state != .retracted }
        let beyond = beyondLatest(counted.map(\.key))
        return counted.filter { $0.state != .firing && beyond.contains($0.key) }.map(\.key)
    }

    /// The keys that are not among the latest `Engine.episodeLimit` (by start) of their rule
    /// and series: what an evaluation neither holds nor retracts (`AlertStateMachine`).
    public static func beyondLatest(_ keys: [AlertKey]) -> Set<AlertKey> {
        var groups: [SeriesKey: [String: [AlertKey]]] = [:]
        for key in keys { groups[key.series, default: [:]][key.rule, default: []].append(key) }
        var beyond: Set<AlertKey> = []
        for byRule in groups.values {
            for group in byRule.values where group.count > Engine.episodeLimit {
                beyond.formUnion(group.sorted { $0.start > $1.start }.dropFirst(Engine.episodeLimit))
            }
        }
        return beyond
    }
}
