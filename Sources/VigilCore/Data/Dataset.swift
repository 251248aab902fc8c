/// The current (latest-revision) value of every series: what the engine evaluates.
///
/// A value type built from the store or from parsed feeds; derived series are added by `Deriver`.
public struct Dataset: Sendable {
    /// Points by series, sorted by period.
    public private(set) var series: [SeriesKey: [SeriesPoint]] = [:]
    /// Each indicator's series keys, sorted: rules ask for them per indicator, and scanning every
    /// series for each rule would make a file's evaluation grow with the store.
    private var keysByIndicator: [String: [SeriesKey]] = [:]

    /// An empty dataset.
    public init() {}

    /// A dataset from observations; a later observation for the same series and period wins.
    public init(_ observations: [Observation]) {
        for observation in observations { upsert(observation) }
    }

    /// Sets the value of a series at a period (replacing any earlier value).
    public mutating func upsert(_ observation: Observation) {
        let point = SeriesPoint(period: observation.period, value: observation.value, sources: observation.sources)
        // Mutated in place (no copy of the series per point): appending in period order is O(1).
        if series[observation.series] == nil {
            let key = observation.series
            keysByIndicator[key.indicator, default: []].insertSorted(key)
        }
        series[observation.series, default: []].place(point)
    }

    /// Removes a series' value at a period.
    public mutating func remove(_ key: SeriesKey, _ period: Period) {
        series[key]?.removeAll { $0.period == period }
    }

    /// The points of a series, oldest first.
    public func points(_ key: SeriesKey) -> [SeriesPoint] { series[key] ?? [] }

    /// The value of a series at a period.
    public func point(_ key: SeriesKey, _ period: Period) -> SeriesPoint? {
        guard let points = series[key] else { return nil }
        let index = points.lowerBound(period)
        return index < points.count && points[index].period == period ? points[index] : nil
    }

    /// All series of an indicator.
    public func keys(indicator: String) -> [SeriesKey] { keysByIndicator[indicator] ?? [] }

    /// Every series key, sorted.
    public var keys: [SeriesKey] { series.keys.sorted() }

    /// Every observation, for export.
    public var observations: [Observation] {
        keys.flatMap { key in
            points(key).map { Observation(series: key, period: $0.period, value: $0.value, sources: $0.sources) }
        }
    }
}

extension Array where Element == SeriesPoint {
    /// Inserts a point in period order, replacing any point at the same period (binary search: a
    /// file revising a long series costs n log n, not n²).
    mutating func place(_ point: SeriesPoint) {
        if let last = self.last, last.period < point.period {
            append(point)
            return
        }
        let index = lowerBound(point.period)
        if index < count && self[index].period == point.period {
            self[index] = point
        } else {
            insert(point, at: index)
        }
    }

    /// The index of the first point whose period is not before `period`.
    func lowerBound(_ period: Period) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].period < period { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension Array where Element == SeriesKey {
    /// Inserts a key in sorted position (the array is sorted).
    fileprivate mutating func insertSorted(_ key: SeriesKey) {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < key { low = mid + 1 } else { high = mid }
        }
        insert(key, at: low)
    }
}
