import VigilCore

/// Dates and times as a board paper writes them: "April 2012 to March 2013", "2 December 2026 at
/// 06:34 UTC"; never ISO stamps.
enum PlainWords {
    static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]

    /// "2 December 2026".
    static func day(_ date: CivilDate) -> String { "\(date.day) \(months[date.month - 1]) \(date.year)" }

    /// "December 2026".
    static func month(_ date: CivilDate) -> String { "\(months[date.month - 1]) \(date.year)" }

    /// A span of dates: whole months as "April 2012 to March 2013" (or "March 2013"), else days.
    static func span(from: CivilDate, to: CivilDate) -> String {
        if from.day == 1 && to == to.endOfMonth {
            let first = month(from)
            let last = month(to)
            return first == last ? first : "\(first) to \(last)"
        }
        return from == to ? day(from) : "\(day(from)) to \(day(to))"
    }

    /// An ISO 8601 UTC time ("2026-11-28T06:34:37Z") as "28 November 2026 at 06:34 UTC"; other
    /// text unchanged.
    static func time(_ iso: String) -> String {
        let chars = Array(iso)
        guard chars.count >= 16, chars[4] == "-", chars[7] == "-", chars[10] == "T",
            let year = Int(String(chars[0..<4])), let monthNumber = Int(String(chars[5..<7])),
            let dayNumber = Int(String(chars[8..<10])), let date = CivilDate(year: year, month: monthNumber, day: dayNumber)
        else { return iso }
        return "\(day(date)) at \(String(chars[11..<16])) UTC"
    }
}
