/// The earlier episodes of one rule and series that an evaluation left out: a series whose
/// condition came and went more than `Engine.episodeLimit` times (a partner's file can make a
/// series cross a threshold at every period) reports only its latest episodes.
///
/// Episodes that began before `before` are neither announced nor retracted: what was said about
/// them stays as it was, except that a firing one is resolved as the data shows (or retracted,
/// gone from the data), so nothing fires for ever.
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
