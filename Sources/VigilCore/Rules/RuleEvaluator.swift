/// Evaluates one rule on one series: a pure function from points to findings, one per point.
///
/// Each kind lives in its own extension (`RuleEvaluator+Kind.swift`); semantics are in `docs/rules.md`.
public enum RuleEvaluator {
    /// Findings for every point of a series, oldest first.
    public static func findings(rule: Rule, series: SeriesKey, points: [SeriesPoint], context: RuleContext) -> [Finding] {
        switch rule.kind {
        case .threshold(let p): return threshold(p, rule, series, points, context)
        case .target(let p): return reference(p, rule, points, context, isTarget: true)
        case .benchmark(let p): return reference(p, rule, points, context, isTarget: false)
        case .change(let p): return change(p, rule, series, points, context)
        case .spike(let p): return spike(p, rule, points, context)
        case .spc(let p): return spc(p, rule, series, points, context)
        case .cusum(let p): return cusum(p, rule, points, context)
        case .trend(let p): return trend(p, rule, points, context)
        case .band(let p): return band(p, rule, series, points, context)
        case .quality(let p): return quality(p, rule, series, points, context)
        case .overdue(let p): return overdue(p, rule, points, context)
        }
    }

    /// Tolerance for floating-point comparisons at a boundary: 77.7 is exactly 5% above 74.
    static let epsilon = 1e-9

    /// A `hold` finding for a censored or unavailable value.
    static func censored(_ point: SeriesPoint) -> Finding {
        let meaning = ObservedValue.markers[point.value.description] ?? "not available"
        return Finding(
            period: point.period, status: .hold, explanation: "value is '\(point.value)' (\(meaning)); treated as missing",
            unjudged: .withheld)
    }

    // MARK: threshold

    static func threshold(
        _ p: RuleKind.Threshold, _ rule: Rule, _ series: SeriesKey, _ points: [SeriesPoint], _ c: RuleContext
    ) -> [Finding] {
        let up = p.direction != .down
        func beyond(_ v: Double, _ level: Double?) -> Bool { level.map { up ? v >= $0 : v <= $0 } ?? false }
        // The recovery band applies only once the alert fires (`for` consecutive breaches).
        var run = 0
        // Whether the run's last breach was critical (`binomial_p` tests a raise, not a stay).
        var runCritical = false
        return points.map { point in
            guard let v = point.number else { return censored(point) }
            // Put into words only if the finding's explanation is read.
            let shown: @Sendable () -> String = { c.valueWithCounts(v, series, point.period) }
            let small = c.smallShare(series, point.period, minimum: p.minDenominator)
            // Too few to judge, unless even the whole interval is on the safe side of the level
            // an alert must get past (review helper-24: 2 of 40 held a critical alert for ever).
            let firing = run >= rule.forPeriods
            let safeLevel = firing ? p.recovery ?? p.warning ?? p.critical! : p.warning ?? p.critical!
            if let interval = small, let minimum = p.minDenominator,
                up ? interval.high >= safeLevel : interval.low <= safeLevel
            {
                return c.tooFew(point, v, series, minimum)
            }
            let word = up ? "at or above" : "at or below"
            // With `binomial_p` a value past a level must be past it beyond chance to start an
            // alert or raise it to critical; a firing alert's run goes on at any value past the
            // level it fires at and ends at the recovery level, as without the test (review
            // helper-48: a critical alert fell to warning at a value still past critical).
            var passed: [(name: String, level: Double, words: String)] = []
            for (level, critical) in [(p.critical, true), (p.warning, false)] {
                guard let level, beyond(v, level) else { continue }
                let name = critical ? "critical" : "warning"
                let established = firing && (!critical || runCritical)
                let caveat: String
                switch oneProportion(v, past: level, up: up, limit: established ? nil : p.binomialP, series, point.period, c) {
                case .beyond: caveat = ""
                case .untested(let words): caveat = words
                case .within(let words):
                    passed.append((name, level, words))
                    continue
                }
                run += 1
                runCritical = critical
                let also = passed.map { "; past the \($0.name) level of \(c.format($0.level)) but \($0.words)" }.joined()
                return Finding(
                    period: point.period, status: .breach, value: v, expected: level,
                    severity: critical ? .critical : rule.severity,
                    explanation: "\(shown()) is \(word) the \(name) level of \(c.format(level))" + caveat + also)
            }
            if let decisive = passed.last {
                // Within chance of every level it is past: the least severe decides (a value
                // within chance of the warning level is within chance of the critical one).
                run = 0
                runCritical = false
                let levels = passed.map { "the \($0.name) level of \(c.format($0.level))" }.joined(separator: " and ")
                return Finding(
                    period: point.period, status: .clear, value: v, expected: decisive.level,
                    explanation: "\(shown()) is \(word) \(levels), but \(decisive.words)")
            }
            let level = p.warning ?? p.critical!
            if firing, let recovery = p.recovery, !(up ? v <= recovery : v >= recovery) {
                return Finding(
                    period: point.period, status: .hold, value: v, expected: recovery,
                    explanation:
                        "\(shown()) is back past \(c.format(level)) but not yet past the recovery level of \(c.format(recovery))"
                )
            }
            run = 0
            runCritical = false
            return Finding(
                period: point.period, status: .clear, value: v, expected: level,
                explanation: "\(shown()) is within the level of \(c.format(level))")
        }
    }

