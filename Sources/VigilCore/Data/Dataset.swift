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
        upsert(contentsOf: observations)
    }

    /// Sets many values at once, in any order (a later observation for the same series and
    /// period wins): each series is sorted and merged once, so periods sent newest first cost
    /// what periods in order do (inserting each at the front was quadratic: 46,000 daily
    /// snapshots sent newest first took vigild 3.6 s against 0.7 s, review helper-18).
    public mutating func upsert(contentsOf observations: [Observation]) {
        var bySeries: [SeriesKey: [SeriesPoint]] = [:]
        for observation in observations {
            bySeries[observation.series, default: []].append(
                SeriesPoint(period: observation.period, value: observation.value, sources: observation.sources))
        }
        upsert(contentsOf: bySeries)
    }

    /// Sets many series' values at once, each series' points in any order (a later point for the
    /// same period wins). New series keys join their indicator's sorted keys in one merge, not
    /// one insertion each (a store holding a cross-tabulation of 25,920 series moved its key
    /// list once per series as it was read, review helper-19).
    public mutating func upsert(contentsOf bySeries: [SeriesKey: [SeriesPoint]]) {
        var added: [String: [SeriesKey]] = [:]
        for (key, points) in bySeries {
            if series[key] == nil { added[key.indicator, default: []].append(key) }
            merge(key, points)
        }
        for (indicator, keys) in added {
            keysByIndicator[indicator] = (keysByIndicator[indicator] ?? []).mergingSorted(keys.sorted())
        }
    }

    /// Merges one series' new points (in the order given) into its sorted points.
    private mutating func merge(_ key: SeriesKey, _ points: [SeriesPoint]) {
        var new = points
        if zip(points, points.dropFirst()).contains(where: { $0.period >= $1.period }) {
            // Sorted by period, the later of two for the same period kept.
            new = points.indices.sorted { (points[$0].period, $0) < (points[$1].period, $1) }.map { points[$0] }
            var kept: [SeriesPoint] = []
            kept.reserveCapacity(new.count)
            for point in new {
                if kept.last?.period == point.period { kept[kept.count - 1] = point } else { kept.append(point) }
            }
            new = kept
        }
        // A new series takes the points as they are (sharing their storage, not copying them).
        if series[key]?.isEmpty ?? true {
            series[key] = new
        } else {
            series[key]!.mergeSorted(new)
        }
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

    /// Removes every value of a series (its key stays, with no points).
    public mutating func removeAll(_ key: SeriesKey) {
        if series[key] != nil { series[key] = [] }
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

    /// Merges points sorted by period, with no period twice, into these (sorted the same way);
    /// a new point replaces an old one for the same period. Appending is the common case.
    mutating func mergeSorted(_ new: [SeriesPoint]) {
        guard let first = new.first else { return }
        if isEmpty || last!.period < first.period {
            append(contentsOf: new)
            return
        }
        var merged: [SeriesPoint] = []
        merged.reserveCapacity(count + new.count)
        var i = startIndex
        var j = new.startIndex
        while i < endIndex || j < new.endIndex {
            if j == new.endIndex || (i < endIndex && self[i].period < new[j].period) {
                merged.append(self[i])
                i += 1
            } else {
                if i < endIndex && self[i].period == new[j].period { i += 1 }
                merged.append(new[j])
                j += 1
            }
        }
        self = merged
    }

    /// The index of the first point whose period is not before `period`.
    func lowerBound(_ period: Period) -> Int { partition { $0.period < period } }

    /// The number of leading points for which `isBefore` holds (the points are ordered so that
    /// it holds for a prefix), found by binary search.
    func partition(_ isBefore: (SeriesPoint) -> Bool) -> Int {
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if isBefore(self[middle]) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}

extension Array where Element == SeriesKey {
    /// These sorted keys and `other` (sorted, none among these), in order.
    fileprivate func mergingSorted(_ other: [SeriesKey]) -> [SeriesKey] {
        guard let first = other.first else { return self }
        if isEmpty || last! < first { return self + other }
        var merged: [SeriesKey] = []
        merged.reserveCapacity(count + other.count)
        var i = startIndex
        var j = other.startIndex
        while i < endIndex || j < other.endIndex {
            if j == other.endIndex || (i < endIndex && self[i] < other[j]) {
                merged.append(self[i])
                i += 1
            } else {
                merged.append(other[j])
                j += 1
            }
        }
        return merged
    }

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
