import VigilCore

extension AlertEvent {
    /// Whether the figure it is compared with is a mean (a spike's, SPC's or CUSUM's usual
    /// level) or a median (a collapse check's recent typical value: of four values, the mean of
    /// the middle two), which disclosure control hides over a series with a hidden cell.
    var expectsAMean: Bool {
        ["spike", "spc", "cusum"].contains(kind) || (kind == "quality" && explanation.contains("median"))
    }
}

extension Digest.Item {
    /// The comparison in plain words, with disclosure control applied: "79.3 per 10,000 against
    /// a target of 74.0 per 10,000", "270, up from 139 at the start of the run".
    /// An event's value and expected figure as this edition shows them (disclosure control).
    func figures(_ event: AlertEvent, _ control: DisclosureControl) -> (value: String, expected: String?) {
        let unit = IndicatorUnit(rawValue: event.unit) ?? .count
        let series = SeriesKey(indicator: record.indicator, breakdown: Breakdown(key: record.breakdown))
        let value = control.display(event.value, unit: unit, series: series, period: Period(parsing: event.period))
        let expected = event.expected.map {
            control.displayExpected($0, unit: unit, series: series, isMean: event.expectsAMean)
        }
        return (value, expected)
    }

    func observedAgainstExpected(_ control: DisclosureControl) -> String {
        let series = SeriesKey(indicator: record.indicator, breakdown: Breakdown(key: record.breakdown))
        // A late return has no figure: say what is missing, not "–" (its explanation gives the date).
        if evidence.kind == "overdue" { return "not received by its due date" }
        let (observed, shownExpected) = figures(evidence, control)
        guard let expectedValue = evidence.expected, let expected = shownExpected else { return observed }
        switch evidence.kind {
        case "threshold": return "\(observed), past the alert level of \(expected)"
        case "target": return "\(observed) against a target of \(expected)"
        case "benchmark": return "\(observed) against a comparison value of \(expected)"
        case "change":
            // A windowed comparison's figures are means, not the month's value (review helper-32).
            if evidence.explanation.contains("(the mean of ") {
                return "\(observed) on average over the latest periods, against \(expected) a year earlier"
            }
            return "\(observed) against \(expected) earlier"
        case "spike": return "\(observed) against a usual level of \(expected)"
        case "spc": return "\(observed) against a usual (average) level of \(expected)"
        case "cusum":
            // The run, not the month, is the news: a month inside it may sit either side.
            let side = evidence.explanation.contains(" sd below ") ? "below" : "above"
            return "\(observed), in a sustained run \(side) the earlier level of \(expected)"
        case "band":
            // The bound crossed is `expected`; the whole range is said when the rule has both ends.
            let below = (evidence.value ?? expectedValue) < expectedValue
            let unit = IndicatorUnit(rawValue: evidence.unit) ?? .count
            // The rule's range as it is now, only if its crossed end is the one the alert fired on
            // (review helper-56: a range edited since read "below … 20.0%–40.0%" for 23.6%).
            if let range = expectedRange, let low = range.low, let high = range.high,
                abs((below ? low : high) - expectedValue) <= 1e-9 * max(1, abs(expectedValue))
            {
                return "\(observed), \(below ? "below" : "above") the expected range of \(unit.format(low))–\(unit.format(high))"
            }
            return "\(observed), \(below ? "below the lowest" : "above the highest") expected value, \(expected)"
        case "trend":
            let up = (evidence.value ?? 0) >= expectedValue
            return "\(observed), \(up ? "up" : "down") from \(expected) at the start of the run"
        case "quality":
            if evidence.explanation.contains("median") { return "\(observed) against a recent typical value of \(expected)" }
            // While a part or the total is hidden, the sum less the shown parts (or the total
            // printed here) would give hidden counts back.
            if let dimension = series.breakdown.pairs.first(where: { $0.value == "*" })?.dimension,
                let period = Period(parsing: evidence.period),
                control.hidesAnyCell(of: record.indicator, dimension: dimension, at: period)
            {
                return "the breakdown does not add up to its total (figures withheld in this edition: some are hidden)"
            }
            // The difference between a breakdown's sum and its total is a count too.
            if let value = evidence.value, control.isSmall(abs(expectedValue - value), unit: .count) {
                return "the breakdown differs from its total by a count of 1 to 5 (figures withheld in this edition)"
            }
            return "\(observed) in the breakdown against a total of \(expected)"
        default: return "\(observed) against \(expected)"
        }
    }

    /// The explanation, unless suppression is on and the figures are counts or made from counts
    /// (it would name small numbers).
    func explanation(_ control: DisclosureControl) -> String {
        if withholds(control) { return "Details are withheld in this edition because they may include counts of 1 to 5." }
        // Only the engine's words: a board's own (a title, a rule's message) may write `2011-12`
        // for a financial year (review helper-55).
        let message = evidence.message
        guard message.hasSuffix(evidence.explanation), !evidence.explanation.isEmpty else { return message }
        return String(message.dropLast(evidence.explanation.count)) + PlainWords.periods(in: evidence.explanation)
    }

    /// "Cambridgeshire Constabulary" or "A and B": whose returns the figures are; nil when the
    /// catalogue names none (the board's own figures).
    var figuresFrom: String? {
        switch suppliedBy.count {
        case 0: return nil
        case 1: return suppliedBy[0]
        default: return suppliedBy.dropLast().joined(separator: ", ") + " and " + suppliedBy.last!
        }
    }

    /// The suggested action, except for a late return that has since come: reminding its partner
    /// to send it is done (review helper-28).
    var action: String? {
        if status == .resolved, record.firingEvent.kind == "overdue" { return nil }
        return record.firingEvent.action
    }

