#if canImport(Glibc)
    import Glibc
#endif

extension RuleEvaluator {
    /// `spike`: the value is at least k standard deviations from a baseline mean.
    ///
    /// `recent` baselines use the N values before the period (after a guard band); `seasonal`
    /// baselines use the same period ± window in previous years; `auto` is seasonal once two
    /// earlier years have the period, recent before. With `seasonal: true`, dips in the
    /// indicator's expected-low months are not alerted and those months are left out of baselines.
    static func spike(_ p: RuleKind.Spike, _ rule: Rule, _ points: [SeriesPoint], _ c: RuleContext) -> [Finding] {
        let direction = p.direction.resolved(c.indicator.polarity)
        let lowMonths = p.seasonal ? c.indicator.seasonality?.expectedLowMonths ?? [] : []
        let byPeriod = index(points)
        func isLow(_ period: Period) -> Bool { period.falls(in: lowMonths) }
        // The baseline's points by index (copying points would retain each one's sources), and
        // their values: buffers reused from one period to the next.
        var baseline: [Int] = []
        var numbers: [Double] = []
        // The periods this rule judged beyond its limit, left out of later recent baselines (at
        // most `periods` of them each time): a spike must not raise the bar the next month is
        // judged by, or a second high month reads "Resolved". The dispersion estimate keeps them:
        // without them a noisy series looks steadier than it is (docs/rules.md).
        var breached = [Bool](repeating: false, count: points.count)
        return points.enumerated().map { i, point in
            guard let v = point.number else { return censored(point) }
            baseline.removeAll(keepingCapacity: true)
            // Months this rule found beyond its limit that the recent baseline passed over.
            var passed = 0
            // `auto`: the same period of earlier years once two or more of them are stored,
            // otherwise the recent values (without the expected-low months).
            var useSeasonal = p.baseline == "seasonal"
            if p.baseline == "auto" {
                var anchor = point.period
                var years = 0
                for _ in 0..<max(1, p.years) {
                    anchor = anchor.sameLastYear
                    if let j = byPeriod[anchor], points[j].number != nil { years += 1 }
                }
                useSeasonal = years >= 2
            }
            if useSeasonal {
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
                    baseline += candidates.compactMap { byPeriod[$0] }.filter {
                        points[$0].number != nil && !isLow(points[$0].period)
                    }
                }
            } else {
                var j = i - 1 - p.guardPeriods
                passed = 0
                while j >= 0 && baseline.count < p.periods {
                    // Censored values and expected-low months take no place in the baseline, nor
                    // (up to a baseline's length of them) months this rule found beyond its limit.
                    if points[j].number != nil && !isLow(points[j].period) {
                        if breached[j] && passed < p.periods { passed += 1 } else { baseline.append(j) }
                    }
                    j -= 1
                }
            }
            numbers.removeAll(keepingCapacity: true)
            for j in baseline { if let x = points[j].number { numbers.append(x) } }
            guard numbers.count >= p.minPeriods else {
                let have = numbers.count
                return Finding(
                    period: point.period, status: .hold, value: v,
                    explanation: "only \(have) baseline values; at least \(p.minPeriods) needed", unjudged: .history)
            }
            let (mean, rawSD) = meanAndSD(numbers)
            // Over-dispersion from a longer history than the baseline: variance ÷ mean, at least 1.
            var dispersion = 1.0
            var estimatedFrom: Int?
            if let n = p.dispersionPeriods {
                let estimate = Self.dispersion(points, before: i, count: n, skipping: isLow)
                if estimate.estimated {
                    dispersion = estimate.value
                    estimatedFrom = estimate.values
                }
            }
            let estimated = dispersion
            // Farrington: the prediction's variance is the count's plus the baseline mean's (÷ n).
            if p.baselineError { dispersion *= 1 + 1 / Double(numbers.count) }
            // Counts: a baseline of a few values can look steadier than Poisson noise allows.
            let sd = max(rawSD, p.minSD, p.poissonFloor ? max(0, dispersion * mean).squareRoot() : 0)
            let z = (v - mean) / sd
            let limits = Finding.Limits(mean: mean, lower: mean - p.k * sd, upper: mean + p.k * sd)
            let basis = baseline.map { points[$0].period }.sorted()
            let (count, seasonalRange, from) = (numbers.count, p.baseline == "auto" && useSeasonal, estimatedFrom)
            // A recent baseline that passed over expected-low months says so (review helper-54:
            // September's CAFs against May–July read as if August, lower still, were forgotten),
            // from its first value to the guard band (review helper-56: a guarded month read as
            // passed over for being low), and names the months it passed over as beyond the limit.
            let lastUsable = i - 1 - p.guardPeriods
            let passedFrom = useSeasonal ? i : (baseline.min() ?? i)
            let spanned = passedFrom <= lastUsable ? passedFrom..<(lastUsable + 1) : i..<i
            let beyondLimit: [String] =
                passed == 0
                ? []
                : spanned.filter {
                    breached[$0] && points[$0].number != nil && !baseline.contains($0)
                        && !isLow(points[$0].period)
                }.map {
                    "\(points[$0].period)"
                }
            let lowSpan = lowMonths.isEmpty ? i..<i : spanned
            // Put into words only if the finding's explanation is read.
            let text: @Sendable () -> String = {
                var range = basis.count > 1 ? "\(basis.first!)–\(basis.last!)" : basis.first.map { "\($0)" } ?? ""
                if seasonalRange { range += ", the same months of earlier years" }
                let low = points[lowSpan].filter { point in
                    point.number != nil && point.period.falls(in: lowMonths)
                }.map { "\($0.period)" }
                if !low.isEmpty { range += ", leaving out \(low.joined(separator: ", ")) (expected to be low)" }
                if !beyondLimit.isEmpty {
                    range += ", \(low.isEmpty ? "leaving out" : "and") \(beyondLimit.joined(separator: ", ")) (beyond the limit)"
                }
                var note = from.map { ", dispersion \(formatNumber(estimated, decimals: 1)) from \($0) values" } ?? ""
                if p.baselineError { note += ", allowing for the baseline's own uncertainty" }
                return
                    "\(c.format(v)) against a baseline mean of \(c.format(mean)) (sd \(formatNumber(sd, decimals: 1)), \(count) values \(range)\(note)): \(formatNumber(abs(z), decimals: 1)) sd \(z >= 0 ? "above" : "below")"
            }
            if z < 0, isLow(point.period) {
                return Finding(
                    period: point.period, status: .clear, value: v, expected: mean,
                    explanation: text()
                        + "; a low value is expected in this month (\(c.indicator.seasonality?.reason ?? "seasonal"))",
                    basis: basis, limits: limits)
            }
            let relative = mean > 0 ? abs(v - mean) / mean : .infinity
            var beyond = direction.watches(z) && abs(z) >= p.k - epsilon && relative >= p.minRelativeChange - epsilon
            if beyond, let limit = p.poissonP {
                // The chance of a count at least this far out if the baseline mean still held.
                beyond = countTail(v, mean: mean, dispersion: dispersion, below: z < 0) <= limit + epsilon
            }
            breached[i] = beyond
            return Finding(
                period: point.period, status: beyond ? .breach : .clear, value: v, expected: mean, severity: rule.severity,
                explanation: text(), basis: basis, signal: c.signal(for: z), limits: limits)
        }
    }

    /// Over-dispersion from up to `count` numeric values before index `start` (walking back,
    /// passing over censored values and those `skipping` names): variance ÷ mean, at least 1.
    /// Not `estimated` (and 1) from fewer than 6 values or a mean that is not positive.
    static func dispersion(
        _ points: [SeriesPoint], before start: Int, count: Int, skipping: (Period) -> Bool = { _ in false }
    ) -> (value: Double, values: Int, estimated: Bool) {
        var history: [Double] = []
        var j = start - 1
        while j >= 0 && history.count < count {
            if let x = points[j].number, !skipping(points[j].period) { history.append(x) }
            j -= 1
        }
        let (m, s) = meanAndSD(history)
        guard history.count >= 6, m > 0 else { return (1, history.count, false) }
        return (max(1, s * s / m), history.count, true)
    }

    /// P(X ≤ v) (`below`) or P(X ≥ v) for a count X with this mean: Poisson when `dispersion` is
    /// 1, otherwise negative binomial with variance `dispersion` × mean (size mean ÷ (dispersion −
    /// 1)); summed in log space.
    static func countTail(_ v: Double, mean: Double, dispersion: Double = 1, below: Bool) -> Double {
        guard mean > 0 else { return below ? 1 : (v > 0 ? 0 : 1) }
        // The sums below take one term per count: a partner's value (or a baseline) of 10¹² must
        // not cost 10¹² steps. Past a few thousand, the normal approximation with a continuity
        // correction is as good as exact for a threshold of 0.002.
        if max(v, mean) > 5000 {
            let sd = (dispersion * mean).squareRoot()
            let z = below ? (v + 0.5 - mean) / sd : (mean - (v - 0.5)) / sd
            return 0.5 * erfc(-z / 2.0.squareRoot())
        }
        let size = dispersion > 1 + 1e-9 ? mean / (dispersion - 1) : nil
        func pmf(_ k: Int) -> Double {
            let x = Double(k)
            guard let r = size else { return exp(-mean + x * log(mean) - lgamma(x + 1)) }
            let coefficient: Double = lgamma(x + r) - lgamma(r) - lgamma(x + 1)
            let powers: Double = r * log(1 / dispersion) + x * log(1 - 1 / dispersion)
            return exp(coefficient + powers)
        }
        if below {
            guard v >= 0 else { return 0 }
            return min(1, (0...Int(v.rounded(.down))).reduce(0) { $0 + pmf($1) })
        }
        let first = max(0, Int(v.rounded(.up)))
        guard first > 0 else { return 1 }
        return max(0, 1 - (0..<first).reduce(0) { $0 + pmf($1) })
    }
}
