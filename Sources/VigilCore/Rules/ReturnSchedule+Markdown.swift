extension ReturnSchedule {
    /// The schedule as Markdown, partner by partner: what each sends, how often, and when each
    /// period is due (`docs/partners.md` is this text).
    public func markdown(catalogue: Catalogue) -> String {
        var lines: [String] = []
        for partner in catalogue.partners {
            let mine = entries(for: partner.id)
            lines.append("## \(partner.name) (`\(partner.id)`)")
            lines.append("")
            guard !mine.isEmpty else {
                lines.append("Sends no indicator yet.")
                lines.append("")
                continue
            }
            lines.append("| indicator | what | every | due | source |")
            lines.append("| --- | --- | --- | --- | --- |")
            for entry in mine {
                let every = entry.indicator.periodicity == .snapshot ? "snapshot (a date)" : "\(entry.indicator.periodicity)"
                let due = entry.dueDays.map { "\($0) days after the period ends" } ?? "as reported (no schedule)"
                let source = (entry.indicator.source ?? "").replacingOccurrences(of: "|", with: "\\|")
                lines.append("| `\(entry.indicator.id)` | \(entry.indicator.title) | \(every) | \(due) | \(source) |")
            }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
