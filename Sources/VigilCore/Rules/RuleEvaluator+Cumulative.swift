extension RuleEvaluator {
    /// How many months before the financial year set a month's usual level, and how many at least.
    static let cumulativeLevelMonths = (most: 12, least: 6)

    /// `cumulative`: a month whose figure looks like the financial year to date, sent in the
    /// month's column (review helper-34: running totals 20, 42, 60 … 262 for a count of about 22 a
    /// month were accepted and read as a crisis). Against the usual month (the median of up to 12
    /// months before the year, at least 6), a month at least 2.5 times it **breaches**, from June,
    /// when every month of the year so far is its month of the year times a usual month, within
    /// 35%, and each adds an ordinary month to the one before (running totals from April: 22, 44,
    /// 66 …); or, from July, when it is the year's earlier months plus a usual month, within 25%,
    /// and what it adds is an ordinary month (a partner that switched to running totals mid-year).
    /// An ordinary month is within the range of the months before the year, widened by a quarter
    /// of a usual month either side. June's switch is not looked for: three usual months is what a
    /// real spike can be (Peterborough's June 2012, 38 after 10 and 14, is not flagged). **hold**
    /// without enough earlier months; **clear** otherwise, and in April and May. A real month as
    /// large as the year to date is flagged too: the alert asks to check, nothing else is held.
    static func cumulative(_ p: RuleKind.Quality, _ rule: Rule, _ points: [SeriesPoint], _ c: RuleContext) -> [Finding] {
        var yearStart = 0
        return points.indices.map { i in
            let point = points[i]
            guard let v = point.number else { return censored(point) }
            let year = Period.containing(point.period.start, .financialYear)
            if i == 0 || points[i - 1].period.start < year.start { yearStart = i }
            guard
                let before = numbers(
                    before: yearStart, in: points, most: cumulativeLevelMonths.most, least: cumulativeLevelMonths.least)
            else {
                return Finding(
                    period: point.period, status: .hold, value: v,
                    explanation: "fewer than \(cumulativeLevelMonths.least) months before the year to set a usual month",
                    unjudged: .history)
            }
            let usual = median(before)
            // April is month 1 of the financial year.
            let month = (point.period.start.month + 8) % 12 + 1
            let earlier = points[yearStart..<i].compactMap(\.number)
            let sum = earlier.reduce(0, +)
            let complete = earlier.count == i - yearStart && earlier.count == month - 1
            // What each month of a year to date adds must look like an ordinary month: within the
            // range of the months before the year, widened by a quarter of a usual month either
            // side (review helper-35: a rising trend, 22, 33, 60, read as running totals).
            let ordinary = (before.min()! - 0.25 * usual)...(before.max()! + 0.25 * usual)
            let running =
                complete && month >= 3
                && (earlier + [v]).enumerated().allSatisfy { j, x in
                    abs(x - Double(j + 1) * usual) <= 0.35 * Double(j + 1) * usual
                }
                && zip([0] + earlier, earlier + [v]).allSatisfy { ordinary.contains($1 - $0) }
            let switched =
                complete && month >= 4 && abs(v - (sum + usual)) <= 0.25 * v
                && ordinary.contains(v - sum)
            guard usual >= p.minMedian, month >= 2, v >= 2.5 * usual, switched || running else {
                return Finding(
                    period: point.period, status: .clear, value: v, expected: usual,
                    explanation: "\(c.format(v)) against a usual month of \(c.format(usual)): not a year-to-date figure")
            }
            let ytd = sum + usual
            let why =
                switched
                ? "the year's earlier months (\(c.format(sum))) plus a usual month make \(c.format(ytd))"
                : "each month of the year so far (\(earlier.map(c.format).joined(separator: ", ")), then \(c.format(v))) is about one, two, … \(month) usual months (\(c.format(Double(month) * usual)) by now)"
            return Finding(
                period: point.period, status: .breach, value: v, expected: usual, severity: rule.severity,
                explanation:
                    "\(c.format(v)) for \(point.period) against a usual month of \(c.format(usual)) looks like the financial year to date, not the month: \(why); check with the partner before reading it as a rise",
                basis: Array(points[yearStart..<i].map(\.period)))
        }
    }
}
