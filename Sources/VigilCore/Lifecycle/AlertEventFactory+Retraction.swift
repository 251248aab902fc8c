/// Retractions: an alert the data or the rules no longer support, and why.
extension AlertEventFactory {
    /// `supersededBy`: the start of a current episode of the same rule and series that now takes
    /// in this one's start (values for earlier periods joined the two).
    func retracted(record: AlertRecord, key: AlertKey, supersededBy: Period? = nil) -> AlertEvent {
        var event = record.firingEvent
        event.id = AlertEventFactory.eventId(key, .retracted, event.period, generation: record.generation ?? 0)
        event.event = .retracted
        // Say what happened: a changed rule, limits that moved as values arrived, revised data, a
        // new target or benchmark, or earlier values the period is judged against.
        let rule = rules[key.rule]
        let reason: String
        let explanation: String
        if let rule, rule.hash != record.firingEvent.ruleHash {
            reason = "the rule was changed and no longer finds this"
            explanation = "rule \(rule.id) was changed since it fired, and the condition no longer holds"
        } else if let earlier = supersededBy {
            reason = "it is now part of the alert that began \(earlier.label)"
            explanation =
                "values for earlier periods arrived or were revised, and the episode is now part of the one that began \(earlier)"
        } else if let rule, case .spc = rule.kind, let chance = settledByChance(key, record.firingEvent) {
            // The count a percentage is of arrived: the limits are now chance's, and the alert
            // fired on limits that were not (review helper-42: this read "the process limits are
            // recomputed as values arrive … or data was revised" when neither had happened).
            reason =
                "with the count it is a percentage of, received since, the limits are set by chance and no longer support this alert"
            explanation = chance
        } else if let rule, case .spc = rule.kind {
            reason = "with the values received since, the process limits no longer support this alert"
            explanation =
                "the process limits are recomputed as values arrive (trial limits, or no baseline_periods), or data was revised; the condition no longer holds"
        } else if let rule, let changed = referenceChange(rule, record.firingEvent, key.series) {
            // The board set a new target, or a newer benchmark was published (review helper-24:
            // this read "values for earlier periods"; helper-26: with the value revised too, it
            // read "revised data" alone).
            let revised = !valueIsUnchanged(record.firingEvent, key)
            reason = changed.0 + (revised ? ", and the value was revised" : "")
            explanation =
                revised ? changed.1.replacingOccurrences(of: " is unchanged, but ", with: " was revised, and ") : changed.1
        } else if !valueIsUnchanged(record.firingEvent, key) {
            reason = "revised data no longer supports this alert"
            explanation = "data was revised, and the condition no longer holds"
        } else if let chance = withinChance(key, record.firingEvent) {
            // The count a percentage is of arrived or was revised, and the chance test now holds
            // the figure (review helper-40: this read "values for earlier periods"); or, for
            // counts, the earlier periods their dispersion is estimated from (review helper-53).
            // Two counts that are unchanged and were beyond chance are within it only when the
            // dispersion behind the test moved (review helper-55: months that vary no more than
            // Poisson counts, fewer of them, read the generic reason).
            if chance.contains(RuleContext.withinChanceWords.counts) {
                reason =
                    "with the \(spreadNoun(key.series))s its variation is estimated from, received or revised since, this is within chance"
            } else {
                reason = "with the count it is a percentage of, received or revised since, this is within chance"
            }
            explanation = chance
        } else {
            // Nothing about the alerted period changed: the values it is judged against did (a
            // month that arrived late, or an earlier one revised).
            reason = "values for earlier periods, received or revised since, no longer support this alert"
            explanation =
                "the value for \(record.firingEvent.period) is unchanged, but values it is judged against arrived or were revised; the condition no longer holds"
        }
        event.message = "Retracted: \(event.indicatorTitle), \(event.periodLabel): \(reason)"
        event.explanation =
            supersededBy == nil
            ? "\(explanation) for the episode that began \(record.start)" : "\(explanation) (it began \(record.start))"
        event.action = nil
        event.ruleHash = rules[key.rule]?.hash ?? event.ruleHash
        event.evaluatedAt = "\(evaluation.date)"
        return event
    }

    /// This evaluation's finding for the period an alert fired at, on its rule and series.
    func currentFinding(_ key: AlertKey, _ fired: AlertEvent) -> Finding? {
        evaluation.findings[key.rule]?[key.series]?.last { "\($0.period)" == fired.period }
    }

    /// Whether a figure an alert fired on is the one a finding now holds, to the rounding its
    /// JSON round trip and a re-summed mean allow (both chance retractions compare so: review
    /// helper-45, one compared exactly).
    static func same(_ a: Double?, _ b: Double?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return abs(a - b) <= 1e-9 * max(1, abs(b))
    }

