/// Merging the aggregator of another lane of the same extract into this one.
extension RecordAggregator {
    /// Adds `other`'s cells, periods and `active` intervals to this aggregator's: counts and sums
    /// add, distinct-id sets unite, or, when the lanes divided the ids between them, are kept side
    /// by side and counted together (`other`'s sets are emptied as they are merged). Interned
    /// category values are matched by their bytes (each lane numbers the values in the order it
    /// met them). Rows and errors are put in file order by the
    /// caller, which knows the segments.
    mutating func absorb(_ other: inout RecordAggregator) {
        precondition(other.pendingIds == 0, "a lane's batched ids are inserted when its segment ends")
        insertPending()
        // Interning writes the row's values: into this aggregator's own, even if it read no row.
        if !isKnownUniquelyReferenced(&row) { row = row.copy() }
        /// This aggregator's index for `other`'s interned value `value` of `column`.
        func remap(_ column: Int, _ value: Int32) -> Int32 {
            other.internedBytes[column][Int(value)].withUnsafeBufferPointer { intern(column, $0) }
        }
        for (index, key) in other.cells.enumerated() {
            var mine = key
            if key.dimension >= 0 {
                let column = dimensionColumns[Int(key.output)][Int(key.dimension)]
                mine.value = remap(column, key.value)
            }
            let cell = Int(cellFor(mine))
            switch measureKinds[Int(key.output)] {
            case .count, .sum: values[cell] += other.values[index]
            case .distinct, .distribution:
                if idPartition >= 0 {
                    // Divided sets are disjoint: the other lane's is kept beside this one's and
                    // counted with it, not copied into it.
                    precondition(other.idPartition >= 0 && partnerSets[cell] == nil, "one partner set per cell")
                    partnerSets[cell] = other.idSets[index]
                } else {
                    idSets[cell].formUnion(other.idSets[index])
                }
                // Freed as it is merged, so the two lanes' sets are not all held twice.
                other.idSets[index] = IdSet.empty
            case .active: break
            }
        }
        for (key, period) in other.periods where periods[key] == nil { periods[key] = period }
        for (o, intervals) in other.active {
            let columns = dimensionColumns[o]
            var merged = active[o, default: ActiveIntervals(dimensions: columns.count)]
            for i in 0..<intervals.count {
                let base = i * intervals.dimensions
                let dims = columns.enumerated().map { k, column in
                    intervals.dims[base + k] < 0 ? -1 : remap(column, intervals.dims[base + k])
                }
                merged.starts.append(intervals.starts[i])
                merged.ends.append(intervals.ends[i])
                merged.dims.append(contentsOf: dims)
            }
            active[o] = merged
        }
        maxDay = Swift.max(maxDay, other.maxDay)
        for i in months.indices { months[i] |= other.months[i] }
        held =
            idSets.reduce(0) { $0 + $1.count } + partnerSets.values.reduce(0) { $0 + $1.count }
            + active.values.reduce(0) { $0 + $1.count }
    }
}
