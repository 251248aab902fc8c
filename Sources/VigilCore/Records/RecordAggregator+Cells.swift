/// Accumulating a row into its cells, and reading the cells out as observations.
extension RecordAggregator {
    /// Adds the current row to output `o`.
    mutating func accumulate(_ o: Int) {
        let kind = measureKinds[o]
        if kind == .active {
            let start = row.day[measureColumns[o]]
            guard start != RecordAggregator.noDay else { return }
            let endColumn = endColumns[o]
            let end = endColumn >= 0 && row.day[endColumn] != RecordAggregator.noDay ? row.day[endColumn] : nil
            let columns = dimensionColumns[o]
            // A blank breakdown cell (a column declared `required: false`) is no value: -1, counted
            // in the total only. (Its slot still holds the last row's value.)
            active[o, default: ActiveIntervals(dimensions: columns.count)].append(
                start: start, end: end, dims: columns.map { row.blank[$0] ? -1 : Int32(row.number[$0]) })
            held += 1
            return
        }
        let periodColumn = periodColumns[o]
        guard periodColumn >= 0 else { return }
        let d = row.day[periodColumn]
        guard d != RecordAggregator.noDay else { return }
        // The cache entry: the day in the high half, its cell in the low half (one load, one line).
        let slot = (d & (RecordAggregator.cacheSize - 1)) &* outputCount &+ o
        let tag = UInt64(UInt32(truncatingIfNeeded: d)) &<< 32
        let cell: Int32
        let entry = dayCells[slot]
        if entry & 0xFFFF_FFFF_0000_0000 == tag && entry != RecordAggregator.noCell && Int(Int32(truncatingIfNeeded: d)) == d {
            cell = Int32(truncatingIfNeeded: entry)
        } else {
            guard let p = periodKey(o, d) else { return }
            cell = cellFor(Key(output: Int32(o), period: p, dimension: -1, value: 0))
            dayCells[slot] = tag | UInt64(UInt32(bitPattern: cell))
        }
        add(Int(cell), kind, o)
        // A distribution's breakdown is its buckets; other measures add one cell per breakdown value.
        guard hasDimensions[o], kind != .distribution else { return }
        let dimensions = dimensionColumns[o]
        let period = cells[Int(cell)].period
        for (k, column) in dimensions.enumerated() where !row.blank[column] {
            let key = Key(output: Int32(o), period: period, dimension: Int16(k), value: Int32(row.number[column]))
            add(Int(cellFor(key)), kind, o)
        }
    }

    @inline(__always)
    private mutating func add(_ cell: Int, _ kind: MeasureKind, _ o: Int) {
        switch kind {
        case .count: values[cell] += 1
        case .sum: values[cell] += Double(row.number[measureColumns[o]])
        case .distinct, .distribution:
            // A blank value (an optional id column) is no id; its slot still holds the last
            // non-blank value's hash.
            if row.blank[measureColumns[o]] { return }
            // The set is larger than the caches: its line is fetched now, the insert waits in a
            // batch until it has arrived.
            let id = row.hash[measureColumns[o]]
            if idPartition >= 0 && Int(truncatingIfNeeded: id >> 63) != idPartition {
                routeToPartner(cell, id)
                return
            }
            idSets[cell].prefetch(id)
            pendingCells[pendingIds] = Int32(cell)
            pendingHashes[pendingIds] = id
            pendingIds += 1
            if pendingIds == RecordAggregator.insertBatch { insertPending() }
        case .active: break
        }
    }

    /// Inserts the ids waiting in the batch.
    mutating func insertPending() {
        for k in 0..<pendingIds where idSets[Int(pendingCells[k])].insert(pendingHashes[k]) { held += 1 }
        pendingIds = 0
    }

    /// The cell of a key, created empty on first use.
    mutating func cellFor(_ key: Key) -> Int32 {
        if let cell = cellIndex[key] { return cell }
        let cell = Int32(cells.count)
        cells.append(key)
        values.append(0)
        let kind = measureKinds[Int(key.output)]
        idSets.append(kind == .distinct || kind == .distribution ? IdSet(counting: kind == .distribution) : IdSet.empty)
        cellIndex[key] = cell
        return cell
    }

    /// The key of the period of output `o` that holds day `d`.
    private mutating func periodKey(_ o: Int, _ d: Int) -> Int32? {
        guard let p = Deriver.enclosing(Period.snapshot(CivilDate(dayNumber: d)), periodicities[o]) else { return nil }
        // Periods of different kinds can share a start day (April 2012 and 2012/13): key by both.
        let kind = Periodicity.allCases.firstIndex(of: p.periodicity) ?? 0
        let key = Int32(p.start.dayNumber * 8 + kind)
        if periods[key] == nil { periods[key] = p }
        return key
    }

