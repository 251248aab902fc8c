extension RuleEvaluator {
    /// How many values before a run set whether the series varies, at most and at least.
    static let flatlineHistory = (most: 12, least: 6)

    /// `flatline`: the same figure `periods` times running (4 by default) on a series that varies
    /// (review helper-34: CAF registrations carried forward at 55 for six months, through the
    /// holiday months that always dip, raised nothing). **breach** at the last value of such a
    /// run when the values before it (up to 12, at least 6) are not all one figure and their
    /// median is at least `min_median` (10); **hold** without that history; **clear** otherwise.
    /// Four equal months of a Poisson count of 10 happen by chance about once in 80 series-years
    /// (12 Σ pₖ⁴ a year; at 20, once in 230); three running, once in 9: `periods` below 4 needs a
    /// larger count.
    static func flatline(_ p: RuleKind.Quality, _ rule: Rule, _ points: [SeriesPoint], _ c: RuleContext) -> [Finding] {
        points.indices.map { i in
            let point = points[i]
            guard let v = point.number else { return censored(point) }
            let start = i - p.periods + 1
            let run = start >= 0 ? points[start...i].compactMap(\.number) : []
            let repeated = run.count == p.periods && run.allSatisfy { $0 == v }
            guard repeated else {
                return Finding(
                    period: point.period, status: .clear, value: v, explanation: "\(c.format(v)) is not a repeated figure")
            }
            guard let before = numbers(before: start, in: points, most: flatlineHistory.most, least: flatlineHistory.least)
            else {
                return Finding(
                    period: point.period, status: .hold, value: v,
                    explanation: "fewer than \(flatlineHistory.least) values before the run to tell whether the series varies",
                    unjudged: .history)
            }
            let usual = median(before)
            guard usual >= p.minMedian, Set(before).count > 1 else {
                return Finding(
                    period: point.period, status: .clear, value: v, expected: usual,
                    explanation:
                        "\(c.format(v)) repeated, in a series that is \(usual < p.minMedian ? "too small to tell" : "always one figure")",
                    unjudged: usual < p.minMedian ? .small : nil)
            }
            let periods = points[start...i].map(\.period)
            return Finding(
                period: point.period, status: .breach, value: v, expected: usual, severity: rule.severity,
                explanation:
                    "\(c.format(v)) for \(p.periods) periods running (\(periods.first!)–\(periods.last!)) in a series that varies (the \(before.count) before: \(c.format(before.min()!)) to \(c.format(before.max()!))): more likely a figure carried forward than a real count; check with the partner",
                basis: Array(periods.dropLast()))
        }
    }
}
