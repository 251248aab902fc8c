extension RuleEvaluator {
    /// The XmR scaling constant: limits are mean ± 2.66 × mean moving range (NHS "Making Data Count").
    static let xmrConstant = 2.66

    /// `spc`: XmR special causes. Limits come from the first `baselinePeriods` values, or from every
    /// value up to the period judged; fewer than 12 values give "trial" limits, fewer than 6 none.
    static func spc(_ p: RuleKind.SPC, _ rule: Rule, _ points: [SeriesPoint], _ c: RuleContext) -> [Finding] {
        let numeric = points.filter { $0.number != nil }
        let values = numeric.map { $0.number! }
        let position = Dictionary(numeric.enumerated().map { ($1.period, $0) }, uniquingKeysWith: { a, _ in a })
        return points.map { point in
            guard let v = point.number, let i = position[point.period] else { return censored(point) }
            let baseCount = p.baselinePeriods.map { min($0, values.count) } ?? (i + 1)
            guard baseCount >= 6, i >= 1 || p.baselinePeriods != nil else {
                return Finding(
                    period: point.period, status: .hold, value: v,
                    explanation: "too few values (\(baseCount)) for process limits; at least 6 needed")
            }
            let base = Array(values[0..<baseCount])
            let mean = base.reduce(0, +) / Double(base.count)
            let ranges = zip(base.dropFirst(), base).map { abs($0 - $1) }
            let mr = ranges.reduce(0, +) / Double(max(1, ranges.count))
            let upper = mean + xmrConstant * mr
            let lower = mean - xmrConstant * mr
            let nearUpper = mean + 2.0 / 3.0 * xmrConstant * mr
            let nearLower = mean - 2.0 / 3.0 * xmrConstant * mr
            let limits = Finding.Limits(mean: mean, lower: lower, upper: upper)
            var causes: [(String, Double)] = []
            if p.tests.contains("outside_limits") {
                if v > upper { causes.append(("above the upper process limit of \(c.format(upper))", 1)) }
                if v < lower { causes.append(("below the lower process limit of \(c.format(lower))", -1)) }
            }
            if p.tests.contains("shift"), i + 1 >= p.shiftLength {
                let run = values[(i + 1 - p.shiftLength)...i]
                if run.allSatisfy({ $0 > mean }) {
                    causes.append(("\(p.shiftLength) points in a row above the mean of \(c.format(mean))", 1))
                }
                if run.allSatisfy({ $0 < mean }) {
                    causes.append(("\(p.shiftLength) points in a row below the mean of \(c.format(mean))", -1))
                }
            }
            if p.tests.contains("trend"), i + 1 >= p.trendLength {
                let run = Array(values[(i + 1 - p.trendLength)...i])
                let steps = zip(run.dropFirst(), run)
                if steps.allSatisfy({ $0 > $1 }) { causes.append(("\(p.trendLength) points each higher than the one before", 1)) }
                if steps.allSatisfy({ $0 < $1 }) { causes.append(("\(p.trendLength) points each lower than the one before", -1)) }
            }
            if p.tests.contains("two_of_three"), i >= 2 {
                let run = values[(i - 2)...i]
                if run.allSatisfy({ $0 > mean }) && run.filter({ $0 > nearUpper && $0 <= upper }).count >= 2 {
                    causes.append(("2 of the last 3 points near the upper limit", 1))
                }
                if run.allSatisfy({ $0 < mean }) && run.filter({ $0 < nearLower && $0 >= lower }).count >= 2 {
                    causes.append(("2 of the last 3 points near the lower limit", -1))
                }
            }
            let trial = baseCount < 12 ? " (trial limits from \(baseCount) values)" : ""
            let alerting = causes.filter { cause in
                p.signal == "any" || c.indicator.polarity == .neutral || c.signal(for: cause.1) == "concern"
            }
            guard let first = alerting.first else {
                let note =
                    causes.isEmpty
                    ? "common-cause variation" : "special cause of improvement: " + causes.map(\.0).joined(separator: "; ")
                return Finding(
                    period: point.period, status: .clear, value: v, expected: mean,
                    explanation: "\(c.format(v)): \(note)\(trial)", signal: causes.first.map { c.signal(for: $0.1) },
                    limits: limits)
            }
            let signal = c.signal(for: first.1)
            return Finding(
                period: point.period, status: .breach, value: v, expected: mean, severity: rule.severity,
                explanation: "\(c.format(v)): special cause of \(signal == "neutral" ? "variation" : signal), "
                    + alerting.map(\.0).joined(separator: "; ") + trial,
                signal: signal, limits: limits)
        }
    }
}
