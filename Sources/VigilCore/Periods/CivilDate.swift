/// A calendar date with no time zone: the unit every period is built from.
///
/// Vigil's periods are civil dates (a month, a financial year, a snapshot day), so it never needs a
/// time zone or `Foundation.Calendar`, and the same text means the same period everywhere.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Year, e.g. 2013.
    public var year: Int
    /// Month 1–12.
    public var month: Int
    /// Day 1–31.
    public var day: Int

    /// Creates a date, or nil when it does not exist (e.g. 2013-02-29).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01 (negative before it).
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date a number of days after 1970-01-01.
    public init(dayNumber: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        month = m
        day = d
    }

    /// The civil date (UTC) of a Unix time in seconds.
    public init(unixSeconds: Double) {
        self.init(dayNumber: Int((unixSeconds / 86_400).rounded(.down)))
    }

    /// This date plus some days.
    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    /// The same day `years` years later; a month's last day goes to the month's last day (review
    /// helper-26: a year after 28 February 2015 is 29 February 2016).
    public func yearsLater(_ years: Int) -> CivilDate {
        let last = CivilDate.daysIn(year: year + years, month: month)
        let day = self.day == CivilDate.daysIn(year: year, month: month) ? last : min(self.day, last)
        return CivilDate(year: year + years, month: month, day: day) ?? adding(days: 365 * years)
    }

    /// The last day of this date's month.
    public var endOfMonth: CivilDate {
        CivilDate(year: year, month: month, day: CivilDate.daysIn(year: year, month: month))!
    }

    /// Whether a year is a leap year.
    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// Days in a month.
    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// ISO 8601 `YYYY-MM-DD`.
    public var description: String {
        "\(pad4(year))-\(pad2(month))-\(pad2(day))"
    }

    /// Orders the values.
    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// Zero-padded two-digit text.
func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

/// Zero-padded four-digit text.
func pad4(_ value: Int) -> String {
    let text = "\(value)"
    return String(repeating: "0", count: max(0, 4 - text.count)) + text
}
