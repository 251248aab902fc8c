#if canImport(Glibc)
    import Glibc
#endif

extension RuleEvaluator {
    /// `spike`: the value is at least k standard deviations from a baseline mean.
    ///
    /// `recent` baselines use the N values before the period (after a guard band); `seasonal`
    /// baselines use the same period ± window in previous years. With `seasonal: true`, dips in the
    /// indicator's expected-low months are not alerted and those months are left out of baselines.
    static func spike(_ p: RuleKind.Spike, _ rule: Rule, _ points: [SeriesPoint], _ c: RuleContext) -> [Finding] {
        let direction = p.direction.resolved(c.indicator.polarity)
        let lowMonths = p.seasonal ? c.indicator.seasonality?.expectedLowMonths ?? [] : []
        let byPeriod = index(points)
        func isLow(_ period: Period) -> Bool { period.monthOfYear.map { lowMonths.contains($0) } ?? false }
        return points.enumerated().map { i, point in
            guard let v = point.number else { return censored(point) }
            var baseline: [SeriesPoint] = []
            if p.baseline == "seasonal" {
                for year in 1...max(1, p.years) {
                    var anchor = point.period
                    for _ in 0..<year { anchor = anchor.sameLastYear }
                    var candidates = [anchor]
                    var before = anchor
                    var after = anchor
                    for _ in 0..<p.window {
                        if let b = before.previous {
                            candidates.append(b)
                            before = b
                        }
                        if let a = after.next {
                            candidates.append(a)
                            after = a
                        }
                    }
                    baseline += candidates.compactMap { byPeriod[$0].map { points[$0] } }.filter {
                        $0.number != nil && !isLow($0.period)
                    }
                }
            } else {
                var j = i - 1 - p.guardPeriods
                while j >= 0 && baseline.count < p.periods {
                    // Censored values and expected-low months take no place in the baseline.
                    if points[j].number != nil && !isLow(points[j].period) { baseline.append(points[j]) }
                    j -= 1
                }
            }
            let numbers = baseline.compactMap(\.number)
            guard numbers.count >= p.minPeriods else {
                return Finding(
                    period: point.period, status: .hold, value: v,
                    explanation: "only \(numbers.count) baseline values; at least \(p.minPeriods) needed")
            }
            let (mean, rawSD) = meanAndSD(numbers)
            // Counts: a baseline of a few values can look steadier than Poisson noise allows.
            let sd = max(rawSD, p.minSD, p.poissonFloor ? max(0, mean).squareRoot() : 0)
            let z = (v - mean) / sd
            let limits = Finding.Limits(mean: mean, lower: mean - p.k * sd, upper: mean + p.k * sd)
            let basis = baseline.map(\.period).sorted()
            let range = basis.count > 1 ? "\(basis.first!)–\(basis.last!)" : basis.first.map { "\($0)" } ?? ""
            let text =
                "\(c.format(v)) against a baseline mean of \(c.format(mean)) (sd \(formatNumber(sd, decimals: 1)), \(numbers.count) values \(range)): \(formatNumber(abs(z), decimals: 1)) sd \(z >= 0 ? "above" : "below")"
            if z < 0, isLow(point.period) {
                return Finding(
                    period: point.period, status: .clear, value: v, expected: mean,
                    explanation: text
                        + "; a low value is expected in this month (\(c.indicator.seasonality?.reason ?? "seasonal"))",
                    basis: basis, limits: limits)
            }
            let relative = mean > 0 ? abs(v - mean) / mean : .infinity
            var beyond = direction.watches(z) && abs(z) >= p.k - epsilon && relative >= p.minRelativeChange - epsilon
            if beyond, let limit = p.poissonP {
                // The chance of a count at least this far out if the baseline mean still held.
                beyond = poissonTail(v, mean: mean, below: z < 0) <= limit + epsilon
            }
            return Finding(
                period: point.period, status: beyond ? .breach : .clear, value: v, expected: mean, severity: rule.severity,
                explanation: text, basis: basis, signal: c.signal(for: z), limits: limits)
        }
    }

    /// P(X ≤ v) (`below`) or P(X ≥ v) for a Poisson count X with this mean, summed in log space.
    static func poissonTail(_ v: Double, mean: Double, below: Bool) -> Double {
        guard mean > 0 else { return below ? 1 : (v > 0 ? 0 : 1) }
        func pmf(_ k: Int) -> Double { exp(-mean + Double(k) * log(mean) - lgamma(Double(k) + 1)) }
        if below {
            guard v >= 0 else { return 0 }
            return min(1, (0...Int(v.rounded(.down))).reduce(0) { $0 + pmf($1) })
        }
        let first = max(0, Int(v.rounded(.up)))
        guard first > 0 else { return 1 }
        return max(0, 1 - (0..<first).reduce(0) { $0 + pmf($1) })
    }
}