    /// The observations, once every row is consumed.
    mutating func finish() -> [Observation] {
        insertPending()
        var out: [Observation] = []
        func emit(_ o: Int, _ period: Period, _ breakdown: [String: String], _ value: Double) {
            out.append(
                Observation(
                    series: SeriesKey(indicator: feed.outputs[o].indicator, breakdown: Breakdown(breakdown)), period: period,
                    value: .number(value), sources: [sha256]))
        }
        // Only whole periods the extract covers (`RecordAggregator+Coverage`).
        let coverage = coverage()
        for (cell, key) in cells.enumerated() {
            let o = Int(key.output)
            guard let period = periods[key.period], Self.covers(coverage?[o], period) else { continue }
            var breakdown: [String: String] = [:]
            if key.dimension >= 0 {
                let dimension = feed.outputs[o].dimensions[Int(key.dimension)]
                breakdown = [dimension.dimension: dimValues[dimension.column][Int(key.value)]]
            }
            switch measureKinds[o] {
            case .count, .sum: emit(o, period, breakdown, values[cell])
            case .distinct: emit(o, period, breakdown, Double(distinctCount(cell)))
            case .distribution:
                guard let indicator = catalogue.indicator(feed.outputs[o].indicator), let dimension = indicator.dimensions.first,
                    let buckets = catalogue.dimensions[dimension]?.values, !buckets.isEmpty
                else { continue }
                let histogram = distinctHistogram(cell, buckets: buckets.count)
                for (i, bucket) in buckets.enumerated() { emit(o, period, [dimension: bucket], Double(histogram[i])) }
                emit(o, period, [:], Double(distinctCount(cell)))
            case .active: break
            }
        }
        // `active`: how many intervals cover each snapshot date, by a sweep over the snapshots
        // (linear in rows plus snapshots). Snapshots end at the latest date in the file, and
        // before the evaluation date (review helper-26: the grace day gave a snapshot of a day
        // not yet over).
        for (o, intervals) in active {
            let lastDay = min(maxDay, coverage?[o].last ?? Int.max)
            guard case .active(_, _, let snapshots) = feed.outputs[o].measure, let first = intervals.starts.min().map(Int.init),
                maxDay != Int.min,
                var period = Deriver.enclosing(Period.snapshot(CivilDate(dayNumber: first)), snapshots)
            else { continue }
            var dates: [Int] = []
            while period.end.dayNumber <= lastDay {
                if period.end.dayNumber >= coverage?[o].first ?? Int.min { dates.append(period.end.dayNumber) }
                guard let next = period.next else { break }
                period = next
            }
            guard !dates.isEmpty else { continue }
            /// The first snapshot on or after `day`.
            func firstIndex(onOrAfter day: Int) -> Int {
                var low = 0
                var high = dates.count
                while low < high {
                    let mid = (low + high) / 2
                    if dates[mid] < day { low = mid + 1 } else { high = mid }
                }
                return low
            }
            let dimensions = feed.outputs[o].dimensions
            var total = Array(repeating: 0.0, count: dates.count + 1)
            var byDim: [[Int32: [Double]]] = Array(repeating: [:], count: dimensions.count)
            for i in 0..<intervals.count {
                // Counted at a snapshot when it started on or before it and had not ended by it.
                let from = firstIndex(onOrAfter: Int(intervals.starts[i]))
                let end = intervals.ends[i]
                let to = end == ActiveIntervals.open ? dates.count : firstIndex(onOrAfter: Int(end))
                guard from < to else { continue }
                total[from] += 1
                total[to] -= 1
                let base = i * intervals.dimensions
                for k in 0..<intervals.dimensions where intervals.dims[base + k] >= 0 {
                    let v = intervals.dims[base + k]
                    byDim[k][v, default: Array(repeating: 0.0, count: dates.count + 1)][from] += 1
                    byDim[k][v]![to] -= 1
                }
            }
            var running = 0.0
            for (index, date) in dates.enumerated() {
                running += total[index]
                emit(o, Period.snapshot(CivilDate(dayNumber: date)), [:], running)
            }
            for (k, dim) in dimensions.enumerated() {
                for (v, diff) in byDim[k] {
                    var count = 0.0
                    for (index, date) in dates.enumerated() {
                        count += diff[index]
                        if count > 0 {
                            emit(
                                o, Period.snapshot(CivilDate(dayNumber: date)), [dim.dimension: dimValues[dim.column][Int(v)]],
                                count)
                        }
                    }
                }
            }
        }
        return out.sorted { ($0.series, $0.period) < ($1.series, $1.period) }
    }
}
