import VigilCore

extension Digest {
    /// What a priority's rules could and could not judge in the window: a quiet priority whose
    /// rules are still gathering history, or whose figures are below their floors, is not all
    /// clear, and a board trying Vigil on its own data needs to be told so.
    public struct Judgement: Sendable, Equatable {
        /// Rules (not data-quality checks or deadlines) with findings in the window, or on a
        /// derived indicator some of whose inputs have figures in it.
        public var watching: Int = 0
        /// Those whose latest finding in the window, on every series, did not judge.
        public var unjudgedRules: Int = 0
        /// Each such rule: the indicator's title, the rule in words, and why (its latest finding's
        /// reason), in the catalogue's order.
        public var unjudged: [Entry] = []

        /// A rule that could not judge, and why.
        public struct Entry: Sendable, Equatable {
            /// The indicator's title.
            public var indicator: String
            /// The rule in words ("process chart").
            public var rule: String
            /// Why.
            public var reason: Finding.Unjudged
        }

        /// The reasons present, in their order ("too little history yet; figures too small to judge").
        public var reasons: String {
            Finding.Unjudged.allCases.filter { reason in unjudged.contains { $0.reason == reason } }.map(\.words)
                .joined(separator: "; ")
        }

        /// "only 9 of 19 rules could judge the window's figures (the others: too little history
        /// yet)", or nil when every rule judged.
        public var words: String? {
            guard unjudgedRules > 0 else { return nil }
            let judged = watching - unjudgedRules
            guard judged > 0 else {
                // Not "only 0 of 2" (review helper-45).
                return "none of its \(watching) rule\(watching == 1 ? "" : "s") could judge the window's figures (\(reasons))"
            }
            return
                "only \(judged) of \(watching) rule\(watching == 1 ? "" : "s") could judge the window's figures (the others: \(reasons))"
        }

        /// Per reason, the rules it stopped: "too little history yet: Children looked after
        /// (process chart), …".
        public var byReason: [String] {
            Finding.Unjudged.allCases.compactMap { reason in
                let named = unjudged.filter { $0.reason == reason }.map { "\($0.indicator) (\($0.rule))" }
                return named.isEmpty ? nil : "\(reason.words): " + named.joined(separator: "; ")
            }
        }
    }

    /// A rule's kind in a chair's words.
    static func ruleWords(_ kind: RuleKind) -> String {
        switch kind {
        case .threshold: return "level"
        case .target: return "target"
        case .benchmark: return "benchmark"
        case .change: return "change on an earlier period"
        case .spike: return "unusual-value check"
        case .spc: return "process chart"
        case .cusum: return "sustained-change check"
        case .trend: return "run of rises or falls"
        case .band: return "expected range"
        case .quality, .overdue: return "check"
        }
    }

    /// The supplied indicators a derived one is computed from, through derived inputs, each
    /// once, in the order first met; empty for a supplied indicator. `latest`: the input is a
    /// rate's population, of which the derivation takes the latest figure by each period.
    static func suppliedInputs(of indicator: Indicator, _ catalogue: Catalogue) -> [(id: String, latest: Bool)] {
        var found: [(id: String, latest: Bool)] = []
        var seen: Set<String> = [indicator.id]
        var pending = inputs(of: indicator.derivation)
        while !pending.isEmpty {
            let (id, latest) = pending.removeFirst()
            guard seen.insert(id).inserted else { continue }
            if let derivation = catalogue.indicator(id)?.derivation {
                pending += inputs(of: derivation)
            } else {
                found.append((id, latest))
            }
        }
        return found
    }

    /// A derivation's inputs, each marked when it is a rate's population.
    private static func inputs(of derivation: Derivation?) -> [(String, Bool)] {
        guard let derivation else { return [] }
        if case .ratePer10k(let numerator, let population) = derivation { return [(numerator, false), (population, true)] }
        return derivation.inputs.map { ($0, false) }
    }

    /// The judgement of one priority's rules over the window (pure). A rule counts when it has a
    /// finding for a period ending in the window; it judged when, on any of its series, the latest
    /// such finding is not `unjudged` (what stands at the window's end, as a window of records
    /// takes each series' latest finding: review helper-44, a rule that judged April and was
    /// withheld since read as judging the year).
    static func judgement(priority: Int, _ input: DigestInput, _ evaluation: Evaluation) -> Judgement {
        var judgement = Judgement()
        var entries: [(order: Int, entry: Judgement.Entry)] = []
        for rule in input.rules where rule.priority == priority {
            switch rule.kind {
            case .quality, .overdue: continue  // checks on the data, not judgements of it
            default: break
            }
            guard let indicator = input.catalogue.indicator(rule.indicator) else { continue }
            guard concerns(indicator, input) else { continue }
            let latest = (evaluation.findings[rule.id] ?? [:]).values.compactMap { findings in
                findings.last { inWindow($0.period, input.window) }
            }
            let reason: Finding.Unjudged
            if latest.isEmpty {
                // A derived indicator with no figures while some of its inputs have them in the
                // window: the rest never came (review helper-44: a rule on a percentage whose
                // denominator was never sent was not counted, and its priority read green).
                // Some but not all (review helper-45: a year's sum before its year ended, with
                // every month in, read "not all the figures … received").
                // Followed down to the supplied figures (review helper-45: a share of a derived
                // count looked at the derived count, which has no stored figures).
                // A rate's population is the latest by then, so one sent before the window counts
                // (review helper-47: a rolling mean of a monthly rate read "not all the figures …
                // received" for a population sent the month before the window).
                let inputs = suppliedInputs(of: indicator, input.catalogue)
                let arrived = inputs.filter { hasFigures($0.id, input, orBefore: $0.latest) }
                guard !arrived.isEmpty && arrived.count < inputs.count else { continue }
                judgement.watching += 1
                reason = .inputs
            } else {
                judgement.watching += 1
                guard !latest.contains(where: { $0.unjudged == nil }) else { continue }
                // The latest reason across its series: what still stands at the window's end.
                reason =
                    latest.max { a, b in (a.period.end, a.unjudged!.rawValue) < (b.period.end, b.unjudged!.rawValue) }!
                    .unjudged!
            }
            judgement.unjudgedRules += 1
            let entry = Judgement.Entry(indicator: indicator.title, rule: ruleWords(rule.kind), reason: reason)
            if !entries.contains(where: { $0.entry == entry }) {
                let order = input.catalogue.indicators.firstIndex { $0.id == indicator.id } ?? Int.max
                entries.append((order, entry))
            }
        }
        judgement.unjudged = entries.sorted { a, b in
            (a.order, a.entry.rule, a.entry.reason.rawValue) < (b.order, b.entry.rule, b.entry.reason.rawValue)
        }.map(\.entry)
        return judgement
    }
}