    /// The current finding's explanation for the fired period when a chance test on a
    /// percentage's counts now clears it (`binomial_p`) and the figures it fired on are unchanged
    /// (so the count is what changed: review helper-41, an earlier percentage revised read as the
    /// count's doing); nil otherwise. A `threshold`'s level may differ: an alert that fired
    /// critical is cleared by the warning level's test, the one that decides (review helper-48).
    func withinChance(_ key: AlertKey, _ fired: AlertEvent) -> String? {
        var levelMayDiffer = false
        if case .threshold = rules[key.rule]?.kind { levelMayDiffer = true }
        guard
            let finding = currentFinding(key, fired),
            finding.status == .clear, Self.same(finding.value, fired.value),
            levelMayDiffer || Self.same(finding.expected, fired.expected)
        else { return nil }
        let explanation = finding.explanation
        let words = RuleContext.withinChanceWords
        return [words.two, words.one, words.counts].contains { explanation.contains($0) } ? explanation : nil
    }

    /// What one of the periods a count's dispersion is estimated from is (`month`): the series'
    /// own, or, for a yearly or rolling total, its input's.
    func spreadNoun(_ series: SeriesKey) -> String {
        guard let indicator = catalogue.indicator(series.indicator) else { return "period" }
        let spread = CountSpread.summed(by: indicator).flatMap { catalogue.indicator($0) } ?? indicator
        return spread.periodicity.noun
    }

    /// The current finding's explanation for the fired period when an `spc` alert fired on limits
    /// not checked against chance (the count a percentage is of not known) and the limits are now
    /// chance's and clear it, its value unchanged; nil otherwise.
    func settledByChance(_ key: AlertKey, _ fired: AlertEvent) -> String? {
        // The same value against the same mean (no figure revised), fired by a cause the limits
        // decide (review helper-43: a trend broken by a revision was put down to the cohort).
        let limited = RuleEvaluator.limitDecided(fired.explanation)
        guard limited, fired.explanation.contains(RuleEvaluator.spcLimitWords.untested),
            let finding = currentFinding(key, fired),
            finding.status == .clear, Self.same(finding.value, fired.value), Self.same(finding.expected, fired.expected),
            finding.explanation.contains(RuleEvaluator.spcLimitWords.chance)
        else { return nil }
        return finding.explanation + ","
    }

    /// Whether the fired period's value is still the one the alert fired on: the same number,
    /// from no file the alert did not already cite. A rule that judges a window's mean (`change`
    /// with `window`) fired on the mean, which the period's own value is not: its current finding
    /// for the period must show the same mean (review helper-42: a cohort that made a fall
    /// within chance read as "revised data" when the window's months differed).
    func valueIsUnchanged(_ fired: AlertEvent, _ key: AlertKey) -> Bool {
        guard let period = Period(parsing: fired.period), let point = evaluation.dataset.point(key.series, period),
            let number = point.number
        else { return false }
        guard case .change(let change) = rules[key.rule]?.kind, change.window > 1 else {
            return number == fired.value && point.sources.allSatisfy { fired.sources.contains($0) }
        }
        // Every month of the window, not only the fired one, as the alert cited them (review
        // helper-43: a month inside the window revised read as "values it is judged against");
        // the year before's months are what it is judged against.
        guard let finding = currentFinding(key, fired),
            finding.value == fired.value
        else { return false }
        let window = finding.basis.filter { $0.start > period.sameLastYear.start }
        return ([period] + window).allSatisfy { month in
            (evaluation.dataset.point(key.series, month)?.sources ?? []).allSatisfy { fired.sources.contains($0) }
        }
    }

    /// For a target or benchmark alert, the words for a reference that is no longer the one it was
    /// judged against (`expected`), as (reason, explanation); nil if it is the same.
    func referenceChange(_ rule: Rule, _ fired: AlertEvent, _ series: SeriesKey) -> (String, String)? {
        let isTarget: Bool
        let parameters: RuleKind.Reference
        switch rule.kind {
        case .target(let p): (isTarget, parameters) = (true, p)
        case .benchmark(let p): (isTarget, parameters) = (false, p)
        default: return nil
        }
        guard let indicator = catalogue.indicator(series.indicator), let period = Period(parsing: fired.period) else {
            return nil
        }
        let (values, name) = RuleEvaluator.referenceValues(parameters, indicator, isTarget: isTarget)
        let lastTarget = isTarget ? values.keys.max(by: { $0.end < $1.end }) : nil
        let now = RuleEvaluator.referenceValue(values, for: period, useLatest: parameters.useLatest, lastTarget: lastTarget)
        if let value = now?.reference.value, let expected = fired.expected,
            abs(value - expected) <= 1e-9 * max(1, abs(expected))
        {
            return nil
        }
        if now == nil && fired.expected == nil { return nil }
        let was = fired.expected.map { " (it was \(indicator.unit.format($0)))" } ?? ""
        let current =
            now.map { "is now \(indicator.unit.format($0.reference.value)) for \($0.reference.period)" } ?? "was removed"
        return (
            "\(name) it was judged against \(current)\(was)",
            "the value for \(period) is unchanged, but \(name) for it \(current)\(was); the condition no longer holds"
        )
    }
}
