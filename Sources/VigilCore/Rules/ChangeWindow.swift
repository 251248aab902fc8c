/// A `change` rule's window of periods: which of them have values, and their mean.
struct ChangeWindow: Sendable {
    /// Every period of the window, oldest first.
    var periods: [Period]
    /// The periods with a numeric value.
    var stored: [Period]
    /// Their mean (nil when none is stored).
    var mean: Double?

    /// " (the mean of 3 values, 2013-01–2013-03)", or nothing for a single value.
    var words: String {
        stored.count == 1 ? "" : " (the mean of \(stored.count) values, \(stored.first!)–\(stored.last!))"
    }

    /// The values stored in the `count` periods ending at `period`, and in the same periods a
    /// year earlier, with their means (nil when none is stored).
    static func pair(ending period: Period, count: Int, _ points: [SeriesPoint], _ byPeriod: [Period: Int]) -> (
        now: ChangeWindow, then: ChangeWindow
    ) {
        var periods = [period]
        while periods.count < count, let previous = periods[0].previous { periods.insert(previous, at: 0) }
        func window(_ periods: [Period]) -> ChangeWindow {
            let stored = periods.compactMap { p in byPeriod[p].flatMap { points[$0].number }.map { (p, $0) } }
            return ChangeWindow(
                periods: periods, stored: stored.map(\.0),
                mean: stored.isEmpty ? nil : stored.map(\.1).reduce(0, +) / Double(stored.count))
        }
        return (window(periods), window(periods.map(\.sameLastYear)))
    }
}
