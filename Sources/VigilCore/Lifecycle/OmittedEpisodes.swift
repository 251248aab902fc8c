/// The earlier episodes of one rule and series that an evaluation left out: a series whose
/// condition came and went more than `Engine.episodeLimit` times (a partner's file can make a
/// series cross a threshold at every period) reports only its latest episodes.
///
/// Episodes that began before `before` are neither announced nor retracted: what was said about
/// them stays as it was (a firing one is retracted, saying why, so nothing fires for ever).
public struct OmittedEpisodes: Hashable, Sendable {
    /// How many episodes were left out.
    public var count: Int
    /// The start of the earliest episode reported: every omitted one began before it.
    public var before: Period

    /// Creates a summary.
    public init(count: Int, before: Period) {
        self.count = count
        self.before = before
    }
}

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
