/// A series' periods and numbers as two flat arrays, for walking a series many times without
/// copying its points (each copy of a `SeriesPoint` retains its sources and its marker text).
struct PeriodColumns: Sendable {
    /// Each point's period, oldest first.
    let periods: [Period]
    /// Each point's number, or nil where its value is a marker.
    let numbers: [Double?]

    /// The columns of `points`.
    init(_ points: [SeriesPoint]) {
        var periods: [Period] = []
        var numbers: [Double?] = []
        periods.reserveCapacity(points.count)
        numbers.reserveCapacity(points.count)
        points.withUnsafeBufferPointer { buffer in
            for i in buffer.indices {
                periods.append(buffer[i].period)
                numbers.append(buffer[i].number)
            }
        }
        self.periods = periods
        self.numbers = numbers
    }
}
