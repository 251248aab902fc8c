/// What the rules watch: per board priority and per indicator, the rules that watch it, and what
/// no rule watches. A priority with no rule is "not monitored": a digest must not show it as
/// all clear.
///
/// An indicator's values are watched by a rule on it other than `overdue` (lateness is not a
/// value), or by such a rule on an indicator Vigil derives from it (a rule on a rate watches its
/// numerator and denominator). An indicator a rule pack deliberately leaves alone is listed under
/// `not_watched` with its reason, and reported apart from the unwatched.
public struct Coverage: Sendable {
    /// One indicator and the rules on it.
    public struct Watched: Sendable {
        /// The indicator.
        public var indicator: Indicator
        /// Rules whose indicator it is, in id order.
        public var rules: [Rule]
        /// Value rules on indicators derived from it (directly or in turn), in id order.
        public var through: [Rule] = []
        /// Why a rule pack leaves it unwatched, when it says so.
        public var reason: String?
        /// Whether some rule other than `overdue` watches its values, directly or through a
        /// derived indicator.
        public var isWatched: Bool { rules.contains { $0.kind.name != "overdue" } || !through.isEmpty }
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
    /// Indicators a partner supplies, or Vigil derives, whose values no rule watches and no pack
    /// excuses, in catalogue order.
    public let unwatched: [Indicator]
    /// Indicators a rule pack leaves unwatched on purpose, with the reason, in catalogue order.
    public let excused: [(indicator: Indicator, reason: String)]

    /// Works out the coverage of `rules` over `catalogue`; `notWatched` maps indicator ids a rule
    /// pack leaves alone on purpose to the reason.
    public init(catalogue: Catalogue, rules: [Rule], notWatched: [String: String] = [:]) {
        let byIndicator = Dictionary(grouping: rules, by: \.indicator).mapValues { $0.sorted { $0.id < $1.id } }
        var derivedFrom: [String: [String]] = [:]
        for indicator in catalogue.indicators {
            for input in indicator.derivation?.inputs ?? [] { derivedFrom[input, default: []].append(indicator.id) }
        }
        func through(_ id: String) -> [Rule] {
            var seen: Set<String> = []
            var queue = derivedFrom[id] ?? []
            var found: [Rule] = []
            while let next = queue.popLast() {
                guard seen.insert(next).inserted else { continue }
                found += (byIndicator[next] ?? []).filter { $0.kind.name != "overdue" }
                queue += derivedFrom[next] ?? []
            }
            return found.sorted { $0.id < $1.id }
        }
        let watched = Dictionary(
            uniqueKeysWithValues: catalogue.indicators.map {
                (
                    $0.id,
                    Watched(indicator: $0, rules: byIndicator[$0.id] ?? [], through: through($0.id), reason: notWatched[$0.id])
                )
            })
        priorities = catalogue.priorities.map { priority in
            PriorityCoverage(
                priority: priority, rules: rules.filter { $0.priority == priority.id }.sorted { $0.id < $1.id },
                indicators: catalogue.indicators.filter { $0.priorities.contains(priority.id) }.map { watched[$0.id]! })
        }
        let candidates = catalogue.indicators.filter {
            !watched[$0.id]!.isWatched && (!$0.partners.isEmpty || $0.derivation != nil)
        }
        unwatched = candidates.filter { notWatched[$0.id] == nil }
        excused = candidates.compactMap { indicator in notWatched[indicator.id].map { (indicator, $0) } }
    }
}
