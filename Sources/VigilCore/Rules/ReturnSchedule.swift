/// The board's return schedule: for every indicator a partner supplies, when each period's figures
/// are due, from the catalogue (a partner's `returns` per periodicity, an indicator's `due_days`).
///
/// It replaces an `overdue` rule per indicator: `overdueRules` makes one for every scheduled feed
/// that no rule file already watches for lateness, so a new indicator is chased as soon as it is
/// declared.
public struct ReturnSchedule: Sendable {
    /// One supplied indicator and when its figures are due.
    public struct Entry: Sendable {
        /// The indicator.
        public var indicator: Indicator
        /// The partners that may send it, in catalogue order.
        public var partners: [Partner]
        /// Days after a period ends by which it is due; nil when not scheduled (snapshots, or no
        /// partner declares a return for its periodicity).
        public var dueDays: Int?

        /// The date a period's figures are due.
        public func due(_ period: Period) -> CivilDate? { dueDays.map { period.end.adding(days: $0) } }
    }

    /// Every indicator a partner supplies, in catalogue order.
    public let entries: [Entry]

    /// Reads the schedule from the catalogue. An indicator's `due_days` wins; otherwise the
    /// earliest of its partners' returns for its periodicity.
    public init(catalogue: Catalogue) {
        entries = catalogue.indicators.filter { !$0.partners.isEmpty && $0.derivation == nil }.map { indicator in
            let partners = indicator.partners.compactMap { catalogue.partner($0) }
            let days =
                indicator.periodicity == .snapshot
                ? nil : indicator.dueDays ?? partners.compactMap { $0.returns[indicator.periodicity] }.min()
            return Entry(indicator: indicator, partners: partners, dueDays: days)
        }
    }

    /// The entries a partner may send.
    public func entries(for partner: String) -> [Entry] {
        entries.filter { entry in entry.partners.contains { $0.id == partner } }
    }

    /// An `overdue` rule (severity info) for every scheduled indicator that `rules` do not already
    /// watch for lateness on its total. Ids are `due-` and the indicator id with `.` and `_` as
    /// `-` (`due-missing-incidents-in-care`).
    public func overdueRules(excluding rules: [Rule], catalogue: Catalogue) -> [Rule] {
        let watched = Set(rules.filter { $0.kind.name == "overdue" && $0.selector == .total }.map(\.indicator))
        let ids = Set(rules.map(\.id))
        return entries.compactMap { entry in
            guard let days = entry.dueDays, !watched.contains(entry.indicator.id) else { return nil }
            // (Mapped character by character: Foundation's replacingOccurrences cost 5% of every
            // process start, once per scheduled indicator.)
            let id = "due-" + String(entry.indicator.id.map { $0 == "." || $0 == "_" ? "-" : $0 })
            guard !ids.contains(id),
                let priority = entry.indicator.priorities.first ?? catalogue.priorities.first?.id
            else { return nil }
            let who = entry.partners.map(\.name).joined(separator: " or ")
            return Rule(
                id: id, kind: .overdue(.init(days: days)), indicator: entry.indicator.id, severity: .info, priority: priority,
                action:
                    "Remind \(who) to send {{title}} for {{period}}: the return schedule has it due \(days) days after each period ends."
            )
        }
    }
}
