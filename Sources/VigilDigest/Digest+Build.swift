import VigilCore
import VigilStore

extension Digest {
    /// Builds a digest from its input (pure).
    public static func build(_ input: DigestInput) -> Digest {
        let rules = Dictionary(input.rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let evaluation = Engine(catalogue: input.catalogue, rules: input.rules).evaluate(input.dataset, at: input.date)
        let control = DisclosureControl(enabled: input.suppressSmall, dataset: evaluation.dataset, catalogue: input.catalogue)
        var sections: [Section] = []
        let episodes = input.episodes.chosen
        for priority in input.catalogue.priorities where input.priorities.isEmpty || input.priorities.contains(priority.id) {
            var items: [Item] = []
            var chosen: [(record: AlertRecord, status: Status, indicator: Indicator, earlier: Int)] = []
            for entry in episodes where entry.summary.priority == priority.id {
                guard let record = input.records[entry.summary.key], let indicator = input.catalogue.indicator(record.indicator)
                else { continue }
                if !concerns(indicator, input) {
                    continue
                }
                chosen.append((record, entry.status, indicator, entry.earlier))
            }
            for (record, status, indicator, earlier) in chosen {
                let acks = input.acknowledgements.filter { $0.alertKey == record.key?.description }
                let findings = record.key.flatMap { evaluation.findings[$0.rule]?[$0.series] } ?? []
                let evidence = evidence(record, status: status, window: input.window, findings: findings)
                let ack = acks.last
                let worsened =
                    ack.map { ack in
                        (ack.severity.map { evidence.severity > $0 } ?? false)
                            || worse(evidence.value, than: ack.value, polarity: indicator.polarity)
                    } ?? false
                let chart = ChartData.make(
                    record: record, evidence: evidence, indicator: indicator, rule: rules[record.rule],
                    dataset: evaluation.dataset, findings: findings, control: control)
                items.append(
                    Item(
                        status: status, record: record, evidence: evidence,
                        closing: record.state == .firing ? nil : record.lastEvent, acknowledgement: ack,
                        worsenedSinceAcknowledged: worsened,
                        chart: chart,
                        breakdown: BreakdownTable.make(
                            record: record, indicator: indicator, catalogue: input.catalogue,
                            dataset: evaluation.dataset, period: evidence.period, control: control),
                        earlierEpisodes: earlier,
                        // In the catalogue's order, as "Data from partners" (review helper-56: by
                        // id, a rate's population supplier came first).
                        suppliedBy: Self.suppliers(of: indicator, input.catalogue),
                        expectedRange: rules[record.rule].flatMap { rule in
                            if case .band(let band) = rule.kind { return (band.low, band.high) }
                            return nil
                        }))
            }
            // Severity before status: a critical alert leads whatever its status.
            items.sort { a, b in
                let order = Status.allCases
                return (-severityRank(a.evidence.severity), order.firstIndex(of: a.status)!, a.record.start, a.record.rule)
                    < (-severityRank(b.evidence.severity), order.firstIndex(of: b.status)!, b.record.start, b.record.rule)
            }
            sections.append(
                Section(
                    priority: priority, items: items,
                    // As `vigil rules coverage` judges it: a priority with no rule is not monitored.
                    isMonitored: input.rules.contains { $0.priority == priority.id },
                    judgement: judgement(priority: priority.id, input, evaluation)))
        }
        var overdue: [String: Int] = [:]
        for record in input.episodes.firing where record.firingKind == "overdue" {
            guard let indicator = input.catalogue.indicator(record.indicator) else { continue }
            for partner in partners(of: indicator, input.catalogue)
            where input.partners.isEmpty || input.partners.contains(partner) {
                overdue[partner, default: 0] += 1
            }
        }
        var rejected: [String: [FileRecord]] = [:]
        for file in input.files where file.outcome == .rejected {
            let partner = file.partner ?? "unknown"
            guard input.partners.isEmpty || input.partners.contains(partner) else { continue }
            if case .recorded(let since) = input.window, let since, file.receivedAt < since.generatedAt { continue }
            rejected[partner, default: []].append(file)
        }
        var filters: [String] = []
        if !input.priorities.isEmpty { filters.append("priorities " + input.priorities.map(String.init).joined(separator: ", ")) }
        if !input.partners.isEmpty { filters.append("partners " + input.partners.joined(separator: ", ")) }
        if input.suppressSmall { filters.append("counts of 1 to 5 suppressed (c)") }
        // Partners by name, in the catalogue's order.
        let name = { (id: String) in input.catalogue.partner(id)?.name ?? id }
        let rank = { (id: String) in input.catalogue.partners.firstIndex { $0.id == id } ?? input.catalogue.partners.count }
        return Digest(
            title: input.title, window: input.window, generatedAt: input.generatedAt, judgedAt: input.date, sections: sections,
            overdueByPartner: overdue.sorted { (rank($0.key), $0.key) < (rank($1.key), $1.key) }.map { (name($0.key), $0.value) },
            rejectedByPartner: rejected.sorted { (rank($0.key), $0.key) < (rank($1.key), $1.key) }.map {
                Digest.rejected($0.value, name: name)
            },
            cover: cover(sections, input, control: control),
            suppressSmall: input.suppressSmall, filters: filters.joined(separator: "; "), control: control)
    }

    /// Where an alert sits for a window, or nil when the window does not concern it.
    static func status(of record: AlertRecordSummary, window: DigestWindow) -> Status? {
        let closing =
            record.state == .firing ? nil : (kind: record.lastEvent, period: record.lastPeriod, at: record.lastEventSeq)
        switch window {
        case .dataPeriods(let from, let to):
            func inside(_ period: String) -> Bool {
                guard let p = Period(parsing: period) else { return false }
                return p.end >= from && p.end <= to
            }
            func before(_ period: String) -> Bool { Period(parsing: period).map { $0.end < from } ?? false }
            if let closing, closing.kind == .retracted {
                return inside(closing.period) || inside(record.firingPeriod) ? .retracted : nil
            }
            // Closed in the window: resolved, even when it also fired in it (never "New").
            if let closing, inside(closing.period) { return .resolved }
            if inside(record.firingPeriod) { return .new }
            if before(record.firingPeriod), closing.map({ !before($0.period) }) ?? true { return .persisting }
            return nil
        case .recorded(let since):
            func after(_ seq: Int64?) -> Bool {
                guard let since else { return true }
                return (seq ?? 0) > since.eventSeq
            }
            if let closing, closing.kind == .retracted { return after(closing.at) ? .retracted : nil }
            if let closing { return after(closing.at) ? .resolved : nil }
            if after(record.firingEventSeq) { return .new }
            return .persisting
        }
    }

    /// Whether a paper for the input's partners (all of them when none is named) concerns an
    /// indicator: one of them supplies it, or supplies what it is derived from.
    static func concerns(_ indicator: Indicator, _ input: DigestInput) -> Bool {
        input.partners.isEmpty || !Set(partners(of: indicator, input.catalogue)).isDisjoint(with: input.partners)
    }

    /// The partners that supply an indicator (a derived one: those of the supplied indicators it
    /// is computed from, by the one walk of its inputs that `suppliedInputs` makes).
    /// The names of the partners whose returns an indicator's figures are, in the catalogue's
    /// order, as "Data from partners" (review helper-56: by id, a rate's population supplier
    /// came first).
    static func suppliers(of indicator: Indicator, _ catalogue: Catalogue) -> [String] {
        let ids = Set(partners(of: indicator, catalogue))
        return catalogue.partners.filter { ids.contains($0.id) }.map(\.name)
    }

    static func partners(of indicator: Indicator, _ catalogue: Catalogue) -> [String] {
        guard indicator.derivation != nil else { return indicator.partners }
        return Array(Set(suppliedInputs(of: indicator, catalogue).flatMap { catalogue.indicator($0.id)?.partners ?? [] }))
            .sorted()
    }

    static func worse(_ now: Double?, than then: Double?, polarity: Polarity) -> Bool {
        guard let now, let then else { return false }
        switch polarity {
        case .higherIsWorse: return now > then
        case .lowerIsWorse: return now < then
        case .neutral: return abs(now - then) > 0
        }
    }

    static func severityRank(_ s: Severity) -> Int { s == .critical ? 2 : s == .warning ? 1 : 0 }
}
