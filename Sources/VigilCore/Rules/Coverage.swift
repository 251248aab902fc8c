/// What the rules watch: per board priority and per indicator, the rules that watch it, and what
/// no rule watches. A priority with no rule is "not monitored": a digest must not show it as
/// all clear.
public struct Coverage: Sendable {
    /// One indicator and the rules on it.
    public struct Watched: Sendable {
        /// The indicator.
        public var indicator: Indicator
        /// Rules whose indicator it is, in id order.
        public var rules: [Rule]
    }

    /// One priority: its rules and the indicators that serve it.
    public struct PriorityCoverage: Sendable {
        /// The priority.
        public var priority: Priority
        /// Rules filed under this priority.
        public var rules: [Rule]
        /// Indicators that list this priority, each with the rules on it.
        public var indicators: [Watched]
        /// Whether any rule watches the priority.
        public var isMonitored: Bool { !rules.isEmpty }
    }

    /// Every priority in board order.
    public let priorities: [PriorityCoverage]
    /// Indicators a partner supplies, or Vigil derives, that no rule watches, in catalogue order.
    public let unwatched: [Indicator]

    /// Works out the coverage of `rules` over `catalogue`.
    public init(catalogue: Catalogue, rules: [Rule]) {
        let byIndicator = Dictionary(grouping: rules, by: \.indicator).mapValues { $0.sorted { $0.id < $1.id } }
        priorities = catalogue.priorities.map { priority in
            PriorityCoverage(
                priority: priority, rules: rules.filter { $0.priority == priority.id }.sorted { $0.id < $1.id },
                indicators: catalogue.indicators.filter { $0.priorities.contains(priority.id) }.map {
                    Watched(indicator: $0, rules: byIndicator[$0.id] ?? [])
                })
        }
        unwatched = catalogue.indicators.filter { byIndicator[$0.id] == nil && (!$0.partners.isEmpty || $0.derivation != nil) }
    }

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
                let watched =
                    w.rules.isEmpty ? "not watched" : w.rules.map { "\($0.id) (\($0.kind.name))" }.joined(separator: ", ")
                lines.append("  \(w.indicator.id) [\(who)]: \(watched)")
            }
        }
        let monitored = priorities.filter(\.isMonitored).count
        lines.append(
            "\(monitored) of \(priorities.count) priorities monitored; \(unwatched.count) supplied or derived indicator(s) not watched"
                + (unwatched.isEmpty ? "" : ": " + unwatched.map(\.id).joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }
}
