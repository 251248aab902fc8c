import Logging

/// The result of evaluating rules on a dataset at an evaluation date.
public struct Evaluation: Sendable {
    /// Every episode, firing or resolved, by rule then series.
    public var episodes: [Episode]
    /// Conditions met but not yet for long enough.
    public var pending: [PendingAlert]
    /// Every finding, by rule id and series (for charts and `rules test`).
    public var findings: [String: [SeriesKey: [Finding]]]
    /// The data evaluated, including derived series.
    public var dataset: Dataset
    /// The evaluation date.
    public var date: CivilDate
    /// Per rule and series, the earlier episodes left out past `Engine.episodeLimit` (only
    /// series that had more).
    public var omitted: [String: [SeriesKey: OmittedEpisodes]] = [:]
}

/// Vigil's rules engine: a pure function of (catalogue, rules, data, evaluation date).
///
/// No files, clocks or journals: the caller supplies the data and the date, and performs any
/// effects of the result (as Prometheus' rule groups are evaluated with an explicit time).
public struct Engine: Sendable {
    /// The catalogue.
    public let catalogue: Catalogue
    /// The rules.
    public let rules: [Rule]
    /// Indicators whose breakdowns add up to their total, by the dimensions a `breakdown_sum`
    /// rule checks: a period sent by category only has its total filled in from them
    /// (`Dataset.fillingTotals`).
    let summingDimensions: [String: [String]]
    private let logger: Logger

    /// Creates an engine.
    public init(catalogue: Catalogue, rules: [Rule], logger: Logger = Logger(label: "vigil.engine")) {
        self.catalogue = catalogue
        self.rules = rules
        self.logger = logger
        var sums: [String: [String]] = [:]
        for rule in rules {
            guard case .quality(let q) = rule.kind, q.check == .breakdownSum,
                let indicator = catalogue.indicator(rule.indicator)
            else { continue }
            for dimension in q.dimensions.isEmpty ? indicator.dimensions : q.dimensions
            where !(sums[rule.indicator]?.contains(dimension) ?? false) {
                sums[rule.indicator, default: []].append(dimension)
            }
        }
        summingDimensions = sums
    }

    /// Derives indicators and evaluates every rule at `date`; `progress` is called after each
    /// rule (a service pings its watchdog from there: a whole store's evaluation can outlast it).
    public func evaluate(_ supplied: Dataset, at date: CivilDate, progress: () -> Void = {}) -> Evaluation {
        evaluate(supplied, at: date, rules: rules, derive: nil, progress: progress)
    }

    /// The rules a change to these supplied indicators can affect: those on the indicators or on
    /// anything derived from them. Other rules' findings cannot change (each rule reads only its
    /// own indicator's series), so a file need not re-evaluate them.
    public func rules(affectedBy indicators: some Sequence<String>) -> [Rule] {
        let affected = catalogue.affected(by: indicators)
        return rules.filter { affected.contains($0.indicator) || countRead(by: $0).map(affected.contains) == true }
    }

    /// The count a rule reads beside its own indicator, when a `threshold`, `change` or `band` rule tests a
    /// percentage against chance (`binomial_p`) or an `spc` rule keeps its limits no narrower than
    /// chance (`chance_floor`): a supplied one's `of_count` (a derived one's denominator is among
    /// its inputs already).
    func countRead(by rule: Rule) -> String? {
        let tested: Bool
        switch rule.kind {
        case .threshold(let threshold): tested = threshold.binomialP != nil
        case .change(let change): tested = change.binomialP != nil
        case .band(let band): tested = band.binomialP != nil
        case .spc(let spc): tested = spc.chanceFloor
        default: tested = false
        }
        guard tested, let indicator = catalogue.indicator(rule.indicator) else { return nil }
        return RuleContext.count(of: indicator)
    }

    /// Every indicator these rules read: their own, the count a chance test reads (`countRead`),
    /// and for a derived one everything it is computed from (transitively). The data to load for
    /// `evaluate(_:at:only:)`.
    public func indicatorsRead(by subset: [Rule]) -> Set<String> {
        var read = Set(subset.map(\.indicator)).union(subset.compactMap(countRead))
        for indicator in catalogue.derivedInDependencyOrder.reversed() where read.contains(indicator.id) {
            read.formUnion(indicator.derivation?.inputs ?? [])
        }
        return read
    }

