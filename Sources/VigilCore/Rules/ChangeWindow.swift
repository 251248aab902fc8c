/// A `change` rule's window: the periods ending at the judged one that have a value both then and
/// a year earlier, and the two means over them. Only such pairs count (review helper-32: a month
/// with no value a year earlier pulled one mean alone, so placement stability "fell 3.5 points"
/// on a January that had nothing to compare with, while March against March was unchanged).
struct ChangeWindow: Sendable {
    /// The paired periods, oldest first (the judged one last).
    var periods: [Period]
    /// Their mean now.
    var now: Double
    /// The mean of the same periods a year earlier.
    var then: Double

    /// "(the mean of 3 values, 2013-01–2013-03)" style words for one side, or nothing for one period.
    static func words(_ side: [Period]) -> String {
        side.count == 1 ? "" : " (the mean of \(side.count) values, \(side.first!)–\(side.last!))"
    }

    /// The pairs in the `count` periods ending at `period`; nil when the judged period itself has
    /// no value a year earlier (then nothing is compared, as without a window).
    static func paired(ending period: Period, count: Int, _ points: [SeriesPoint], _ byPeriod: [Period: Int])
        -> ChangeWindow?
    {
        var window = [period]
        while window.count < count, let previous = window[0].previous { window.insert(previous, at: 0) }
        var periods: [Period] = []
        var now = 0.0
        var then = 0.0
        for p in window {
            guard let a = byPeriod[p].flatMap({ points[$0].number }),
                let b = byPeriod[p.sameLastYear].flatMap({ points[$0].number })
            else { continue }
            periods.append(p)
            now += a
            then += b
        }
        guard periods.last == period else { return nil }
        let n = Double(periods.count)
        return ChangeWindow(periods: periods, now: now / n, then: then / n)
    }
}
