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

    /// A rule's words with its period codes as a board paper writes them: `2011-08–2012-02` as
    /// "August 2011–February 2012", `2013-03-31` as "31 March 2013", `2012/13-H1` as "Apr–Sep
    /// 2012", `2013-Q1` as "Q1 2013" (review helper-54: "3 values 2012-05–2012-07", "due by
    /// 2012-06-14"). A code counts only standing alone (not inside a longer run of digits,
    /// letters or dashes), and financial years (`2012/13`) are already words.
    static func periods(in text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count >= 7 else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 32)
        func isDigit(_ i: Int) -> Bool { i >= 0 && i < bytes.count && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        func isWordByte(_ i: Int) -> Bool {
            guard i >= 0 && i < bytes.count else { return false }
            let b = bytes[i]
            return isDigit(i) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2F || b == 0x2E
                || b == 0x5F
        }
        var i = 0
        while i < bytes.count {
            // A code starts with four digits after no word byte.
            if isDigit(i), isDigit(i + 1), isDigit(i + 2), isDigit(i + 3), !isWordByte(i - 1) {
                var replaced = false
                // A full stop ends a sentence, not a code, unless a digit or letter follows it.
                func ends(_ j: Int) -> Bool { !isWordByte(j) || (bytes[j] == 0x2E && !isWordByte(j + 1)) }
                for length in [10, 7] where i + length <= bytes.count && ends(i + length) {
                    let code = String(decoding: bytes[i..<(i + length)], as: UTF8.self)
                    guard let period = Period(parsing: code), period.periodicity != .financialYear else { continue }
                    let label = Array(period.label.utf8)
                    out += label
                    i += length
                    // "2012-04 (April 2012)" says it once.
                    let echo = Array(" (".utf8) + label + [0x29]
                    if i + echo.count <= bytes.count && Array(bytes[i..<(i + echo.count)]) == echo { i += echo.count }
                    replaced = true
                    break
                }
                if replaced { continue }
                // Not a code: copy the digit run whole, so no code is found inside it.
                while isDigit(i) {
                    out.append(bytes[i])
                    i += 1
                }
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
