/// The typed values of the row a `RecordAggregator` is reading, one slot per column: written by
/// `decode`, read by the filters and measures, reused for every row.
///
/// A class holding fixed buffers, so that each of a row's dozen writes is a store, not an array's
/// uniqueness check (about a tenth of a record-level ingest's time when they were arrays). The
/// aggregator is a value and its copies share this object, so `RecordAggregator.consume` makes
/// its own copy before the first row whenever it is not the only holder (`isKnownUniquelyReferenced`,
/// once a row): two lanes made from one aggregator never write to the same buffers.
final class RowValues {
    /// Columns (slots in each buffer).
    let count: Int
    /// The day number of a date or date-time column (`RecordAggregator.noDay` when blank).
    let day: UnsafeMutablePointer<Int>
    /// The keyed hash of an identifier (or counted text) column.
    let hash: UnsafeMutablePointer<UInt64>
    /// A whole number, or a category column's interned index.
    let number: UnsafeMutablePointer<Int>
    /// A yes/no column's value (nil when blank or not yes/no).
    let flag: UnsafeMutablePointer<Bool?>
    /// Whether the column is blank (empty or spaces only).
    let blank: UnsafeMutablePointer<Bool>

    /// Buffers for `count` columns: no dates, no values, every column blank.
    init(count: Int) {
        self.count = count
        let n = max(1, count)
        day = .allocate(capacity: n)
        day.initialize(repeating: RecordAggregator.noDay, count: n)
        hash = .allocate(capacity: n)
        hash.initialize(repeating: 0, count: n)
        number = .allocate(capacity: n)
        number.initialize(repeating: 0, count: n)
        flag = .allocate(capacity: n)
        flag.initialize(repeating: nil, count: n)
        blank = .allocate(capacity: n)
        blank.initialize(repeating: true, count: n)
    }

    /// A copy with its own buffers.
    func copy() -> RowValues {
        let other = RowValues(count: count)
        other.day.update(from: day, count: count)
        other.hash.update(from: hash, count: count)
        other.number.update(from: number, count: count)
        other.flag.update(from: flag, count: count)
        other.blank.update(from: blank, count: count)
        return other
    }

    deinit {
        day.deallocate()
        hash.deallocate()
        number.deallocate()
        flag.deallocate()
        blank.deallocate()
    }
}
