extension RuleEvaluator {
    /// `quality`: data that is more likely wrong than news.
    static func quality(_ p: RuleKind.Quality, _ rule: Rule, _ series: SeriesKey, _ points: [SeriesPoint], _ c: RuleContext)
        -> [Finding]
    {
        switch p.check {
        case .breakdownSum: return breakdownSum(p, rule, series, c)
        case .collapse: return collapse(p, rule, points, c)
        case .cumulative: return cumulative(p, rule, points, c)
        case .flatline: return flatline(p, rule, points, c)
        case .mixedPeriods:
            return points.map { point in
                point.period.periodicity == c.indicator.periodicity
                    ? Finding(period: point.period, status: .clear, explanation: "period matches the indicator's periodicity")
                    : Finding(
                        period: point.period, status: .breach, value: point.number, severity: rule.severity,
                        explanation:
                            "period \(point.period) is a \(point.period.periodicity.noun) in a series reported \(c.indicator.periodicity.phrase); it cannot be compared like with like"
                    )
            }
        default:
            return points.map { point in
                guard let v = point.number else { return censored(point) }
                if v < 0 {
                    return Finding(
                        period: point.period, status: .breach, value: v, expected: 0, severity: rule.severity,
                        explanation: "\(c.format(v)) is negative, which is impossible for \(c.indicator.title.lowercased())")
                }
                if c.indicator.unit == .percent && v > 100 {
                    return Finding(
                        period: point.period, status: .breach, value: v, expected: 100, severity: rule.severity,
                        explanation: "\(c.format(v)) is above 100%: the numerator is larger than the denominator")
                }
                return Finding(period: point.period, status: .clear, value: v, explanation: "\(c.format(v)) is possible")
            }
        }
    }

    /// The numbers of up to `most` points before index `end`, or nil when there are fewer than
    /// `least` (the finding is then a hold): the history `cumulative` and `flatline` judge against.
    static func numbers(before end: Int, in points: [SeriesPoint], most: Int, least: Int) -> [Double]? {
        let values = points[max(0, end - most)..<end].compactMap(\.number)
        return values.count >= least ? values : nil
    }

    /// The series a `breakdown_sum` rule reports on: one per checked dimension (`dimension=*`).
    static func breakdownSumSeries(_ p: RuleKind.Quality, _ rule: Rule, _ c: RuleContext) -> [SeriesKey] {
        let dimensions = p.dimensions.isEmpty ? c.indicator.dimensions : p.dimensions
        return dimensions.map { SeriesKey(indicator: rule.indicator, breakdown: Breakdown([$0: "*"])) }
    }

    private static func breakdownSum(_ p: RuleKind.Quality, _ rule: Rule, _ series: SeriesKey, _ c: RuleContext) -> [Finding] {
        guard let dimension = series.breakdown.pairs.first?.dimension else { return [] }
        let total = c.dataset.points(SeriesKey(indicator: rule.indicator))
        let parts = c.dataset.keys(indicator: rule.indicator).filter {
            $0.breakdown.pairs.count == 1 && $0.breakdown.pairs[0].dimension == dimension
        }
        let dimensionTitle = c.catalogue.dimensions[dimension]?.title.lowercased() ?? dimension
        // Each part's points once, walked alongside the total's (both in period order), rather
        // than a keyed lookup per part and period.
        // Only each part's periods and numbers are needed: copying whole points would retain
        // their sources at every step.
        let partColumns = parts.map { PeriodColumns(c.dataset.points($0)) }
        var cursors = Array(repeating: 0, count: parts.count)
        var values: [Double?] = []
        values.reserveCapacity(parts.count)
        return total.compactMap { totalPoint in
            values.removeAll(keepingCapacity: true)
            for k in partColumns.indices {
                let periods = partColumns[k].periods
                var cursor = cursors[k]
                while cursor < periods.count && periods[cursor] < totalPoint.period { cursor += 1 }
                if cursor < periods.count && periods[cursor] == totalPoint.period {
                    values.append(partColumns[k].numbers[cursor])
                }
                cursors[k] = cursor
            }
            guard !values.isEmpty else { return nil }
            guard let t = totalPoint.number, values.allSatisfy({ $0 != nil }) else {
                return Finding(
                    period: totalPoint.period, status: .hold,
                    explanation: "a censored value; the \(dimensionTitle) breakdown cannot be summed", unjudged: .withheld)
            }
            let sum = values.reduce(0) { $0 + $1! }
            if abs(sum - t) > p.tolerance {
                return Finding(
                    period: totalPoint.period, status: .breach, value: sum, expected: t, severity: rule.severity,
                    explanation:
                        "the \(dimensionTitle) breakdown sums to \(c.format(sum)) but the total is \(c.format(t)) (a difference of \(c.format(abs(sum - t))))"
                )
            }
            return Finding(
                period: totalPoint.period, status: .clear, value: sum, expected: t,
                explanation: "the \(dimensionTitle) breakdown sums to the total of \(c.format(t))")
        }
    }

