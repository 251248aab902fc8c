import VigilCore

extension DigestWindow {
    var isDataPeriods: Bool { if case .dataPeriods = self { true } else { false } }
}

extension Digest {
    /// "Alert digest for April 2012 to March 2013. Figures and overdue returns as at 30 April 2013.
    /// Generated 2 December 2026 at 06:34 UTC."
    var heading: String {
        "Alert digest \(window.isDataPeriods ? "for" : "of") \(window.words). Figures and overdue returns as at \(PlainWords.day(judgedAt)). Generated \(PlainWords.time(generatedAt))."
            + (filters.isEmpty ? "" : " Filters: \(filters).")
    }

    /// How to acknowledge an alert from any edition.
    /// An alert's severity and state in the paper's one-line list: "Warning, new".
    static func glanceState(_ item: Item) -> String {
        "\(item.evidence.severity.words), \(item.status.words.lowercased())"
    }

    /// An alert's line in the paper's one-line list, for the text editions.
    static func glanceLine(_ item: Item, _ control: DisclosureControl) -> String {
        "\(glanceState(item)): \(item.chart.title), \(item.evidence.periodLabel): \(item.observedAgainstExpected(control))"
    }

    static func acknowledgeHint(_ id: String) -> String {
        "To acknowledge: vigil ack \(id) --by NAME --note \"what is being done\""
    }

    /// The short id chairs quote (the first 12 characters of the firing event's id).
    static func shortID(_ item: Item) -> String { String(item.record.firingEvent.id.prefix(12)) }

    /// Terms a chair may meet in alert messages: each with the text that shows it is used (a
    /// term in quotes, or an acronym as a word) and what it means.
    static let terms: [(term: String, uses: [String], meaning: String)] = [
        ("sd", ["(sd ", " sd "], "(standard deviation) measures how much a figure usually varies from period to period"),
        ("baseline mean", ["baseline mean"], "is the average of the earlier periods named"),
        ("recent median", ["recent median"], "is the middle of the recent values"),
        ("reference mean", ["reference mean"], "is the average of the earlier periods a sustained change is measured against"),
        (
            "dispersion", ["dispersion"],
            "says how much more a count varies than chance alone would make it vary (1: as much as chance)"
        ),
        (
            "cumulative departure", ["cumulative departure"],
            "adds up, period by period, how far the figures have stayed above (or below) the reference level, less an allowance for ordinary variation; a sustained change alerts when it reaches the alarm level"
        ),
        (
            "process limits", ["process limit"],
            "are the range ordinary variation stays within (statistical process control)"
        ),
        (
            "special cause", ["special cause"],
            "is a pattern ordinary variation rarely makes (a point beyond the process limits, a long run on one side of the mean, a steady climb or fall): of concern or of improvement by the figure's direction, it asks for an explanation"
        ),
        (
            "common-cause variation", ["common-cause variation"],
            "is the ordinary ups and downs of a stable process: no alert"
        ),
        ("BME", ["BME"], "Black and minority ethnic"),
        ("CAF", ["CAF"], "Common Assessment Framework, the early-help assessment"),
        ("CDOP", ["CDOP"], "Child Death Overview Panel, which reviews the death of every child in the area"),
        ("CSM", ["CSM"], "child safeguarding (strategy) meeting"),
        ("IDVA", ["IDVA"], "Independent Domestic Violence Adviser, who supports victims at high risk"),
        ("LADO", ["LADO"], "Local Authority Designated Officer, who handles allegations against people who work with children"),
        ("MAPPA", ["MAPPA"], "Multi-Agency Public Protection Arrangements"),
        ("MARAC", ["MARAC"], "Multi-Agency Risk Assessment Conference, for victims of domestic abuse at high risk"),
        ("MASG", ["MASG"], "Multi Agency Support Group"),
        ("PSCB", ["PSCB"], "Peterborough Safeguarding Children Board"),
        (
            "SafeLives", ["SafeLives"],
            "is the national domestic abuse charity (formerly CAADA) whose figures MARACs are compared with"
        ),
    ]

    /// The terms this paper uses, explained (none: empty).
    public var glossary: String {
        var texts: [String] = cover.topAlerts
        for section in sections {
            texts.append(section.priority.title)
            for item in section.items {
                // The suggested action too: it names IDVAs and SafeLives (review helper-54).
                texts += [item.evidence.message, item.chart.title, item.chart.description, item.timeline(control)]
                if let action = item.action { texts.append(action) }
                if let closing = item.closing { texts.append(closing.explanation) }
            }
        }
        let all = texts.joined(separator: "\n")
        func used(_ use: String) -> Bool {
            // An acronym counts as a word (CAF, CAFs), not inside another (CAFE).
            guard use.allSatisfy(\.isUppercase) else { return all.contains(use) }
            var rest = Substring(all)
            while let found = rest.range(of: use) {
                let before = found.lowerBound == all.startIndex ? nil : all[all.index(before: found.lowerBound)]
                let after = found.upperBound == all.endIndex ? nil : all[found.upperBound]
                if !(before?.isLetter ?? false), !(after?.isUppercase ?? false), !(after?.isLowercase ?? false) || after == "s" {
                    return true
                }
                rest = all[found.upperBound...]
            }
            return false
        }
        let shown = Digest.terms.filter { $0.uses.contains(where: used) }
        guard !shown.isEmpty else { return "" }
        return "Terms: "
            + shown.map { $0.term.allSatisfy(\.isUppercase) ? "\($0.term): \($0.meaning)" : "\"\($0.term)\" \($0.meaning)" }
            .joined(separator: "; ") + "."
    }

    /// A priority's line of the cover: "Green: monitored, no warning live. Live: 0; closed in the window: 1".
    static func coverText(_ line: DigestCover.Line) -> String {
        var live: [String] = []
        if line.live.critical > 0 { live.append("\(line.live.critical) critical") }
        if line.live.warning > 0 { live.append("\(line.live.warning) warning\(line.live.warning == 1 ? "" : "s")") }
        if line.live.info > 0 { live.append("\(line.live.info) information") }
        let counts = "Live: " + (live.isEmpty ? "none" : live.joined(separator: ", ")) + "; closed in the window: \(line.closed)"
        if line.standing == .grey {
            guard line.judgement.watching > 0 || line.live != (0, 0, 0) || line.closed > 0 else {
                return "Grey: \(line.greyReason ?? "not monitored"); not all clear"
            }
            // What is live or closed still shows (review helper-44: a grey line dropped them).
            return "Grey: \(line.greyReason ?? "not monitored"); not all clear. " + counts
        }
        return line.standing.words + ". " + counts + (line.judgement.words.map { "; \($0)" } ?? "")
    }

    /// Per priority whose rules could not judge some figures, per reason: "too little history
    /// yet: Children looked after (process chart); …" (the cover counts them; this names them).
    var unjudgedLines: [(priority: Int, text: String)] {
        sections.flatMap { section in section.judgement.byReason.map { (section.priority.id, $0) } }
    }

    /// The words that introduce the list of rules that could not judge.
    static let unjudgedIntro =
        "Rules that had figures in the window but could not judge them, so their priorities are watched but not all clear:"

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
