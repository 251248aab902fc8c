/// Builds alert events from episodes: ids, messages, evidence and provenance.
struct AlertEventFactory {
    let evaluation: Evaluation
    let rules: [String: Rule]
    let catalogue: Catalogue

    static func eventId(_ key: AlertKey, _ kind: AlertEvent.Kind, _ period: String) -> String {
        String(SHA256.hex("\(key)|\(kind.rawValue)|\(period)").prefix(32))
    }

    func event(_ kind: AlertEvent.Kind, episode: Episode, finding: Finding) -> AlertEvent {
        let rule = rules[episode.rule]!
        let indicator = catalogue.indicator(episode.series.indicator)!
        var sources = Set<String>()
        for period in [finding.period] + finding.basis {
            sources.formUnion(evaluation.dataset.point(episode.series, period)?.sources ?? [])
        }
        if case .quality = rule.kind {
            for key in evaluation.dataset.keys(indicator: episode.series.indicator) {
                sources.formUnion(evaluation.dataset.point(key, finding.period)?.sources ?? [])
            }
        }
        let prefix = kind == .resolved ? "Resolved: " : ""
        let breakdownLabel = episode.series.breakdown.isTotal ? "" : " (\(episode.series.breakdown.label))"
        let message =
            render(rule.message, rule: rule, indicator: indicator, episode: episode, finding: finding)
            ?? "\(indicator.title)\(breakdownLabel), \(finding.period.label): \(finding.explanation)"
        return AlertEvent(
            id: AlertEventFactory.eventId(episode.key, kind, "\(finding.period)"), event: kind, rule: rule.id,
            kind: rule.kind.name,
            indicator: indicator.id, indicatorTitle: indicator.title, breakdown: episode.series.breakdown.values,
            period: "\(finding.period)", periodLabel: finding.period.label, since: "\(episode.start)", value: finding.value,
            expected: finding.expected, unit: indicator.unit.rawValue,
            severity: kind == .firing ? finding.severity : episode.peakSeverity,
            priority: rule.priority, priorityTitle: catalogue.priority(rule.priority)?.title ?? "",
            message: prefix + message, explanation: finding.explanation,
            action: kind == .firing
                ? render(rule.action, rule: rule, indicator: indicator, episode: episode, finding: finding) : nil,
            signal: finding.signal, ruleHash: rule.hash, sources: sources.sorted(), evaluatedAt: "\(evaluation.date)")
    }

    func retracted(record: AlertRecord, key: AlertKey) -> AlertEvent {
        var event = record.firingEvent
        event.id = AlertEventFactory.eventId(key, .retracted, event.period)
        event.event = .retracted
        event.message = "Retracted: \(event.indicatorTitle), \(event.periodLabel): revised data no longer supports this alert"
        event.explanation = "the condition no longer holds for the episode that began \(record.start) after data was revised"
        event.action = nil
        event.ruleHash = rules[key.rule]?.hash ?? event.ruleHash
        event.evaluatedAt = "\(evaluation.date)"
        return event
    }

    func overdueResolved(record: AlertRecord, key: AlertKey) -> AlertEvent {
        var event = record.lastEvent
        event.id = AlertEventFactory.eventId(key, .resolved, record.start)
        event.event = .resolved
        let received = evaluation.dataset.point(key.series, key.start)
        event.sources = received?.sources ?? []
        event.value = received?.number
        event.explanation = "a value for \(key.start) has now been received"
        event.message = "Resolved: \(event.indicatorTitle), \(event.periodLabel): the overdue value has been received"
        event.action = nil
        event.evaluatedAt = "\(evaluation.date)"
        return event
    }

    /// Fills `{{name}}` placeholders: title, indicator, breakdown, period, value, expected, explanation, severity.
    func render(_ template: String?, rule: Rule, indicator: Indicator, episode: Episode, finding: Finding) -> String? {
        guard var text = template else { return nil }
        let values: [String: String] = [
            "title": indicator.title, "indicator": indicator.id, "breakdown": episode.series.breakdown.label,
            "period": finding.period.label, "value": finding.value.map(indicator.unit.format) ?? "n/a",
            "expected": finding.expected.map(indicator.unit.format) ?? "n/a", "explanation": finding.explanation,
            "severity": finding.severity.rawValue, "since": episode.start.label,
        ]
        for (name, value) in values { text = text.replacingAll("{{\(name)}}", with: value) }
        return text
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
