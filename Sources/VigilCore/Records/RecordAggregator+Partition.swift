/// Dividing the distinct-id sets between the two lanes of an extract (`RecordLanes`): each lane
/// keeps the ids whose hash has its top bit (`idPartition`) and sends the others, with the keys of
/// the cells they count in, to the other lane. Each id is then held once, by one lane, with every
/// occurrence of it (so a distribution's per-child counts are whole), and the lanes' sets are
/// disjoint: merging them is adding their counts, not uniting them, and needs no memory.
extension RecordAggregator {
    /// Ids bound for the other lane, the cells (this lane's numbers) they count in, and the keys
    /// of the cells that lane has not been told about yet.
    struct IdBatch: Sendable {
        var newKeys: [(cell: Int32, key: Key)] = []
        var cells: [Int32] = []
        var hashes: [UInt64] = []
    }

    /// Whether the id sets can be divided: no distinct or distribution output has breakdowns.
    /// (A breakdown cell's key holds a value each lane numbers in its own order, so it would mean
    /// nothing to the other lane; such extracts keep every id on both lanes and unite the sets.)
    var canPartitionIds: Bool {
        (0..<outputCount).allSatisfy { o in
            !(measureKinds[o] == .distinct || measureKinds[o] == .distribution) || !hasDimensions[o]
        }
    }

    /// Puts an id of cell `cell` in the batch for the other lane.
    @inline(__always)
    mutating func routeToPartner(_ cell: Int, _ id: UInt64) {
        if cell >= announced.count { announced += Array(repeating: false, count: cell + 1 - announced.count) }
        if !announced[cell] {
            announced[cell] = true
            outbox.newKeys.append((Int32(cell), cells[cell]))
        }
        outbox.cells.append(Int32(cell))
        outbox.hashes.append(id)
    }

    /// The ids waiting for the other lane when there are at least `minimum` (and at least one).
    mutating func takeBatch(minimum: Int) -> IdBatch? {
        guard !outbox.cells.isEmpty, outbox.cells.count >= minimum else { return nil }
        defer { outbox = IdBatch() }
        return outbox
    }

    /// Inserts the ids the other lane sent, in this lane's cells for the same keys.
    mutating func receive(_ batch: IdBatch) {
        // A lane past the entry limit holds no more: the extract is rejected.
        guard !overLimit else { return }
        // The keys have no breakdown value, so nothing is interned and the row values are untouched.
        for (theirs, key) in batch.newKeys {
            let index = Int(theirs)
            if index >= partnerCells.count {
                partnerCells += Array(repeating: -1, count: index + 1 - partnerCells.count)
            }
            partnerCells[index] = cellFor(key)
        }
        // The sets are larger than the caches: each id's slot is fetched `insertBatch` ids ahead
        // of its insert, as the lane's own ids are (`insertPending`).
        let count = batch.cells.count
        let ahead = RecordAggregator.insertBatch
        for k in 0..<min(ahead, count) { idSets[Int(partnerCells[Int(batch.cells[k])])].prefetch(batch.hashes[k]) }
        for k in 0..<count {
            if k &+ ahead < count {
                idSets[Int(partnerCells[Int(batch.cells[k &+ ahead])])].prefetch(batch.hashes[k &+ ahead])
            }
            if idSets[Int(partnerCells[Int(batch.cells[k])])].insert(batch.hashes[k]) { held += 1 }
        }
    }

    /// Distinct ids of cell `cell`, with those of the other lane's disjoint set merged into it.
    func distinctCount(_ cell: Int) -> Int { idSets[cell].count + (partnerSets[cell]?.count ?? 0) }

    /// The histogram of cell `cell`'s per-id counts, with the other lane's disjoint set's added.
    func distinctHistogram(_ cell: Int, buckets: Int) -> [Int] {
        var histogram = idSets[cell].histogram(buckets: buckets)
        if let other = partnerSets[cell]?.histogram(buckets: buckets) {
            for i in 0..<buckets { histogram[i] += other[i] }
        }
        return histogram
    }
}
