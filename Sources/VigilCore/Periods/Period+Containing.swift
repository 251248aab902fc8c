extension Period {
    /// The period of `periodicity` that contains `date` (for snapshots, the snapshot at `date`).
    public static func containing(_ date: CivilDate, _ periodicity: Periodicity) -> Period {
        let fyStart = date.month >= 4 ? date.year : date.year - 1
        switch periodicity {
        case .month: return .month(date.year, date.month)
        case .quarter: return .quarter(date.year, (date.month - 1) / 3 + 1)
        case .financialYear: return .financialYear(fyStart)
        case .financialHalfYear: return .financialHalfYear(fyStart, (4...9).contains(date.month) ? 1 : 2)
        case .snapshot: return .snapshot(date)
        }
    }

    /// The latest period of `periodicity` that has ended before `date` (for snapshots, the last
    /// day of the month before `date`'s month).
    public static func latestEnded(before date: CivilDate, _ periodicity: Periodicity) -> Period {
        let current = containing(date, periodicity)
        if periodicity == .snapshot { return .snapshot(CivilDate(year: date.year, month: date.month, day: 1)!.adding(days: -1)) }
        return current.end < date ? current : current.previous ?? current
    }
}
