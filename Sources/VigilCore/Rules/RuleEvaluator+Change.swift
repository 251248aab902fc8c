import Foundation

extension RuleEvaluator {
    /// `change`: against the previous period (or previous snapshot) or the same period last year.
    ///
    /// With `window` (and `last_year`), the mean of the values in the `window` periods ending at
    /// the judged one is compared with the mean of the same periods a year earlier, over the
    /// periods with a value in both years (`ChangeWindow`), so one noisy month of a monthly
    /// percentage is not news (review helper-28: placement stability with monthly noise of ±2
    /// points fell 3 points on the same month a year earlier about once a year). With one pair it
    /// reads as without a window. With `poisson_p`, a change that passes the other tests must also
    /// be beyond chance for two counts (`TwoCounts`; with a window, the sums of the paired periods),
    /// else the period is clear and says so. With `binomial_p`, the same for two proportions
    /// (`TwoProportions`, on the counts behind a percentage; with a window, their means); where
    /// those counts are not known, the change is judged without the test and says so.
    static func change(
        _ p: RuleKind.Change, _ rule: Rule, _ series: SeriesKey, _ points: [SeriesPoint], _ c: RuleContext
    ) -> [Finding] {
        let direction = p.direction.resolved(c.indicator.polarity)
        let byPeriod = index(points)
        return points.enumerated().map { i, point in
            guard let value = point.number else { return censored(point) }
            let v: Double
            let b: Double
            let basis: [Period]
            // The periods each side's value is the mean of (one each without a window).
            var nowPeriods = [point.period]
            var thenPeriods: [Period] = []
            // How many periods each side's value is the mean of (1 without a window).
            var pairs = 1.0
            // Words are made only if the finding's explanation is read.
            let compared: @Sendable () -> String
            if p.compare == "last_year" && p.window > 1 && point.period.previous != nil {
                guard let w = ChangeWindow.paired(ending: point.period, count: p.window, points, byPeriod) else {
                    return Finding(
                        period: point.period, status: .hold, value: value,
                        explanation: "no value to compare with at the same period last year (\(point.period.sameLastYear))",
                        unjudged: .history)
                }
                // Every other period whose value went into either mean is evidence (the alert's sources).
                let earlierPeriods = w.periods.map(\.sameLastYear)
                (v, b, basis) = (w.now, w.then, earlierPeriods + w.periods.filter { $0 != point.period })
                pairs = Double(w.periods.count)
                (nowPeriods, thenPeriods) = (w.periods, earlierPeriods)
                compared = {
                    guard w.periods.count > 1 else {
                        return
                            "\(c.format(w.now)) against \(c.format(w.then)) at the same period last year (\(earlierPeriods[0]))"
                    }
                    return
                        "\(c.format(w.now))\(ChangeWindow.words(w.periods)) against \(c.format(w.then))\(ChangeWindow.words(earlierPeriods)), the same periods a year earlier"
                }
            } else {
                let base: SeriesPoint?
                let label: @Sendable () -> String
                if p.compare == "last_year" {
                    base = byPeriod[point.period.sameLastYear].map { points[$0] }
                    label = { "the same period last year (\(point.period.sameLastYear))" }
                } else if let previous = point.period.previous {
                    base = byPeriod[previous].map { points[$0] }
                    label = { "the previous period (\(previous))" }
                } else {
                    let earlier = i > 0 ? points[i - 1] : nil
                    base = earlier
                    label = { "the previous value (\(earlier.map { "\($0.period)" } ?? "none"))" }
                }
                guard let base, let earlier = base.number else {
                    return Finding(
                        period: point.period, status: .hold, value: value,
                        explanation: "no value to compare with at \(label())", unjudged: .history)
                }
                (v, b, basis) = (value, earlier, [base.period])
                thenPeriods = [base.period]
                compared = { "\(c.format(value)) against \(c.format(earlier)) at \(label())" }
            }
            let delta = v - b
            let pct = b == 0 ? nil : delta / abs(b) * 100
            let moved = delta > 0 ? "up" : delta < 0 ? "down" : "unchanged"
            // Put into words only if the finding's explanation is read.
            let text: @Sendable () -> String = {
                guard delta != 0 else { return "unchanged: " + compared() }
                return "\(moved) \(c.formatPoints(abs(delta)))" + (pct.map { " (\(percentText(abs($0))))" } ?? "") + ": "
                    + compared()
            }
            if max(abs(v), abs(b)) < p.minCount {
                return Finding(
                    period: point.period, status: .clear, value: v, expected: b,
                    explanation: text() + "; below the minimum count of \(formatNumber(p.minCount, decimals: 0)), so not judged",
                    basis: basis, unjudged: .small)
            }
            var beyond = direction.watches(delta)
            if let percent = p.percent { beyond = beyond && (pct.map { abs($0) >= percent - epsilon } ?? true) }
            if let absolute = p.absolute { beyond = beyond && abs(delta) >= absolute - epsilon }
            var untested = ""
            if beyond, let limit = p.binomialP {
                do throws(ChanceUntested) {
                    let now = try c.proportion(v, series, nowPeriods)
                    let then = try c.proportion(b, series, thenPeriods)
                    let chance = TwoProportions.pValue(now: now, then: then, up: delta > 0)
                    if chance > limit + epsilon {
                        let sizes =
                            "\(formatNumber(now.trials, decimals: 0)) now and \(formatNumber(then.trials, decimals: 0)) then"
                        return Finding(
                            period: point.period, status: .clear, value: v, expected: b,
                            explanation: text()
                                + "; \(RuleContext.withinChanceWords.two) \(sizes) (p \(pText(chance, against: limit)), above \(pText(limit, against: chance)))",
                            basis: basis, signal: c.signal(for: delta))
                    }
                } catch {
                    untested = error.caveat()
                }
            }
            var testedWords = ""
            if beyond, let limit = p.poissonP {
                // Counts that vary more than Poisson counts: both divided by how much (quasi-Poisson).
                let spread = p.dispersionPeriods.map { n in
                    CountSpread.before(
                        nowPeriods.map(\.start).min() ?? point.period.start, count: n, series: series, points: points,
                        context: c)
                }
                let phi = spread?.value ?? 1
                // A windowed comparison is of means over the paired periods: their sums are the counts.
                let tested = TwoCounts.pValue(now: v * pairs / phi, then: b * pairs / phi, up: delta > 0)
                let chance = spread?.adjusted(tested) ?? tested
                let variable = spread?.isVariable == true
                let how = spread.map { "; \($0.words)" } ?? ""
                if chance > limit + epsilon {
                    let within = variable ? RuleContext.withinChanceWords.variable : RuleContext.withinChanceWords.counts
                    return Finding(
                        period: point.period, status: .clear, value: v, expected: b,
                        explanation: text()
                            + "; \(within) (p \(pText(chance, against: limit)), above \(pText(limit, against: chance))\(how))",
                        basis: basis, signal: c.signal(for: delta))
                }
                // With a dispersion estimate, the test that decided is said (without, as before).
                if spread != nil {
                    testedWords =
                        "; beyond chance for counts this \(variable ? "variable" : "size") (p \(pText(chance, against: limit))\(how))"
                }
            }
            let caveat = untested + testedWords
            return Finding(
                period: point.period, status: beyond ? .breach : .clear, value: v, expected: b, severity: rule.severity,
                explanation: text() + caveat, basis: basis, signal: c.signal(for: delta))
        }
    }

