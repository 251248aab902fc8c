import VigilCore
import VigilStore

extension Digest {
    /// The cover for sections already built (pure).
    static func cover(_ sections: [Section], _ input: DigestInput, control: DisclosureControl) -> DigestCover {
        var lines: [DigestCover.Line] = []
        for section in sections {
            // Live at the window's end, whatever happened since (review helper-25: a past year's
            // paper said green while it listed live warnings, because they resolved later).
            let live = section.items.filter { $0.status == .new || $0.status == .persisting }
            let count = { (s: Severity) in live.filter { $0.evidence.severity == s }.count }
            let closed = section.items.filter { $0.status == .resolved || $0.status == .retracted }.count
            // A paper for some partners looks at their indicators only (review helper-44: a
            // police paper read green for priorities police supply nothing to).
            let indicators = input.catalogue.indicators.filter { indicator in
                indicator.priorities.contains(section.priority.id) && concerns(indicator, input)
            }.map(\.id)
            let hasData = indicators.contains { hasFigures($0, input) }
            let standing: DigestCover.Standing
            var reason: String?
            if !section.isMonitored {
                standing = .grey
                reason = "no rule watches it"
            } else if count(.critical) > 0 {
                standing = .red
            } else if count(.warning) > 0 {
                standing = .amber
            } else if section.judgement.watching > 0 && section.judgement.unjudgedRules == section.judgement.watching {
                // Rules watch it and have its figures, but none could judge them yet (too little
                // history, figures below the rules' floors): not all clear.
                standing = .grey
                reason = "no rule could judge the window's figures (\(section.judgement.reasons))"
            } else if section.judgement.watching > 0,
                (section.judgement.watching - section.judgement.unjudgedRules) * 2 < section.judgement.watching,
                let words = section.judgement.words
            {
                // Fewer than half its rules could judge: quiet is not all clear (review helper-54:
                // "Green … only 1 of 8 rules could judge").
                standing = .grey
                reason = words
            } else if hasData && section.judgement.watching == 0 {
                // Figures in the window but no rule on them (review helper-45: a paper for one
                // partner read green for a priority none of whose rules watch that partner's
                // figures).
                standing = .grey
                reason = "no rule watches its figures in the window"
            } else if !hasData {
                // A live notice from earlier data is listed, but is no all clear for a window
                // with no data (review helper-28: "Green … Live: 1 information" for a quarter
                // with no figure).
                standing = .grey
                reason = "no data in the window"
            } else {
                standing = .green
            }
            lines.append(
                DigestCover.Line(
                    priority: section.priority, standing: standing, greyReason: reason,
                    live: (count(.critical), count(.warning), count(.info)), closed: closed,
                    judgement: section.judgement))
        }
        let live = sections.flatMap(\.items).filter { $0.status == .new || $0.status == .persisting }
            .sorted { a, b in
                (severityRank(a.evidence.severity), a.evidence.period, a.record.rule)
                    > (severityRank(b.evidence.severity), b.evidence.period, b.record.rule)
            }
        // Severest first; within a severity, one per priority before a second of any (review
        // helper-54: the three were all priority 2's while priorities 5 and 7 had warnings live).
        var ordered: [Item] = []
        var seen: Set<Int> = []
        for rank in Set(live.map { severityRank($0.evidence.severity) }).sorted(by: >) {
            var firsts: [Item] = []
            var others: [Item] = []
            for item in live where severityRank(item.evidence.severity) == rank {
                if seen.insert(item.evidence.priority).inserted { firsts.append(item) } else { others.append(item) }
            }
            ordered += firsts + others
        }
        let top = ordered.prefix(3).map { item in
            "\(item.evidence.severity.words): \(item.chart.title), \(item.evidence.periodLabel): \(item.observedAgainstExpected(control)) (priority \(item.evidence.priority))"
        }
        return DigestCover(
            lines: lines, topAlerts: Array(top), sinceLast: sinceLast(input), freshness: freshness(input))
    }

    /// Whether an indicator has a figure for a period in the input's window; `orBefore`: for a
    /// period ending by the window's end (a rate's population, whose latest figure by each period
    /// the derivation takes: review helper-47).
    static func hasFigures(_ indicator: String, _ input: DigestInput, orBefore: Bool = false) -> Bool {
        input.periods(of: indicator).contains { period in
            guard orBefore, case .dataPeriods(_, let to) = input.window else { return inWindow(period, input.window) }
            return period.end <= to
        }
    }

    /// Whether a data period ends in the window (recorded windows take every period).
    static func inWindow(_ period: Period, _ window: DigestWindow) -> Bool {
        guard case .dataPeriods(let from, let to) = window else { return true }
        return period.end >= from && period.end <= to
    }

    /// "3 alerts raised, 1 resolved, none retracted since the last digest (28 November 2026 at 06:34 UTC)".
    static func sinceLast(_ input: DigestInput) -> String? {
        guard let last = input.lastDigest?.generatedAt else { return nil }
        let priorities = input.priorities.isEmpty ? nil : Set(input.priorities)
        let shown = input.sinceLastDigest.filter { priorities?.contains($0.priority) ?? true }
        func n(_ kind: AlertEvent.Kind) -> Int { shown.filter { $0.kind == kind }.reduce(0) { $0 + $1.count } }
        func words(_ count: Int, _ what: String) -> String { count == 0 ? "none \(what)" : "\(count) \(what)" }
        return
            "\(words(n(.firing), "raised")), \(words(n(.resolved), "resolved")), \(words(n(.retracted), "retracted")) (the last digest was written \(PlainWords.time(last)))"
    }

    /// Per partner: the last file, each supplied feed's latest period, and whether it is late.
    static func freshness(_ input: DigestInput) -> [DigestCover.Freshness] {
        let lateIndicators = Set(
            input.episodes.firing.filter { $0.firingKind == "overdue" }.map(\.indicator))
        return input.catalogue.partners.filter { input.partners.isEmpty || input.partners.contains($0.id) }.map { partner in
            let last = input.files.filter { $0.partner == partner.id }.map(\.receivedAt).max()
            var feeds: [(title: String, latest: Period, late: Bool)] = []
            var missing = 0
            for indicator in input.catalogue.indicators where indicator.partners.contains(partner.id) {
                let latest = input.periods(of: indicator.id).max()
                guard let latest else {
                    missing += 1
                    continue
                }
                feeds.append((indicator.title, latest, lateIndicators.contains(indicator.id)))
            }
            return DigestCover.Freshness(
                partner: partner.name, lastFile: last.map(PlainWords.time), feeds: feeds, missing: missing)
        }
    }
}

extension Severity {
    /// "Critical", "Warning", "Information".
    var words: String {
        switch self {
        case .critical: return "Critical"
        case .warning: return "Warning"
        case .info: return "Information"
        }
    }
}