    // MARK: band

    static func band(_ p: RuleKind.Band, _ rule: Rule, _ series: SeriesKey, _ points: [SeriesPoint], _ c: RuleContext)
        -> [Finding]
    {
        let range = "\(p.low.map(c.format) ?? "−∞")–\(p.high.map(c.format) ?? "∞")"
        let basis = p.basis.map { " (\($0))" } ?? ""
        return points.map { point in
            guard let v = point.number else { return censored(point) }
            let shown: @Sendable () -> String = { c.valueWithCounts(v, series, point.period) }
            let small = c.smallShare(series, point.period, minimum: p.minDenominator)
            if let interval = small, let minimum = p.minDenominator,
                interval.low < p.low ?? -Double.infinity || interval.high > p.high ?? Double.infinity
            {
                return c.tooFew(point, v, series, minimum)
            }
            for (bound, up) in [(p.low, false), (p.high, true)] {
                guard let bound, up ? v > bound : v < bound else { continue }
                let side = up ? "above" : "below"
                let caveat: String
                switch oneProportion(v, past: bound, up: up, limit: p.binomialP, series, point.period, c) {
                case .beyond: caveat = ""
                case .untested(let words): caveat = words
                case .within(let words):
                    return Finding(
                        period: point.period, status: .clear, value: v, expected: bound,
                        explanation: "\(shown()) is \(side) the expected range of \(range)\(basis), but \(words)")
                }
                return Finding(
                    period: point.period, status: .breach, value: v, expected: bound, severity: rule.severity,
                    explanation: "\(shown()) is \(side) the expected range of \(range)\(basis)" + caveat)
            }
            return Finding(
                period: point.period, status: .clear, value: v, expected: p.low ?? p.high,
                explanation: "\(shown()) is within the expected range of \(range)")
        }
    }

    // MARK: target and benchmark

