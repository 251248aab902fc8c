/// Which periods an extract can speak for.
///
/// A record-level extract holds the rows of some span of time, and a period's value is only true
/// if the extract holds every row of that period. An extract of the open caseload and the plans
/// ended this quarter still lists plans that began years ago; counted as if complete, it rewrote
/// five years of snapshots and new-plan counts (review helper-25). A month's police extract gave
/// the whole financial year's repeat-missing table, and an extract run on 3 May gave May's count
/// as 2. So an extract is taken to cover whole months: for a date column, the run of months with
/// a date in it (at most `runGap`, eleven, empty months in a row) that ends at its latest such
/// month, so one back-dated row more than a year before the rest does not widen it (review
/// helper-26; a row within a year still does, and a rolling extract's first month is taken whole). An output covers
/// the run of the column it counts by, within the run of every `active` output's `end` column (an
/// `end` column in which nothing has ended: the month of the latest date), up to the day before
/// the evaluation date. A period outside that span is left out, and the values stored for it
/// stand.
extension RecordAggregator {
    /// Words of month bits per column: January 1900 to December 2999.
    static let monthWords = (1100 * 12 + 63) / 64

    /// Notes the month of a valid date or date-time cell (`YYYY-MM-…`) for its column.
    @inline(__always)
    mutating func noteMonth(_ column: Int, _ b: UnsafeBufferPointer<UInt8>) {
        let year = Int(b[0] &- 48) &* 1000 &+ Int(b[1] &- 48) &* 100 &+ Int(b[2] &- 48) &* 10 &+ Int(b[3] &- 48)
        let month = Int(b[5] &- 48) &* 10 &+ Int(b[6] &- 48)
        let index = (year &- 1900) &* 12 &+ month &- 1
        guard index >= 0, index < Self.monthWords * 64 else { return }
        months[column * Self.monthWords + index >> 6] |= 1 << UInt64(index & 63)
    }

    /// Empty months a run of months may pass over (a small board's quiet months, a test's sparse
    /// rows) before it ends: a date more than a year before the rest of its column is left out.
    static let runGap = 11

    /// The first month (index from January 1900) of the run of months that ends at the column's
    /// latest (no more than `runGap` empty months in a row), or nil if the column has no date.
    func runStart(_ column: Int) -> Int? {
        let base = column * Self.monthWords
        func has(_ index: Int) -> Bool { index >= 0 && months[base + index >> 6] & (1 << UInt64(index & 63)) != 0 }
        guard let word = (0..<Self.monthWords).last(where: { months[base + $0] != 0 }) else { return nil }
        var index = word * 64 + 63 - months[base + word].leadingZeroBitCount
        while let earlier = (1...(Self.runGap + 1)).lazy.map({ index - $0 }).first(where: has) { index = earlier }
        return index
    }

    /// Per output, the first and last day whole periods must fall within; nil if the extract has
    /// no dates. An output is bounded by its own date column's run, and every output by the run
    /// of an `active` output's `end` column (plans that ended before it are not in the file).
    func coverage() -> [(first: Int, last: Int)]? {
        guard maxDay != Int.min else { return nil }
        func monthDay(_ index: Int) -> Int { CivilDate(year: 1900 + index / 12, month: index % 12 + 1, day: 1)!.dayNumber }
        var bound = Int.min
        for output in feed.outputs {
            guard case .active(_, let end, _) = output.measure, let end else { continue }
            // Nothing ended: the extract says nothing of the plans that ended before it.
            bound = max(bound, runStart(end).map(monthDay) ?? Self.monthStart(maxDay))
        }
        // A period must have ended before the evaluation date (its day is not over).
        let last = latestDay.map { $0 - FeedParser.futureGraceDays - 1 } ?? Int.max
        return feed.outputs.map { output in
            var first = bound
            if let column = output.periodColumn, let start = runStart(column) { first = max(first, monthDay(start)) }
            if case .active(let start, _, _) = output.measure, bound == Int.min, let run = runStart(start) {
                first = max(first, monthDay(run))
            }
            return (first == Int.min ? Self.monthStart(maxDay) : first, last)
        }
    }

    /// Whether a period lies wholly within the coverage.
    static func covers(_ coverage: (first: Int, last: Int)?, _ period: Period) -> Bool {
        guard let coverage else { return true }
        return period.start.dayNumber >= coverage.first && period.end.dayNumber <= coverage.last
    }

    /// The first day of the month a day falls in.
    static func monthStart(_ day: Int) -> Int {
        let date = CivilDate(dayNumber: day)
        return CivilDate(year: date.year, month: date.month, day: 1)!.dayNumber
    }
}
