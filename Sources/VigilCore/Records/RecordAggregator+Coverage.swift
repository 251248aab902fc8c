/// Which periods an extract can speak for.
///
/// A record-level extract holds the rows of some span of time, and a period's value is only true
/// if the extract holds every row of that period. An extract of the open caseload and the plans
/// ended this quarter still lists plans that began years ago; counted as if complete, it rewrote
/// five years of snapshots and new-plan counts (review helper-25). A month's police extract gave
/// the whole financial year's repeat-missing table, and an extract run on 3 May gave May's count
/// as 2. So an extract is taken to cover whole months, from the month in which every date column
/// an output counts by has begun (for an `end` column: the month of its earliest end; an extract
/// in which nothing has ended covers only its latest month), up to the evaluation date; a period
/// outside that span is left out, and the values stored for it stand.
extension RecordAggregator {
    /// The first and last day whole periods must fall within, or nil if the extract has no dates.
    func coverage() -> (first: Int, last: Int)? {
        guard maxDay != Int.min else { return nil }
        var first = Int.min
        func begun(_ column: Int) {
            guard minDays[column] != Int.max else { return }
            first = max(first, Self.monthStart(minDays[column]))
        }
        for output in feed.outputs {
            if let column = output.periodColumn { begun(column) }
            if case .active(let start, let end, _) = output.measure {
                begun(start)
                if let end {
                    // Nothing ended: the extract says nothing of the plans that ended before it.
                    if minDays[end] == Int.max { first = max(first, Self.monthStart(maxDay)) } else { begun(end) }
                }
            }
        }
        let last = latestDay.map { $0 - FeedParser.futureGraceDays } ?? Int.max
        return (first == Int.min ? Self.monthStart(maxDay) : first, last)
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
