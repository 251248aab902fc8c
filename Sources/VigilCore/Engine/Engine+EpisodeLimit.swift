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
