import VigilCore

extension Digest {
    /// Markdown for a plain-text email or a wiki: the cover, then each priority's alerts with
    /// their ids. No HTML (entities or SVG): each chart is given by its text alternative, which
    /// states the comparison; the HTML and PDF editions carry the charts.
    public var markdown: String {
        let esc = Digest.markdownEscape
        var out: [String] = []
        out.append("# \(esc(title))")
        out.append("")
        out.append(esc(heading))
        out.append("")
        out.append("## Where the board stands")
        out.append("")
        out.append("| Priority | Standing |")
        out.append("| --- | --- |")
        for line in cover.lines {
            out.append("| \(line.priority.id). \(esc(line.priority.title)) | \(esc(Digest.coverText(line))) |")
        }
        out.append("")
        out.append("**Most important live alerts:**" + (cover.topAlerts.isEmpty ? " none." : ""))
        if !cover.topAlerts.isEmpty { out.append("") }
        for (i, alert) in cover.topAlerts.enumerated() { out.append("\(i + 1). \(esc(alert))") }
        if let since = cover.sinceLast {
            out.append("")
            out.append("**Since the last digest:** \(esc(since)).")
        }
        out.append("")
        out.append("## Data from partners")
        out.append("")
        for f in cover.freshness { out.append("- \(esc(Digest.freshnessText(f)))") }
        out.append("")
        out.append(
            "Files rejected in the window: "
                + (rejectedByPartner.isEmpty
                    ? "none" : rejectedByPartner.map { esc($0.text) }.joined(separator: "; ")) + ".")
        if sections.contains(where: { !$0.items.isEmpty }) {
            out.append("")
            out.append("## In this paper")
            for section in sections where !section.items.isEmpty {
                out.append("")
                out.append("Priority \(section.priority.id):")
                out.append("")
                for item in section.items { out.append("- \(esc(Digest.glanceLine(item, control)))") }
            }
        }
        if !unjudgedLines.isEmpty {
            out.append("")
            out.append("## Not judged in the window")
            out.append("")
            out.append(Digest.unjudgedIntro)
            out.append("")
            for line in unjudgedLines { out.append("- Priority \(line.priority): \(esc(line.text))") }
        }
        for section in sections where !section.items.isEmpty {
            out.append("")
            out.append("## Priority \(section.priority.id): \(esc(section.priority.title))")
            for item in section.items {
                out.append("")
                out.append(
                    "### \(item.evidence.severity.words), \(item.status.words.lowercased()): \(esc(item.chart.title)), \(esc(item.evidence.periodLabel))"
                )
                out.append("")
                out.append("- **Observed:** \(esc(item.observedAgainstExpected(control)))")
                out.append("- **When:** \(esc(item.timeline(control)))")
                if let from = item.figuresFrom { out.append("- **Figures from:** \(esc(from))") }
                out.append("- **Why:** \(esc(item.explanation(control)))")
                if let action = item.action { out.append("- **Suggested action:** \(esc(action))") }
                out.append("- **Acknowledged:** \(esc(item.acknowledgementText ?? "not yet"))")
                out.append("- **Alert:** `\(Digest.shortID(item))`. \(esc(Digest.acknowledgeHint(Digest.shortID(item))))")
                if let table = item.breakdown {
                    out.append("")
                    out.append(
                        "| \(esc(table.dimension)) (\(esc(table.period))) | "
                            + table.cells.map { esc($0.label) }.joined(separator: " | ") + " | Total |")
                    out.append("| --- |" + String(repeating: " ---: |", count: table.cells.count + 1))
                    out.append("| | " + table.cells.map { esc($0.text) }.joined(separator: " | ") + " | \(esc(table.total)) |")
                }
                out.append("")
                out.append(esc(item.chart.description))
            }
        }
        if !glossary.isEmpty {
            out.append("")
            out.append(esc(glossary))
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Escapes Markdown's punctuation with backslashes (no HTML entities), so partner-supplied
    /// text can neither format nor link; line ends become spaces. Per scalar, as `HTML.escape`:
    /// a `[` or `<` glued to a prepended or combining scalar is one Character that is not `[`.
    static func markdownEscape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "!", "{", "}":
                out.append("\\")
                out.append(scalar)
            case "\n", "\r": out.append(" ")
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
