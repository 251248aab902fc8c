/// Builds alert events from episodes: ids, messages, evidence and provenance.
struct AlertEventFactory {
    let evaluation: Evaluation
    let rules: [String: Rule]
    let catalogue: Catalogue

    /// A stable id: the same event of the same episode generation always has the same id.
    static func eventId(_ key: AlertKey, _ kind: AlertEvent.Kind, _ period: String, generation: Int = 0) -> String {
        let suffix = generation > 0 ? "|g\(generation)" : ""
        return String(SHA256.hex("\(key)|\(kind.rawValue)|\(period)\(suffix)").prefix(32))
    }

    func event(_ kind: AlertEvent.Kind, episode: Episode, finding: Finding, generation: Int) -> AlertEvent {
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
        // The rule's template words the alert; a resolution is always told plainly.
        let template = kind == .firing ? render(rule.message, indicator: indicator, episode: episode, finding: finding) : nil
        let message =
            template
            ?? AlertEvent.plainMessage(
                title: indicator.title, breakdown: episode.series.breakdown, period: finding.period,
                explanation: finding.explanation)
        return AlertEvent(
            id: AlertEventFactory.eventId(episode.key, kind, "\(finding.period)", generation: generation), event: kind,
            rule: rule.id,
            kind: rule.kind.name,
            indicator: indicator.id, indicatorTitle: indicator.title, breakdown: episode.series.breakdown.values,
            period: "\(finding.period)", periodLabel: finding.period.label, since: "\(episode.start)", value: finding.value,
            expected: finding.expected, unit: indicator.unit.rawValue,
            severity: kind == .firing ? finding.severity : episode.peakSeverity,
            priority: rule.priority, priorityTitle: catalogue.priority(rule.priority)?.title ?? "",
            message: prefix + message, explanation: finding.explanation,
            action: kind == .firing
                ? render(rule.action, indicator: indicator, episode: episode, finding: finding) : nil,
            signal: finding.signal, ruleHash: rule.hash, sources: sources.sorted(), evaluatedAt: "\(evaluation.date)")
    }

    func overdueResolved(record: AlertRecord, key: AlertKey) -> AlertEvent {
        var event = record.lastEvent
        event.id = AlertEventFactory.eventId(key, .resolved, record.start, generation: record.generation ?? 0)
        event.event = .resolved
        // A return's total stands for the whole return: any of its series counts as received.
        let series =
            key.series.breakdown.isTotal ? evaluation.dataset.keys(indicator: key.series.indicator) : [key.series]
        let received = series.compactMap { evaluation.dataset.point($0, key.start) }
        event.sources = Array(Set(received.flatMap(\.sources))).sorted()
        event.value = evaluation.dataset.point(key.series, key.start)?.number
        let sent =
            key.series.breakdown.isTotal
            ? evaluation.dataset.returnPoints(indicator: key.series.indicator) : evaluation.dataset.points(key.series)
        let periods = Set(sent.map(\.period))
        let latest = periods.max()
        let overdue: RuleKind.Overdue? = rules[key.rule].flatMap {
            if case .overdue(let p) = $0.kind { return p }
            return nil
        }
        // Aged out: the run of missing periods this one starts ended more than gap_days ago.
        let gapDays: Int? = overdue.flatMap { p in
            guard p.gapDays > 0 else { return nil }
            var last = key.start
            while let next = last.next, !periods.contains(next), next < latest ?? next { last = next }
            return last.end.adding(days: p.gapDays) < evaluation.date ? p.gapDays : nil
        }
        if !received.isEmpty {
            // How late it came (review helper-28: the card kept "1 day overdue" from when it fired).
            var late = ""
            if let due = overdue?.due(key.start) {
                let days = evaluation.date.dayNumber - due.dayNumber
                if days > 0 { late = ", \(days) day\(days == 1 ? "" : "s") after it was due (\(due))" }
            }
            event.explanation = "a value for \(key.start) has now been received\(late)"
            event.message = "Resolved: \(event.indicatorTitle), \(event.periodLabel): the overdue value has been received"
        } else if let latest, latest > key.start, let gapDays {
            event.explanation =
                "later values (up to \(latest)) have arrived and \(key.start) is still missing, a gap in the series; it ended more than \(gapDays) days ago"
            event.message =
                "Resolved: \(event.indicatorTitle), \(event.periodLabel): no longer chased: \(key.start) is still missing, and gaps are chased for \(gapDays) days after their period ends"
        } else if let latest, latest > key.start, !(overdue.map { $0.gapDays > 0 } ?? false) {
            event.explanation =
                "later values (up to \(latest)) have arrived; \(key.start) itself is still missing, a gap in the series"
            event.message =
                "Resolved: \(event.indicatorTitle), \(event.periodLabel): no longer overdue because later values arrived, but \(key.start) is still missing"
        } else {
            event.explanation =
                "\(key.start) is no longer overdue under the current rule and evaluation date; no value has arrived for it"
            event.message =
                "Resolved: \(event.indicatorTitle), \(event.periodLabel): no longer overdue under the current rule, though no value has arrived"
        }
        event.action = nil
        event.evaluatedAt = "\(evaluation.date)"
        return event
    }

    /// The placeholders a message or action template may use.
    static let placeholders = [
        "title", "indicator", "breakdown", "period", "value", "expected", "explanation", "severity", "since",
    ]

    /// Fills `{{name}}` placeholders in one pass (a value that itself contains `{{…}}` is not expanded).
    func render(_ template: String?, indicator: Indicator, episode: Episode, finding: Finding) -> String? {
        guard let template else { return nil }
        let values: [String: String] = [
            "title": indicator.title, "indicator": indicator.id, "breakdown": episode.series.breakdown.label,
            "period": finding.period.label, "value": finding.value.map(indicator.unit.format) ?? "n/a",
            "expected": finding.expected.map(indicator.unit.format) ?? "n/a", "explanation": finding.explanation,
            "severity": finding.severity.rawValue, "since": episode.start.label,
        ]
        return AlertEventFactory.fill(template, values)
    }

    /// Replaces each `{{name}}` with its value, scanning the template once, left to right.
    static func fill(_ template: String, _ values: [String: String]) -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let name = String(after[..<close.lowerBound])
            out += values[name] ?? "{{\(name)}}"
            rest = after[close.upperBound...]
        }
        return out + rest
    }

    /// Placeholder names in a template that are not known.
    static func unknownPlaceholders(_ template: String) -> [String] {
        var unknown: [String] = []
        var rest = Substring(template)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let name = String(rest[open.upperBound..<close.lowerBound])
            if !placeholders.contains(name) { unknown.append(name) }
            rest = rest[close.upperBound...]
        }
        return unknown
    }
}