    private static func collapse(_ p: RuleKind.Quality, _ rule: Rule, _ points: [SeriesPoint], _ c: RuleContext) -> [Finding] {
        points.enumerated().map { i, point in
            guard let v = point.number else { return censored(point) }
            let window = points[max(0, i - p.periods)..<i]
            let recent = window.compactMap(\.number)
            guard !recent.isEmpty else {
                return Finding(
                    period: point.period, status: .hold, value: v, explanation: "no earlier values to compare with",
                    unjudged: .history)
            }
            let m = median(recent)
            if m >= p.minMedian && v <= p.fraction * m {
                // One earlier value is said to be the only one (review helper-54: "a recent median
                // of 27 (27)").
                let values = recent.map(c.format).joined(separator: ", ") + (recent.count == 1 ? ", the only earlier value" : "")
                return Finding(
                    period: point.period, status: .breach, value: v, expected: m, severity: rule.severity,
                    explanation:
                        "\(c.format(v)) against a recent median of \(c.format(m)) (\(values)): a collapse this sudden is more likely a recording or extraction error than real change; check the data before reading it as good news",
                    basis: window.filter { $0.number != nil }.map(\.period))
            }
            return Finding(
                period: point.period, status: .clear, value: v, expected: m,
                explanation: "\(c.format(v)) against a recent median of \(c.format(m))")
        }
    }

    /// `overdue`: the first period after the latest value whose end is more than `days` days before
    /// the evaluation date, one finding however many periods are missing (it names how many); and
    /// each run of gaps (periods missing before the latest value) still chased (`gaps`).
    static func overdue(_ p: RuleKind.Overdue, _ rule: Rule, _ points: [SeriesPoint], _ c: RuleContext) -> [Finding] {
        guard let last = points.last?.period else { return [] }
        var findings = gaps(p, rule, points, c)
        guard let first = last.next, p.due(first) < c.evaluationDate else { return findings }
        var missing = 0
        var cursor: Period? = first
        while let period = cursor, p.due(period) < c.evaluationDate, missing < 1200 {
            missing += 1
            cursor = period.next
        }
        let more = missing > 1 ? "; \(missing) periods are now overdue" : ""
        findings.append(late(first, p, rule, c, "\(more); the latest value is for \(last)"))
        return findings
    }

    /// An overdue finding: "no value for <period>: due by <date>, <n> days overdue<tail>". A
    /// year's label is its id: "no value for 2013/14", not "2013/14 (2013/14)" (helper-23).
    private static func late(_ period: Period, _ p: RuleKind.Overdue, _ rule: Rule, _ c: RuleContext, _ tail: String)
        -> Finding
    {
        let named = period.label == "\(period)" ? "\(period)" : "\(period) (\(period.label))"
        let due = p.due(period)
        let days = c.evaluationDate.dayNumber - due.dayNumber
        return Finding(
            period: period, status: .breach, severity: rule.severity,
            explanation: "no value for \(named): due by \(due), \(days) day\(days == 1 ? "" : "s") overdue\(tail)")
    }

    /// The overdue gaps: each run of periods missing between two stored ones, one finding per
    /// run, keyed at its first period and naming how many, from when its first period is due
    /// (`days`) until its last ended more than `gap_days` before the evaluation date. A year sent late is
    /// one reminder, not twelve; a trailing overdue month that becomes a gap keeps its alert (its
    /// run starts where it did); a run ages out whole, once (review helper-24: keyed at its oldest
    /// month it resolved and fired again month by month). Each run is counted up to 1200 periods.
    private static func gaps(_ p: RuleKind.Overdue, _ rule: Rule, _ points: [SeriesPoint], _ c: RuleContext) -> [Finding] {
        guard p.gapDays > 0, let latest = points.last?.period, points.count > 1 else { return [] }
        var findings: [Finding] = []
        for (before, after) in zip(points, points.dropFirst()) {
            // Chased once its first period is due, until its last has aged out.
            guard let first = before.period.next, first < after.period, let last = after.period.previous,
                p.due(first) < c.evaluationDate, last.end.adding(days: p.gapDays) >= c.evaluationDate
            else { continue }
            let count = first.run(before: after.period, limit: 1200).count
            let more = count > 1 ? "; \(count) periods are missing (\(first)–\(last))" : ""
            findings.append(
                late(first, p, rule, c, "\(more); later values (up to \(latest)) have arrived, so it is a gap in the series"))
        }
        return findings
    }
}
