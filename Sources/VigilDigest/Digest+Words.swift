import VigilCore

extension DigestWindow {
    var isDataPeriods: Bool { if case .dataPeriods = self { true } else { false } }
}

extension Digest {
    /// "Alert digest for April 2012 to March 2013. Generated 2 December 2026 at 06:34 UTC."
    var heading: String {
        "Alert digest \(window.isDataPeriods ? "for" : "of") \(window.words). Generated \(PlainWords.time(generatedAt))."
            + (filters.isEmpty ? "" : " Filters: \(filters).")
    }

    /// How to acknowledge an alert from any edition.
    static func acknowledgeHint(_ id: String) -> String {
        "To acknowledge: vigil ack \(id) --by NAME --note \"what is being done\""
    }

    /// The short id chairs quote (the first 12 characters of the firing event's id).
    static func shortID(_ item: Item) -> String { String(item.record.firingEvent.id.prefix(12)) }

    /// Terms a chair may meet in alert messages.
    static let glossary =
        "Terms: \"sd\" (standard deviation) measures how much a figure usually varies from period to period; \"baseline mean\" is the average of the earlier periods named; \"recent median\" is the middle of the recent values; \"process limits\" are the range ordinary variation stays within (statistical process control)."

    /// A priority's line of the cover: "Green: monitored, no warning live. Live: 0; closed in the window: 1".
    static func coverText(_ line: DigestCover.Line) -> String {
        if line.standing == .grey {
            return "Grey: \(line.greyReason ?? "not monitored"); not all clear"
        }
        var live: [String] = []
        if line.live.critical > 0 { live.append("\(line.live.critical) critical") }
        if line.live.warning > 0 { live.append("\(line.live.warning) warning") }
        if line.live.info > 0 { live.append("\(line.live.info) information") }
        return line.standing.words + ". Live: " + (live.isEmpty ? "none" : live.joined(separator: ", "))
            + "; closed in the window: \(line.closed)"
    }

    /// A partner's freshness in one line.
    static func freshnessText(_ f: DigestCover.Freshness) -> String {
        var text = "\(f.partner): last file " + (f.lastFile ?? "never received")
        let late = f.feeds.filter(\.late)
        // The latest period by when it ends (a month, a quarter and a year compare by end date).
        if let latest = f.feeds.map(\.latest).max(by: { ($0.end, $0.start) < ($1.end, $1.start) }) {
            text += "; latest data \(latest.label)"
        }
        text +=
            late.isEmpty
            ? (f.feeds.isEmpty ? "" : "; nothing overdue")
            : "; OVERDUE: " + late.map { "\($0.title) (latest \($0.latest.label))" }.joined(separator: ", ")
        return text
    }
}
