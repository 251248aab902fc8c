extension Coverage {
    /// The report `vigil rules coverage` prints.
    public var text: String {
        var lines: [String] = []
        for p in priorities {
            let status =
                p.isMonitored
                ? "\(p.rules.count) rule(s) on \(Set(p.rules.map(\.indicator)).count) indicator(s)" : "NOT MONITORED: no rule"
            lines.append("Priority \(p.priority.id): \(p.priority.title): \(status)")
            for w in p.indicators {
                let who = w.indicator.partners.isEmpty ? "derived" : w.indicator.partners.joined(separator: ", ")
                lines.append("  \(w.indicator.id) [\(who)]: \(Self.describe(w))")
            }
        }
        let monitored = priorities.filter(\.isMonitored).count
        var summary =
            "\(monitored) of \(priorities.count) priorities monitored; \(unwatched.count) supplied or derived indicator(s) not watched"
            + (unwatched.isEmpty ? "" : ": " + unwatched.map(\.id).joined(separator: ", "))
        if !excused.isEmpty { summary += "; \(excused.count) left unwatched on purpose, each with its reason above" }
        lines.append(summary)
        return lines.joined(separator: "\n")
    }

    /// `cp-plans-rising (trend), cp-plans-spc (spc)`, `via cp.repeat_plans_pct: …`, or why not.
    static func describe(_ w: Watched) -> String {
        var parts = w.rules.map { "\($0.id) (\($0.kind.name))" }
        if !w.through.isEmpty {
            parts.append("via " + w.through.map { "\($0.indicator): \($0.id) (\($0.kind.name))" }.joined(separator: ", "))
        }
        guard !w.isWatched else { return parts.joined(separator: ", ") }
        let lateness = parts.isEmpty ? "" : parts.joined(separator: ", ") + "; values "
        if let reason = w.reason { return lateness + "not watched on purpose: \(reason)" }
        return lateness + "not watched"
    }
}
