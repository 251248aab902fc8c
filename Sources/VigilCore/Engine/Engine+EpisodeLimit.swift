extension Engine {
    /// The most episodes of one rule on one series an evaluation reports: the latest ones. Ten
    /// years of a monthly series that alternates every month is 60; a daily series crossing a
    /// threshold every other day would otherwise raise an event a day (review helper-18).
    public static let episodeLimit = 64

    /// Keeps the latest `episodeLimit` of one rule and series' episodes (oldest first), and
    /// says what was left out.
    static func limited(_ episodes: [Episode]) -> (episodes: ArraySlice<Episode>, omitted: OmittedEpisodes?) {
        guard episodes.count > episodeLimit else { return (episodes[...], nil) }
        let kept = episodes.suffix(episodeLimit)
        return (kept, OmittedEpisodes(count: episodes.count - episodeLimit, before: kept.first!.start))
    }
}

extension Evaluation {
    /// An episode this evaluation left out (it began before the latest `Engine.episodeLimit` of
    /// its rule and series), found again from the findings, which are kept whole: what a machine
    /// holding that episode firing needs to resolve it (review helper-19: it was retracted). Nil
    /// when none began at `key.start`, or the episode was not left out.
    public func omittedEpisode(_ key: AlertKey, rule: Rule) -> Episode? {
        guard let omitted = omitted[key.rule]?[key.series], key.start < omitted.before,
            let findings = findings[key.rule]?[key.series]
        else { return nil }
        return EpisodeTracker.track(rule: rule, series: key.series, findings: findings).episodes.first { $0.start == key.start }
    }
}
