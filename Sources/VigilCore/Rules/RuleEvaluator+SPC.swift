extension RuleEvaluator {
    /// The XmR scaling constant: limits are mean ± 2.66 × mean moving range (NHS "Making Data Count").
    static let xmrConstant = 2.66

    /// `spc`: XmR special causes. Limits come from the first `baselinePeriods` values of the phase
    /// (rebase dates start phases), or from every value of the phase up to the period judged; fewer
    /// than 12 values give "trial" limits, fewer than 6 (or than `minPoints`) none. The limits
    /// widen for correlated neighbours (`autocorrelation_z`) and are no narrower than chance's
    /// (`chance_floor`), each said in the explanation.
    static func spc(_ p: RuleKind.SPC, _ rule: Rule, _ series: SeriesKey, _ points: [SeriesPoint], _ c: RuleContext)
        -> [Finding]
    {
        // Each rebase date starts a phase: its limits and runs use its own values only.
        let phaseOf = { (point: SeriesPoint) in p.rebase.filter { $0 <= point.period.start }.count }
        var phases: [Int: SPCPhase] = [:]
        // Each point's phase and place in it, by the point's index (a series holds one value per period).
        var position: [(phase: Int, index: Int)?] = Array(repeating: nil, count: points.count)
        // The count a percentage is of, for its chance floor.
        let cohort =
            p.chanceFloor && c.indicator.unit != .count
            ? RuleContext.count(of: c.indicator).map { SeriesKey(indicator: $0, breakdown: series.breakdown) } : nil
        for (k, point) in points.enumerated() {
            guard let number = point.number else { continue }
            let phase = phaseOf(point)
            position[k] = (phase, phases[phase]?.values.count ?? 0)
            let size = cohort.flatMap { c.dataset.point($0, point.period)?.number }.flatMap { $0 > 0 ? $0 : nil }
            phases[phase, default: SPCPhase()].append(number, cohort: size)
        }
        for (phase, running) in phases { phases[phase]?.correlation = correlation(p, running.values) }
        return points.enumerated().map { k, point in
            guard let v = point.number, let (phase, i) = position[k], let running = phases[phase] else {
                return censored(point)
            }
            let values = running.values
            let baseCount = p.baselinePeriods.map { min($0, values.count) } ?? (i + 1)
            let since = phase > 0 ? " since the rebase of \(p.rebase[phase - 1])" : ""
            guard baseCount >= 6, i >= 1 || p.baselinePeriods != nil else {
                return Finding(
                    period: point.period, status: .hold, value: v,
                    explanation: "too few values (\(baseCount))\(since) for process limits; at least 6 needed",
                    unjudged: .history)
            }
            if let minPoints = p.minPoints, i + 1 < minPoints {
                return Finding(
                    period: point.period, status: .hold, value: v,
                    explanation: "\(i + 1) values\(since); the rule judges from the \(minPoints)th", unjudged: .history)
            }
            let mean = running.valueSums[baseCount] / Double(baseCount)
            let mr = running.rangeSums[baseCount - 1] / Double(max(1, baseCount - 1))
            let (width, widened) = limitWidth(p, mean, mr, running, baseCount, c)
            let upper = mean + width
            let lower = mean - width
            let nearUpper = mean + 2.0 / 3.0 * width
            let nearLower = mean - 2.0 / 3.0 * width
            let limits = Finding.Limits(mean: mean, lower: lower, upper: upper)
            if let floor = p.minMean, mean < floor - epsilon {
                // Clear, not hold: a series that shrinks below the floor must not keep an alert
                // firing that the chart can no longer judge.
                return Finding(
                    period: point.period, status: .clear, value: v, expected: mean,
                    explanation:
                        "\(c.format(v)): the process mean of \(c.format(mean)) is below \(c.format(floor)), too small for an XmR chart to judge",
                    limits: limits, unjudged: .small)
            }
            // Causes in NHSRplotthedots' precedence: outside the limits, trend, two of three,
            // shift. Comparisons allow for floating-point rounding (`epsilon`): a value exactly on
            // a limit or on the near line is inside it, as documented.
            var causes: [(String, Double)] = []
            var shown: String?
            if p.tests.contains("outside_limits") {
                for (limit, beyond, side, direction) in [
                    (upper, v > upper + epsilon, "above the upper", 1.0), (lower, v < lower - epsilon, "below the lower", -1.0),
                ] where beyond {
                    let texts = limitTexts(limit, v, c)
                    shown = texts.value
                    causes.append(("\(side) process limit of \(texts.limit)", direction))
                }
            }
            if p.tests.contains("trend"), i + 1 >= p.trendLength {
                let run = Array(values[(i + 1 - p.trendLength)...i])
                let steps = zip(run.dropFirst(), run)
                if steps.allSatisfy({ $0 > $1 }) { causes.append(("\(p.trendLength) points each higher than the one before", 1)) }
                if steps.allSatisfy({ $0 < $1 }) { causes.append(("\(p.trendLength) points each lower than the one before", -1)) }
            }
            if p.tests.contains("two_of_three"), i >= 2 {
                // Only a point that is itself near the limit is flagged (as NHSRplotthedots does),
                // so the alert is dated to a near point, never to an ordinary one after two.
                let run = values[(i - 2)...i]
                let nearHigh = { (x: Double) in x > nearUpper + epsilon && x <= upper + epsilon }
                let nearLow = { (x: Double) in x < nearLower - epsilon && x >= lower - epsilon }
                if nearHigh(v) && run.filter(nearHigh).count >= 2 {
                    causes.append(("2 of the last 3 points near the upper limit", 1))
                }
                if nearLow(v) && run.filter(nearLow).count >= 2 {
                    causes.append(("2 of the last 3 points near the lower limit", -1))
                }
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
            let trial: @Sendable (Bool) -> String = { breach in
                (baseCount < 12 ? " (trial limits from \(baseCount) values\(since))" : since.isEmpty ? "" : " (limits\(since))")
                    + widened(breach)
            }
            let alerting = causes.filter { cause in
                switch p.signal {
                case "any": return true
                case "improvement": return c.indicator.polarity != .neutral && c.signal(for: cause.1) == "improvement"
                default: return c.indicator.polarity == .neutral || c.signal(for: cause.1) == "concern"
                }
            }
            guard let first = alerting.first else {
                let unsignalled = p.signal == "improvement" ? "concern" : "improvement"
                let listed = causes.map(\.0)
                var (shownValue, quietText) = (shown, "common-cause variation")
                // Beyond a limit this rule does not test (review helper-25: a record high read
                // "common-cause variation" when the rule tests only shifts and trends).
                if listed.isEmpty, !p.tests.contains("outside_limits"), v > upper + epsilon || v < lower - epsilon {
                    let texts = limitTexts(v > upper ? upper : lower, v, c)
                    shownValue = texts.value
                    quietText =
                        "no special cause by this rule's tests (\(p.tests.joined(separator: ", "))), though \(v > upper ? "above the upper" : "below the lower") process limit of \(texts.limit), which it does not test"
                }
                let (value, quiet) = (shownValue, quietText)
                return Finding(
                    period: point.period, status: .clear, value: v, expected: mean,
                    explanation:
                        "\(value ?? c.format(v)): \(listed.isEmpty ? quiet : "special cause of \(unsignalled): " + listed.joined(separator: "; "))\(trial(false))",
                    signal: causes.first.map { c.signal(for: $0.1) },
                    limits: limits)
            }
            // The finding's direction is its highest-precedence counted cause's; every cause is
            // listed under its own direction.
            let signal = c.signal(for: first.1)
            var groups: [(String, [String])] = []
            for cause in alerting {
                let own = c.signal(for: cause.1)
                let label = "special cause of \(own == "neutral" ? "variation" : own)"
                if let index = groups.firstIndex(where: { $0.0 == label }) {
                    groups[index].1.append(cause.0)
                } else {
                    groups.append((label, [cause.0]))
                }
            }
            let (value, grouped) = (shown, groups)
            // Outside the limits and two of three depend on where the limits are; trends and
            // shifts do not (review helper-43: "so this may be chance" followed a trend).
            let limitDecided = alerting.contains { Self.limitDecided($0.0) }
            return Finding(
                period: point.period, status: .breach, value: v, expected: mean,
                severity: signal == "improvement" ? p.improvementSeverity : rule.severity,
                explanation: "\(value ?? c.format(v)): "
                    + grouped.map { "\($0.0), " + $0.1.joined(separator: "; ") }.joined(separator: "; ")
                    + trial(limitDecided),
                signal: signal, limits: limits)
        }
    }

    /// A limit and the value beyond it as shown: with enough decimals that the two never look
    /// equal (`16.33` above `16.32`, not `16.3` above `16.3`).
    static func limitTexts(_ limit: Double, _ value: Double, _ c: RuleContext) -> (limit: String, value: String) {
        guard c.format(limit) == c.format(value) else { return (c.format(limit), c.format(value)) }
        for decimals in 2...6 {
            let l = String(format: "%.\(decimals)f", limit)
            let v = String(format: "%.\(decimals)f", value)
            if l != v { return (l, v) }
        }
        return (c.format(limit), c.format(value))
    }
}