    /// Whether disclosure control keeps this alert's explanations out of the edition.
    func withholds(_ control: DisclosureControl) -> Bool {
        control.enabled && (evidence.unit == IndicatorUnit.count.rawValue || control.madeFromCounts(evidence.indicator))
    }

    /// Why it resolved, in a chair's words. The statistical kinds say what the figure came back
    /// to (review helper-28: "7 against a baseline mean of 13 (sd 8.5, 7 values …, dispersion 4.8
    /// from 24 values, allowing for the baseline's own uncertainty): 0.7 sd below" is the rule's
    /// working, which alerts.jsonl keeps); the other kinds' reasons are plain already.
    func resolution(_ closing: AlertEvent, _ control: DisclosureControl) -> String {
        let (value, usual) = figures(closing, control)
        switch (closing.kind, usual) {
        // A spike or SPC finding clears for more than a value back in range (a side the rule does
        // not watch, a tail test not met, a low month, a mean too small to judge): the words
        // claim only that it is no longer flagged (review helper-32: "back within the usual
        // range, 64" for a value still above the range on a rule that watches falls).
        case ("spike", let usual?): return "no longer flagged as unusual, \(value) against a usual level of \(usual)"
        case ("spc", let usual?):
            return "no longer flagged as a special cause, \(value) against a usual (average) level of \(usual)"
        case ("cusum", _) where closing.explanation.contains("becomes the reference"):
            return "the changed level has lasted long enough to become the usual level, \(value)"
        case ("cusum", let usual?): return "back at the earlier level, \(value) against \(usual)"
        default: return PlainWords.periods(in: closing.explanation)
        }
    }

    /// A line about the acknowledgement, if any.
    var acknowledgementText: String? {
        guard let ack = acknowledgement else { return nil }
        var text = "Acknowledged by \(ack.by) on \(PlainWords.time(ack.at)): \(ack.note)"
        if worsenedSinceAcknowledged { text += " — WORSENED since acknowledged" }
        return text
    }

    /// "Firing since 2012-09; resolved 2012-10: why" etc., and the earlier episodes not shown.
    func timeline(_ control: DisclosureControl) -> String {
        guard earlierEpisodes > 0 else { return episode(control) }
        let n = earlierEpisodes
        return episode(control)
            + "; \(n) earlier episode\(n == 1 ? "" : "s") of this alert \(n == 1 ? "is" : "are") not shown (alerts.jsonl lists every one)"
    }

    /// This episode's timeline.
    private func episode(_ control: DisclosureControl) -> String {
        let since = Period(parsing: record.start)?.label ?? record.start
        switch status {
        case .new, .persisting:
            if let closing { return "Fired \(since); \(closing.event.rawValue) \(closing.periodLabel)" }
            return "Firing since \(since)"
        case .resolved:
            // Why it resolved, as the rule said (review helper-28: a return a month late read
            // "1 day overdue"; a year-on-year rise that slowed read as over). A target alert that
            // resolved because no target has been set for a year says so (helper-26: it read as
            // met). Unless disclosure control withholds the alert's figures.
            if let closing, !withholds(control) {
                return "Fired \(since); resolved \(closing.periodLabel): \(resolution(closing, control))"
            }
            return "Fired \(since); resolved \(closing?.periodLabel ?? "")"
        case .retracted:
            // The retraction's own reason: revised data, values that arrived late, a changed rule.
            let prefix = closing.map { "Retracted: \($0.indicatorTitle), \($0.periodLabel): " } ?? ""
            guard let message = closing?.message, message.hasPrefix(prefix), !prefix.isEmpty else {
                return "Fired \(since); withdrawn"
            }
            return "Fired \(since); withdrawn: \(PlainWords.periods(in: String(message.dropFirst(prefix.count))))"
        }
    }
}

extension Digest {

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
                    ? "none" : rejectedByPartner.map(\.text).joined(separator: "; ")))
        if sections.contains(where: { !$0.items.isEmpty }) {
            out.append("")
            out.append("IN THIS PAPER")
            for section in sections where !section.items.isEmpty {
                out.append("  Priority \(section.priority.id):")
                for item in section.items { out.append("    \(Digest.glanceLine(item, control))") }
            }
        }
        if !unjudgedLines.isEmpty {
            out.append("")
            out.append("NOT JUDGED IN THE WINDOW")
            out.append(Digest.unjudgedIntro)
            for line in unjudgedLines { out.append("  Priority \(line.priority): \(line.text)") }
        }
        for section in sections where !section.items.isEmpty {
            out.append("")
            out.append("PRIORITY \(section.priority.id): \(section.priority.title.uppercased())")
            for item in section.items {
                out.append("")
                out.append(
                    "  \(item.evidence.severity.words), \(item.status.words.lowercased()): \(item.chart.title), \(item.evidence.periodLabel)"
                )
                out.append("    Observed: \(item.observedAgainstExpected(control))")
                out.append("    When: \(item.timeline(control))")
                if let from = item.figuresFrom { out.append("    Figures from: \(from)") }
                out.append("    Why: \(item.explanation(control))")
                if let action = item.action { out.append("    Suggested action: \(action)") }
                out.append("    " + (item.acknowledgementText ?? "Not yet acknowledged."))
                out.append("    Alert \(Digest.shortID(item)). \(Digest.acknowledgeHint(Digest.shortID(item)))")
            }
        }
        if !glossary.isEmpty {
            out.append("")
            out.append(glossary)
        }
        return out.joined(separator: "\n") + "\n"
    }
}
