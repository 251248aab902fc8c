import VigilCore

extension Digest {
    /// Markdown; charts are inline SVG (GitHub and most viewers render them in HTML blocks).
    public var markdown: String {
        func esc(_ s: String) -> String { HTML.escape(s).replacingPipes }
        var out: [String] = []
        out.append("# \(esc(title))")
        out.append("")
        out.append(
            "Alert digest: \(esc(window.description)). Generated \(esc(generatedAt)).\(filters.isEmpty ? "" : " Filters: \(esc(filters)).")"
        )
        out.append("")
        out.append("## Summary")
        out.append("")
        out.append("| Priority | New | Persisting | Resolved | Retracted |")
        out.append("| --- | ---: | ---: | ---: | ---: |")
        for section in sections {
            guard section.isMonitored else {
                out.append(
                    "| \(section.priority.id). \(esc(section.priority.title)) | not monitored: no rule watches this priority | | | |"
                )
                continue
            }
            out.append(
                "| \(section.priority.id). \(esc(section.priority.title)) | \(section.count(.new)) | \(section.count(.persisting)) | \(section.count(.resolved)) | \(section.count(.retracted)) |"
            )
        }
        out.append("")
        out.append(
            "Overdue feeds: "
                + (overdueByPartner.isEmpty
                    ? "none" : overdueByPartner.map { "\(esc($0.partner)) \($0.count)" }.joined(separator: ", ")) + ".  ")
        out.append(
            "Files rejected: "
                + (rejectedByPartner.isEmpty
                    ? "none" : rejectedByPartner.map { "\(esc($0.partner)) \($0.count)" }.joined(separator: ", ")) + ".")
        var chartIndex = 0
        for section in sections where !section.items.isEmpty {
            out.append("")
            out.append("## Priority \(section.priority.id): \(esc(section.priority.title))")
            for status in Status.allCases {
                let items = section.items.filter { $0.status == status }
                guard !items.isEmpty else { continue }
                out.append("")
                out.append("### \(status.rawValue.capitalized)")
                for item in items {
                    chartIndex += 1
                    out.append("")
                    out.append("#### \(esc(item.chart.title)), \(esc(item.evidence.periodLabel))")
                    out.append("")
                    out.append("- **Severity:** \(item.evidence.severity.rawValue)")
                    out.append("- **Observed:** \(esc(item.observedAgainstExpected(control)))")
                    out.append("- **When:** \(esc(item.timeline))")
                    out.append("- **Why:** \(esc(item.explanation(control)))")
                    if let action = item.record.firingEvent.action { out.append("- **Suggested action:** \(esc(action))") }
                    if let ack = item.acknowledgementText { out.append("- **\(esc(ack))**") }
                    if let table = item.breakdown {
                        out.append("")
                        out.append(
                            "| \(esc(table.dimension)) (\(esc(table.period))) | "
                                + table.cells.map { esc($0.label) }.joined(separator: " | ") + " | Total |")
                        out.append("| --- |" + String(repeating: " ---: |", count: table.cells.count + 1))
                        out.append(
                            "| | " + table.cells.map { esc($0.text) }.joined(separator: " | ") + " | \(esc(table.total)) |")
                    }
                    out.append("")
                    out.append(SVGChart.render(item.chart, id: "c\(chartIndex)").replacingNewlines)
                    out.append("")
                    out.append("*\(esc(item.chart.description))*")
                }
            }
        }
        return out.joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate var replacingPipes: String { String(flatMap { $0 == "|" ? ["\\", "|"] : [$0] }) }
    fileprivate var replacingNewlines: String { split(separator: "\n").joined(separator: " ") }
}
