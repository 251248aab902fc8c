extension Period {
    /// Parses any of the accepted period texts, whatever its periodicity.
    ///
    /// Accepted: `2013-03` (month), `2013-Q1` (quarter), `2012/13` (financial year),
    /// `2012/13-H1` (financial half-year), `2013-03-31` (snapshot). Returns nil otherwise.
    public init?(parsing text: some StringProtocol) {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for i in range {
                let b = bytes[i]
                guard b >= 48 && b <= 57 else { return nil }
                value = value * 10 + Int(b - 48)
            }
            return value
        }
        guard bytes.count >= 7, let year = digits(0..<4), year >= 1900, year <= 2999 else { return nil }
        switch bytes.count {
        case 7 where bytes[4] == UInt8(ascii: "-"):
            if bytes[5] == UInt8(ascii: "Q"), let q = digits(6..<7), (1...4).contains(q) {
                self = .quarter(year, q)
                return
            }
            guard let month = digits(5..<7), (1...12).contains(month) else { return nil }
            self = .month(year, month)
        case 7 where bytes[4] == UInt8(ascii: "/"):
            guard let yy = digits(5..<7), yy == (year + 1) % 100 else { return nil }
            self = .financialYear(year)
        case 10 where bytes[4] == UInt8(ascii: "/"):
            guard let yy = digits(5..<7), yy == (year + 1) % 100, bytes[7] == UInt8(ascii: "-"),
                bytes[8] == UInt8(ascii: "H"), let half = digits(9..<10), half == 1 || half == 2
            else { return nil }
            self = .financialHalfYear(year, half)
        case 10 where bytes[4] == UInt8(ascii: "-") && bytes[7] == UInt8(ascii: "-"):
            guard let month = digits(5..<7), let day = digits(8..<10),
                let date = CivilDate(year: year, month: month, day: day)
            else { return nil }
            self = .snapshot(date)
        default:
            return nil
        }
    }
}
