/// The CSV a partner fills in for a return: every indicator it may send, for the period asked,
/// with a row for the total and for each value of each breakdown the catalogue declares, and the
/// date each is due; a period that has not ended by the date is named in a comment, without rows.
/// A pure function of the catalogue, the partner and the date.
public enum ReturnTemplate {
    /// The template for `partner`: for each of its indicators, the period of the indicator's
    /// periodicity containing `period`'s start (a snapshot: `period`'s last day), or, without
    /// `period`, the latest period that ended before `date`.
    ///
    /// - Returns: nil when the catalogue has no such partner.
    public static func csv(catalogue: Catalogue, partner id: String, period: Period?, date: CivilDate) -> String? {
        guard let partner = catalogue.partner(id) else { return nil }
        let schedule = ReturnSchedule(catalogue: catalogue)
        let entries = schedule.entries(for: id)
        var dimensions: [String] = []
        for entry in entries {
            for d in entry.indicator.dimensions where !dimensions.contains(d) { dimensions.append(d) }
        }
        var lines = [
            "# Vigil return template for \(partner.name) (\(partner.id)); made from the catalogue.",
            "# Fill in every value with the true count: the board needs small numbers too (digests hide them when published). Use c only where a value may not be shared, x if not available (see docs/feeds.md). A blank breakdown cell is the total.",
            "# Drop the file in the \(partner.id) folder, or check it first: vigil check --partner \(partner.id) FILE",
        ]
        var rows: [String] = []
        for entry in entries {
            let periodicity = entry.indicator.periodicity
            let p: Period
            if let period {
                p = periodicity == .snapshot ? .snapshot(period.end) : .containing(period.start, periodicity)
            } else {
                p = .latestEnded(before: date, periodicity)
            }
            let due =
                entry.due(p).map { "due by \($0)" }
                ?? (periodicity == .snapshot ? "a snapshot: no due date in the schedule" : "no due date in the schedule")
            // A period still running is left out: a part of it would be judged as the whole
            // (review helper-34: April's figures as 2012/13 read as a 92% fall).
            if p.isRunning(on: date) {
                lines.append("# \(entry.indicator.id) \(p): left out, it ends \(p.end); send it once it is complete (\(due))")
                continue
            }
            lines.append(
                "# \(entry.indicator.id) \(p): \(entry.indicator.title.replacingOccurrences(of: "\n", with: " ")); \(due)")
            let blank = Array(repeating: "", count: dimensions.count)
            rows.append(([entry.indicator.id, "\(p)", ""] + blank).joined(separator: ","))
            for d in entry.indicator.dimensions {
                guard let column = dimensions.firstIndex(of: d), let values = catalogue.dimensions[d]?.values else { continue }
                for value in values {
                    var cells = blank
                    cells[column] = value
                    rows.append(([entry.indicator.id, "\(p)", ""] + cells).joined(separator: ","))
                }
            }
        }
        lines.append((["indicator", "period", "value"] + dimensions).joined(separator: ","))
        return (lines + rows).joined(separator: "\n") + "\n"
    }
}
