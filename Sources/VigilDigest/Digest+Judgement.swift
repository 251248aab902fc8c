import VigilCore

extension Digest {
    /// What a priority's rules could and could not judge in the window: a quiet priority whose
    /// rules are still gathering history, or whose figures are below their floors, is not all
    /// clear, and a board trying Vigil on its own data needs to be told so.
    public struct Judgement: Sendable, Equatable {
        /// Rules (not data-quality checks or deadlines) with findings in the window.
        public var watching: Int = 0
        /// Those that judged none of their figures in the window: the indicator's title and why
        /// (the latest such finding's reason), one entry per indicator and reason, in the
        /// catalogue's order.
        public var unjudged: [Entry] = []

        /// An indicator no rule could judge, and why.
        public struct Entry: Sendable, Equatable {
            /// The indicator's title.
            public var indicator: String
            /// Why.
            public var reason: Finding.Unjudged
        }

        /// Rules that could not judge.
        public var unjudgedRules: Int = 0

        /// "not judged: 2 of 9 rules (too little history yet)", or nil when every rule judged.
        public var words: String? {
            guard unjudgedRules > 0 else { return nil }
            let reasons = Finding.Unjudged.allCases.filter { reason in unjudged.contains { $0.reason == reason } }
            return
                "not judged: \(unjudgedRules) of \(watching) rule\(watching == 1 ? "" : "s") (\(reasons.map(\.words).joined(separator: "; ")))"
        }
    }

    /// The judgement of one priority's rules over the window (pure): a rule counts when it has a
    /// finding for a period ending in the window (for a window of records, its series' latest
    /// findings), and judged when any of those is not `unjudged`.
    static func judgement(priority: Int, _ input: DigestInput, _ evaluation: Evaluation) -> Judgement {
        var judgement = Judgement()
        var entries: [(order: Int, entry: Judgement.Entry)] = []
        for rule in input.rules where rule.priority == priority {
            switch rule.kind {
            case .quality, .overdue: continue  // checks on the data, not judgements of it
            default: break
            }
            guard let indicator = input.catalogue.indicator(rule.indicator), let bySeries = evaluation.findings[rule.id]
            else { continue }
            if !input.partners.isEmpty && Set(partners(of: indicator, input.catalogue)).isDisjoint(with: input.partners) {
                continue
            }
            var seen: [Finding] = []
            for findings in bySeries.values {
                if case .recorded = input.window {
                    if let last = findings.last { seen.append(last) }
                } else {
                    seen += findings.filter { inWindow($0.period, input.window) }
                }
            }
            guard !seen.isEmpty else { continue }
            judgement.watching += 1
            guard !seen.contains(where: { $0.unjudged == nil }) else { continue }
            judgement.unjudgedRules += 1
            // The latest reason: what still stands at the window's end.
            let latest = seen.max { a, b in
                (a.period.end, a.unjudged!.rawValue) < (b.period.end, b.unjudged!.rawValue)
            }!
            let entry = Judgement.Entry(indicator: indicator.title, reason: latest.unjudged!)
            if !entries.contains(where: { $0.entry == entry }) {
                let order = input.catalogue.indicators.firstIndex { $0.id == indicator.id } ?? Int.max
                entries.append((order, entry))
            }
        }
        judgement.unjudged = entries.sorted { ($0.order, $0.entry.reason.rawValue) < ($1.order, $1.entry.reason.rawValue) }
            .map(\.entry)
        return judgement
    }
}