    static func reference(_ p: RuleKind.Reference, _ rule: Rule, _ points: [SeriesPoint], _ c: RuleContext, isTarget: Bool)
        -> [Finding]
    {
        let (values, name) = referenceValues(p, c.indicator, isTarget: isTarget)
        let direction = p.direction.resolved(c.indicator.polarity)
        let lastTarget = isTarget ? values.keys.max(by: { $0.end < $1.end }) : nil
        return points.map { point in
            guard let v = point.number else { return censored(point) }
            guard let (ref, carried) = referenceValue(values, for: point.period, useLatest: p.useLatest, lastTarget: lastTarget)
            else {
                if let last = lastTarget, last.end < point.period.start, let value = values[last] {
                    // A target carried more than a year: not a target any more (review helper-25:
                    // Peterborough's 2012/13 targets judged another board's 2019 data). Clear, so
                    // an alert under it resolves saying why.
                    return Finding(
                        period: point.period, status: .clear, value: v, severity: rule.severity,
                        explanation:
                            "no target has been set since \(last) (\(c.format(value))), more than a year before \(point.period); not judged against a target",
                        unjudged: .reference)
                }
                if p.useLatest, !isTarget,
                    let (latest, value) = Indicator.reference(values, for: point.period, latestEarlier: true)
                {
                    // Too old to stand (review helper-28): clear, so an alert under it resolves
                    // saying why, as after the last target.
                    return Finding(
                        period: point.period, status: .clear, value: v, severity: rule.severity,
                        explanation:
                            "\(name) is known only for \(latest) (\(c.format(value))), more than two years before \(point.period); not judged against it",
                        unjudged: .reference)
                }
                return Finding(
                    period: point.period, status: .hold, value: v, explanation: "no value for \(name) covers \(point.period)",
                    unjudged: .reference)
            }
            let note = carried ? ", the latest target set (none covers \(point.period))" : ""
            let delta = v - ref.value
            let pct = ref.value == 0 ? (delta == 0 ? 0 : Double.infinity) : delta / abs(ref.value) * 100
            // Put into words only if the finding's explanation is read.
            let text: @Sendable () -> String = {
                let side = delta > 0 ? "above" : "below"
                let size =
                    c.indicator.unit == .percent || p.tolerancePoints != nil ? c.formatPoints(abs(delta)) : percentText(abs(pct))
                return "\(c.format(v)) is \(size) \(side) \(name) of \(c.format(ref.value)) for \(ref.period)\(note)"
            }
            let worse = direction.watches(delta)
            let beyond = p.tolerancePoints.map { abs(delta) > $0 + epsilon } ?? (abs(pct) > (p.tolerancePercent ?? 0) + epsilon)
            let status: Finding.Status = worse && beyond ? .breach : .clear
            return Finding(
                period: point.period, status: status, value: v, expected: ref.value, severity: rule.severity,
                explanation: delta == 0
                    ? "\(c.format(v)) meets \(name) of \(c.format(ref.value)) for \(ref.period)\(note)" : text(),
                signal: c.signal(for: delta))
        }
    }

    /// The figures a target or benchmark rule compares against, and their name in explanations.
    static func referenceValues(_ p: RuleKind.Reference, _ indicator: Indicator, isTarget: Bool)
        -> (values: [Period: Double], name: String)
    {
        if isTarget { return (indicator.targets, "the target") }
        if p.against == .england { return (indicator.england, "England's value") }
        return (indicator.statisticalNeighbours, "the statistical neighbours' average")
    }

    /// The figure a period is judged against, and whether it is the last target carried on.
    ///
    /// Targets are set in advance: after the last one, the last one still stands until the board
    /// sets the next (review helper-23: ending the alert there read "Resolved" and turned the
    /// priority green while the rate rose), for periods ending up to a year after it ends
    /// (review helper-25: not for ever); `lastTarget` is the latest-ending target period (nil
    /// for benchmarks). Benchmarks are published a year late: a period after the latest one holds
    /// until it comes, unless `useLatest`. Before the first (or in a gap between years): nil.
    static func referenceValue(_ values: [Period: Double], for period: Period, useLatest: Bool, lastTarget: Period?)
        -> (reference: (period: Period, value: Double), carried: Bool)?
    {
        if let found = Indicator.reference(
            values, for: period, latestEarlier: useLatest, yearsAfter: Indicator.benchmarkStandsYears)
        {
            return (found, false)
        }
        // The last target stands for a year after it ends (until the board sets the next); after
        // that, nil: no target.
        if let last = lastTarget, last.end < period.start, period.end <= last.end.yearsLater(Indicator.targetStandsYears),
            let value = values[last]
        {
            return ((last, value), true)
        }
        return nil
    }

    // MARK: band-like helpers

    /// The index of the point at a period.
    static func index(_ points: [SeriesPoint]) -> [Period: Int] {
        Dictionary(points.enumerated().map { ($1.period, $0) }, uniquingKeysWith: { a, _ in a })
    }
}
