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
        var text = "Acknowledged by \(ack.by) on \(PlainWords.time(ack.at)): \(ack.note)"
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

    /// Plain text for an email body: the cover first, then each priority's alerts, severest first,
    /// each with its id and how to acknowledge it.
    public var text: String {
        var out: [String] = []
        out.append(title.uppercased())
        out.append(heading)
        out.append("")
        out.append("WHERE THE BOARD STANDS")
        for line in cover.lines {
            out.append("  Priority \(line.priority.id), \(line.priority.title): \(Digest.coverText(line))")
        }
        out.append("")
        out.append("Most important live alerts:")
        if cover.topAlerts.isEmpty { out.append("  none") }
        for (i, alert) in cover.topAlerts.enumerated() { out.append("  \(i + 1). \(alert)") }
        if let since = cover.sinceLast { out.append("Since the last digest: \(since).") }
        out.append("")
        out.append("DATA FROM PARTNERS")
        for f in cover.freshness { out.append("  \(Digest.freshnessText(f))") }
        out.append(
            "Files rejected in the window: "
                + (rejectedByPartner.isEmpty
                    ? "none" : rejectedByPartner.map { "\($0.partner) \($0.count)" }.joined(separator: ", ")))
        for section in sections where !section.items.isEmpty {
            out.append("")
            out.append("PRIORITY \(section.priority.id): \(section.priority.title.uppercased())")
            for item in section.items {
                out.append("")
                out.append(
                    "  \(item.evidence.severity.words), \(item.status.words.lowercased()): \(item.chart.title), \(item.evidence.periodLabel)"
                )
                out.append("    Observed: \(item.observedAgainstExpected(control))")
                out.append("    When: \(item.timeline)")
                out.append("    Why: \(item.explanation(control))")
                if let action = item.record.firingEvent.action { out.append("    Suggested action: \(action)") }
                out.append("    " + (item.acknowledgementText ?? "Not yet acknowledged."))
                out.append("    Alert \(Digest.shortID(item)). \(Digest.acknowledgeHint(Digest.shortID(item)))")
            }
        }
        out.append("")
        out.append(Digest.glossary)
        return out.joined(separator: "\n") + "\n"
    }
}