    /// `trend`: N consecutive strict rises or falls (a tie or a missing value breaks the run).
    static func trend(_ p: RuleKind.Trend, _ rule: Rule, _ points: [SeriesPoint], _ c: RuleContext) -> [Finding] {
        let direction = p.direction.resolved(c.indicator.polarity)
        var rises = 0
        var falls = 0
        // Adjacent values in an unbroken stretch ending here: fewer than `periods` + 1 cannot
        // hold a run, so the rule has not judged (review helper-44).
        var stretch = 0
        return points.enumerated().map { i, point in
            guard let v = point.number else {
                rises = 0
                falls = 0
                stretch = 0
                return censored(point)
            }
            // For regular periodicities a missing period breaks the run; snapshots follow each other.
            let adjacent = i > 0 && (point.period.previous == nil || point.period.previous == points[i - 1].period)
            if adjacent, let previous = points[i - 1].number, points[i - 1].period.periodicity == point.period.periodicity {
                rises = v > previous ? rises + 1 : 0
                falls = v < previous ? falls + 1 : 0
                stretch += 1
            } else {
                rises = 0
                falls = 0
                stretch = 1
            }
            let upRun = direction != .down && rises >= p.periods
            let downRun = direction != .up && falls >= p.periods
            let run = upRun ? rises : downRun ? falls : max(rises, falls)
            let start = i - run
            let window = points[max(0, start)...i]
            let values: @Sendable () -> String = { window.compactMap(\.number).map(c.format).joined(separator: " → ") }
            if upRun || downRun {
                let word = upRun ? "risen" : "fallen"
                let first = points[max(0, start)].number
                // With a minimum change, the run's total move decides and is said (a run from 0
                // has moved infinitely far, and no percentage is given).
                var moved = ""
                if let floor = p.minChangePercent, let first {
                    let percent = first == 0 ? Double.infinity : abs(v - first) / abs(first) * 100
                    if percent < floor - epsilon {
                        return Finding(
                            period: point.period, status: .clear, value: v, expected: first,
                            explanation:
                                "has \(word) \(run) periods running (\(values())) but by \(percentText(percent)) in all, less than \(percentText(floor))"
                        )
                    }
                    if first != 0 { moved = ", \(percentText(percent)) in all" }
                }
                let total = moved
                return Finding(
                    period: point.period, status: .breach, value: v, expected: first,
                    severity: rule.severity, explanation: "has \(word) \(run) periods running: \(values())" + total,
                    // The run's last `periods` steps, not the whole run (review: every point of a
                    // long run held the run, so a rising daily series of 5,500 values took 1 GB).
                    basis: points[max(0, start, i - p.periods)..<i].map(\.period), signal: c.signal(for: upRun ? 1 : -1))
            }
            return Finding(
                period: point.period, status: .clear, value: v,
                explanation:
                    "no run of \(p.periods) consecutive \(direction == .down ? "falls" : direction == .up ? "rises" : "rises or falls")",
                unjudged: stretch <= p.periods ? .history : nil)
        }
    }

    /// A p-value to three decimals, or more when three would make it read as equal to `other`
    /// (review helper-38: "p 0.005, above 0.005" for 0.00507).
    static func pText(_ p: Double, against other: Double) -> String {
        func text(_ x: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", x) }
        var decimals = 3
        while decimals < 8 && text(p, decimals) == text(other, decimals) { decimals += 1 }
        return text(p, decimals)
    }
}
