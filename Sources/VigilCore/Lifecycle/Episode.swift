/// One continuous stretch during which a rule's condition held for a series.
public struct Episode: Hashable, Sendable {
    /// The rule.
    public var rule: String
    /// The series.
    public var series: SeriesKey
    /// First period of the run of breaches that made it fire.
    public var start: Period
    /// The period at which `for` was satisfied and it fired.
    public var fired: Period
    /// The finding at which it fired.
    public var firingFinding: Finding
    /// The latest breach (the current evidence while firing).
    public var latest: Finding
    /// Worst severity seen in the episode.
    public var peakSeverity: Severity
    /// The period at which the condition cleared, if it has.
    public var resolved: Period?
    /// The finding that cleared it.
    public var resolvingFinding: Finding?

    /// The stable key of the episode: rule, series and start.
    public var key: AlertKey { AlertKey(rule: rule, series: series, start: start) }
}

/// Identifies an alert episode: (rule, series, first period of the run).
public struct AlertKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Rule id.
    public var rule: String
    /// Series.
    public var series: SeriesKey
    /// First period of the episode.
    public var start: Period

    /// Creates a key.
    public init(rule: String, series: SeriesKey, start: Period) {
        self.rule = rule
        self.series = series
        self.start = start
    }

    /// `rule/series@start`.
    public var description: String { "\(rule)/\(series)@\(start)" }

    /// Orders the values.
    public static func < (lhs: AlertKey, rhs: AlertKey) -> Bool { lhs.description < rhs.description }
}

extension Sequence where Element == AlertKey {
    /// The keys in their order (by text), each key's text made once rather than twice per
    /// comparison as `sorted()` would.
    public func sortedByText() -> [AlertKey] { map { ($0.description, $0) }.sorted { $0.0 < $1.0 }.map(\.1) }
}

/// A rule whose condition holds but whose `for` is not yet satisfied.
public struct PendingAlert: Hashable, Sendable {
    /// The rule.
    public var rule: String
    /// The series.
    public var series: SeriesKey
    /// First breaching period.
    public var since: Period
    /// Consecutive breaching periods so far.
    public var count: Int
    /// Periods needed.
    public var needed: Int
    /// The latest finding.
    public var finding: Finding
}

/// Folds a series' findings, oldest first, into episodes: pending → firing → resolved.
///
/// A `breach` counts towards `for`; a `clear` resets a pending run and resolves a firing episode;
/// a `hold` (censored value, hysteresis band, no baseline) changes nothing.
public enum EpisodeTracker {
    /// The episodes and, if the series ends mid-run, the pending alert.
    public static func track(rule: Rule, series: SeriesKey, findings: [Finding]) -> (episodes: [Episode], pending: PendingAlert?)
    {
        // Positions, not findings, are followed: a finding is copied only into the episodes made
        // (copying one at every breach of a long firing stretch was most of this fold's cost).
        var episodes: [Episode] = []
        var runStart: Int?
        var runCount = 0
        var open: (start: Int, fired: Int, latest: Int, peak: Severity)?
        func episode(_ o: (start: Int, fired: Int, latest: Int, peak: Severity), resolvedAt clear: Int?) -> Episode {
            Episode(
                rule: rule.id, series: series, start: findings[o.start].period, fired: findings[o.fired].period,
                firingFinding: findings[o.fired], latest: findings[o.latest], peakSeverity: o.peak,
                resolved: clear.map { findings[$0].period }, resolvingFinding: clear.map { findings[$0] })
        }
        for i in findings.indices {
            switch findings[i].status {
            case .breach:
                if open != nil {
                    open!.latest = i
                    open!.peak = max(open!.peak, findings[i].severity)
                    continue
                }
                if runStart == nil { runStart = i }
                runCount += 1
                if runCount >= rule.forPeriods {
                    open = (runStart!, i, i, findings[i].severity)
                    runStart = nil
                    runCount = 0
                }
            case .clear:
                if let o = open {
                    episodes.append(episode(o, resolvedAt: i))
                    open = nil
                }
                runStart = nil
                runCount = 0
            case .hold:
                continue
            }
        }
        if let open { episodes.append(episode(open, resolvedAt: nil)) }
        var pending: PendingAlert?
        if let runStart, open == nil {
            pending = PendingAlert(
                rule: rule.id, series: series, since: findings[runStart].period, count: runCount, needed: rule.forPeriods,
                finding: findings.last { $0.status == .breach } ?? findings[runStart])
        }
        return (episodes, pending)
    }
}
