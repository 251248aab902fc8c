import VigilCore

extension Digest.Item {
    /// "79.3 per 10,000 against 74.0 per 10,000 (target)" with disclosure control applied.
    func observedAgainstExpected(_ control: DisclosureControl) -> String {
        let unit = IndicatorUnit(rawValue: evidence.unit) ?? .count
        let observed = control.display(evidence.value, unit: unit)
        guard evidence.expected != nil else { return observed }
        return "\(observed) against \(control.display(evidence.expected, unit: unit)) (\(expectedName))"
    }

    /// What the expected value is, by rule kind.
    var expectedName: String {
        switch evidence.kind {
        case "threshold": return "threshold"
        case "target": return "target"
        case "benchmark": return "benchmark"
        case "change": return "earlier value"
        case "spike": return "baseline mean"
        case "spc": return "process mean"
        case "band": return "edge of the expected range"
        case "trend": return "start of the run"
        case "quality": return evidence.explanation.contains("median") ? "recent median" : "total"
        case "overdue": return "due"
        default: return "expected"
        }
    }

    /// The explanation, unless suppression is on and the unit is a count (it would name small numbers).
    func explanation(_ control: DisclosureControl) -> String {
        if control.enabled && evidence.unit == IndicatorUnit.count.rawValue {
            return "Details are withheld in this edition because they may include counts of 1 to 5."
        }
        return evidence.message
    }

    /// A line about the acknowledgement, if any.
    var acknowledgementText: String? {
        guard let ack = acknowledgement else { return nil }
        var text = "Acknowledged by \(ack.by) on \(ack.at.prefix(10)): \(ack.note)"
        if worsenedSinceAcknowledged { text += " — WORSENED since acknowledged" }
        return text
    }

    /// "Firing since 2012-09; resolved 2012-10" etc.
    var timeline: String {
        let since = Period(parsing: record.start)?.label ?? record.start
        switch status {
        case .new, .persisting:
            if let closing { return "Fired \(since); \(closing.event.rawValue) \(closing.periodLabel)" }
            return "Firing since \(since)"
        case .resolved: return "Fired \(since); resolved \(closing?.periodLabel ?? "")"
        case .retracted: return "Fired \(since); retracted after revised data"
        }
    }
}

extension Digest {
    /// The control in force.
    var control: DisclosureControl { DisclosureControl(enabled: suppressSmall) }

    /// Plain text for an email body.
    public var text: String {
        var out: [String] = []
        out.append(title.uppercased())
        out.append("Alert digest: \(window). Generated \(generatedAt).")
        if !filters.isEmpty { out.append("Filters: \(filters).") }
        out.append("")
        out.append("SUMMARY (new / persisting / resolved / retracted)")
        for section in sections {
            guard section.isMonitored else {
                out.append("  Priority \(section.priority.id): not monitored (no rule watches it)  \(section.priority.title)")
                continue
            }
            out.append(
                "  Priority \(section.priority.id): \(section.count(.new)) / \(section.count(.persisting)) / \(section.count(.resolved)) / \(section.count(.retracted))  \(section.priority.title)"
            )
        }
        out.append(
            "Overdue feeds: "
                + (overdueByPartner.isEmpty
                    ? "none" : overdueByPartner.map { "\($0.partner) \($0.count)" }.joined(separator: ", ")))
        out.append(
            "Files rejected: "
                + (rejectedByPartner.isEmpty
                    ? "none" : rejectedByPartner.map { "\($0.partner) \($0.count)" }.joined(separator: ", ")))
        for section in sections where !section.items.isEmpty {
            out.append("")
            out.append("PRIORITY \(section.priority.id): \(section.priority.title)")
            for status in Status.allCases {
                let items = section.items.filter { $0.status == status }
                guard !items.isEmpty else { continue }
                out.append("  \(status.rawValue.capitalized):")
                for item in items {
                    out.append(
                        "  - [\(item.evidence.severity.rawValue)] \(item.chart.title), \(item.evidence.periodLabel): \(item.observedAgainstExpected(control))"
                    )
                    out.append("    \(item.timeline)")
                    out.append("    \(item.explanation(control))")
                    if let action = item.record.firingEvent.action { out.append("    Action: \(action)") }
                    if let ack = item.acknowledgementText { out.append("    \(ack)") }
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}
