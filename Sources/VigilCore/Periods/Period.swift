/// A reporting period: a month, quarter, financial year or half-year, or a snapshot date.
///
/// Periods of one periodicity are totally ordered by their end date. Text forms are documented in
/// `docs/feeds.md` and are the only accepted spellings.
public struct Period: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The kind of period.
    public let periodicity: Periodicity
    /// First day (inclusive).
    public let start: CivilDate
    /// Last day (inclusive).
    public let end: CivilDate

    init(periodicity: Periodicity, start: CivilDate, end: CivilDate) {
        self.periodicity = periodicity
        self.start = start
        self.end = end
    }

    /// A calendar month.
    public static func month(_ year: Int, _ month: Int) -> Period {
        let start = CivilDate(year: year, month: month, day: 1)!
        return Period(periodicity: .month, start: start, end: start.endOfMonth)
    }

    /// A calendar quarter 1–4.
    public static func quarter(_ year: Int, _ quarter: Int) -> Period {
        let start = CivilDate(year: year, month: (quarter - 1) * 3 + 1, day: 1)!
        let endMonth = CivilDate(year: year, month: quarter * 3, day: 1)!
        return Period(periodicity: .quarter, start: start, end: endMonth.endOfMonth)
    }

    /// The financial year starting in April of `startYear` (2012 → `2012/13`).
    public static func financialYear(_ startYear: Int) -> Period {
        Period(
            periodicity: .financialYear, start: CivilDate(year: startYear, month: 4, day: 1)!,
            end: CivilDate(year: startYear + 1, month: 3, day: 31)!)
    }

    /// Half 1 (April–September) or 2 (October–March) of the financial year starting in `startYear`.
    public static func financialHalfYear(_ startYear: Int, _ half: Int) -> Period {
        if half == 1 {
            return Period(
                periodicity: .financialHalfYear, start: CivilDate(year: startYear, month: 4, day: 1)!,
                end: CivilDate(year: startYear, month: 9, day: 30)!)
        }
        return Period(
            periodicity: .financialHalfYear, start: CivilDate(year: startYear, month: 10, day: 1)!,
            end: CivilDate(year: startYear + 1, month: 3, day: 31)!)
    }

    /// A snapshot at a date.
    public static func snapshot(_ date: CivilDate) -> Period {
        Period(periodicity: .snapshot, start: date, end: date)
    }

    /// The canonical text, e.g. `2012/13-H2`.
    public var description: String {
        switch periodicity {
        case .month: return "\(pad4(start.year))-\(pad2(start.month))"
        case .quarter: return "\(pad4(start.year))-Q\((start.month - 1) / 3 + 1)"
        case .financialYear: return Period.fyLabel(fyStartYear)
        case .financialHalfYear: return "\(Period.fyLabel(fyStartYear))-H\(start.month == 4 ? 1 : 2)"
        case .snapshot: return start.description
        }
    }

    /// A label for people, e.g. "March 2013", "2012/13", "31 March 2013".
    public var label: String {
        let names = [
            "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December",
        ]
        switch periodicity {
        case .month: return "\(names[start.month - 1]) \(start.year)"
        case .quarter: return "Q\((start.month - 1) / 3 + 1) \(start.year)"
        case .financialYear: return Period.fyLabel(fyStartYear)
        case .financialHalfYear:
            return start.month == 4 ? "Apr–Sep \(start.year)" : "Oct \(start.year)–Mar \(start.year + 1)"
        case .snapshot: return "\(start.day) \(names[start.month - 1]) \(start.year)"
        }
    }

    private var fyStartYear: Int { start.month >= 4 ? start.year : start.year - 1 }

    private static func fyLabel(_ startYear: Int) -> String {
        "\(pad4(startYear))/\(pad2((startYear + 1) % 100))"
    }

    /// The period immediately before this one, or nil for snapshots (which are irregular).
    public var previous: Period? {
        switch periodicity {
        case .month:
            return start.month == 1 ? .month(start.year - 1, 12) : .month(start.year, start.month - 1)
        case .quarter:
            let q = (start.month - 1) / 3 + 1
            return q == 1 ? .quarter(start.year - 1, 4) : .quarter(start.year, q - 1)
        case .financialYear: return .financialYear(fyStartYear - 1)
        case .financialHalfYear:
            return start.month == 4 ? .financialHalfYear(fyStartYear - 1, 2) : .financialHalfYear(fyStartYear, 1)
        case .snapshot: return nil
        }
    }

    /// The period immediately after this one, or nil for snapshots.
    public var next: Period? {
        switch periodicity {
        case .month:
            return start.month == 12 ? .month(start.year + 1, 1) : .month(start.year, start.month + 1)
        case .quarter:
            let q = (start.month - 1) / 3 + 1
            return q == 4 ? .quarter(start.year + 1, 1) : .quarter(start.year, q + 1)
        case .financialYear: return .financialYear(fyStartYear + 1)
        case .financialHalfYear:
            return start.month == 4 ? .financialHalfYear(fyStartYear, 2) : .financialHalfYear(fyStartYear + 1, 1)
        case .snapshot: return nil
        }
    }

    /// The same period one year earlier (for snapshots, the same day; 29 February → 28 February).
    public var sameLastYear: Period {
        switch periodicity {
        case .month: return .month(start.year - 1, start.month)
        case .quarter: return .quarter(start.year - 1, (start.month - 1) / 3 + 1)
        case .financialYear: return .financialYear(fyStartYear - 1)
        case .financialHalfYear: return .financialHalfYear(fyStartYear - 1, start.month == 4 ? 1 : 2)
        case .snapshot:
            let day = min(start.day, CivilDate.daysIn(year: start.year - 1, month: start.month))
            return .snapshot(CivilDate(year: start.year - 1, month: start.month, day: day)!)
        }
    }

    /// Whether `other` lies wholly inside this period.
    public func contains(_ other: Period) -> Bool { start <= other.start && other.end <= end }

    /// The calendar month (1–12) a month or snapshot falls in; nil for longer periods.
    public var monthOfYear: Int? {
        periodicity == .month || periodicity == .snapshot ? start.month : nil
    }

    /// Whether this is a month (or a snapshot in a month) among `months` (1–12): an indicator's
    /// expected-low months, for the spike rule and the digest's charts alike.
    public func falls(in months: Set<Int>) -> Bool { monthOfYear.map { months.contains($0) } ?? false }

    /// How many periods run from this one up to `end` (not included), counted to at most
    /// `limit`, and the last counted: a gap's length, for the overdue rule and the digest's
    /// charts alike.
    public func run(before end: Period, limit: Int) -> (count: Int, last: Period) {
        var count = 0
        var last = self
        var cursor: Period? = self
        while let period = cursor, period < end, count < limit {
            count += 1
            last = period
            cursor = period.next
        }
        return (count, last)
    }

    /// Orders the values.
    public static func < (lhs: Period, rhs: Period) -> Bool {
        (lhs.end, lhs.start) < (rhs.end, rhs.start)
    }

    /// Whether the period is still running on `date` (a snapshot, one day, never is): a count for
    /// part of it would be judged as the whole (review helper-34).
    public func isRunning(on date: CivilDate) -> Bool {
        periodicity != .snapshot && end.dayNumber > date.dayNumber
    }
}