    /// Evaluates only `subset` of the rules, deriving only what they read: the cost of a file
    /// follows what it changed, not the size of the store. Pass the same subset to
    /// `AlertStateMachine.reconcile`, which then leaves every other rule's alerts as they are.
    public func evaluate(_ supplied: Dataset, at date: CivilDate, only subset: [Rule], progress: () -> Void = {}) -> Evaluation {
        evaluate(supplied, at: date, rules: subset, derive: Set(subset.map(\.indicator)), progress: progress)
    }

    private func evaluate(
        _ supplied: Dataset, at date: CivilDate, rules: [Rule], derive: Set<String>?, progress: () -> Void
    ) -> Evaluation {
        // Only the totals these rules read (vigild evaluates a file's rules on its copy of the
        // whole store: review helper-26).
        var sums = summingDimensions
        if derive != nil && !sums.isEmpty {
            let read = indicatorsRead(by: rules)
            sums = sums.filter { read.contains($0.key) }
        }
        let filled = sums.isEmpty ? supplied : supplied.fillingTotals(sums, catalogue: catalogue)
        let dataset = Deriver.derive(catalogue: catalogue, from: filled, only: derive)
        var evaluation = Evaluation(episodes: [], pending: [], findings: [:], dataset: dataset, date: date)
        for rule in rules {
            defer { progress() }
            guard let indicator = catalogue.indicator(rule.indicator) else { continue }
            let context = RuleContext(catalogue: catalogue, dataset: dataset, evaluationDate: date, indicator: indicator)
            for series in seriesKeys(rule, dataset, context) {
                let findings = RuleEvaluator.findings(
                    rule: rule, series: series, points: points(rule, series, dataset), context: context)
                evaluation.findings[rule.id, default: [:]][series] = findings
                if case .overdue = rule.kind {
                    // Each overdue period is its own episode; it resolves when the value arrives.
                    for f in findings where f.status == .breach {
                        evaluation.episodes.append(
                            Episode(
                                rule: rule.id, series: series, start: f.period, fired: f.period,
                                firingFinding: f, latest: f, peakSeverity: f.severity))
                    }
                    continue
                }
                let tracked = EpisodeTracker.track(rule: rule, series: series, findings: findings)
                let limited = Engine.limited(tracked.episodes)
                evaluation.episodes += limited.episodes
                if let omitted = limited.omitted { evaluation.omitted[rule.id, default: [:]][series] = omitted }
                if let pending = tracked.pending { evaluation.pending.append(pending) }
            }
        }
        logger.debug("evaluated", metadata: ["rules": "\(rules.count)", "episodes": "\(evaluation.episodes.count)"])
        return evaluation
    }

    private func seriesKeys(_ rule: Rule, _ dataset: Dataset, _ context: RuleContext) -> [SeriesKey] {
        if case .quality(let q) = rule.kind, q.check == .breakdownSum {
            return RuleEvaluator.breakdownSumSeries(q, rule, context)
        }
        let keys = dataset.keys(indicator: rule.indicator)
        if case .overdue = rule.kind, rule.selector == .total, !keys.isEmpty {
            // A return is late whether or not it has a total row (review helper-23: a return
            // sent only by category was never chased): its total series stands for it.
            return [SeriesKey(indicator: rule.indicator)]
        }
        return keys.filter { rule.selector.matches($0.breakdown) }
    }

    /// The points a rule judges on a series. An `overdue` rule on a return's total judges the
    /// periods the return was sent for, with or without a total row: any of its series counts.
    private func points(_ rule: Rule, _ series: SeriesKey, _ dataset: Dataset) -> [SeriesPoint] {
        let points = dataset.points(series)
        // Every other rule (the hot path) returns here, before any lookup of the indicator's keys.
        guard case .overdue = rule.kind, series.breakdown.isTotal else { return points }
        return dataset.returnPoints(indicator: rule.indicator)
    }
}
