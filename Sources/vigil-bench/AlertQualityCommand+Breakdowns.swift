import Foundation
import VigilConfiguration
import VigilCore

extension AlertQualityCommand {
    /// Breakdown faults: every shipped `quality` rule that checks a breakdown (`collapse`,
    /// `breakdown_sum`) on a supplied indicator, on synthetic series of the indicator's own
    /// periodicity (snapshots quarterly) with its first declared breakdown: each category a
    /// Poisson count around a share of the total (shares falling by 0.7 from the largest), the
    /// total their sum. Planted faults, one period, a year before the end: the largest category
    /// falls to 10% of its mean, or the total is 5% above what its parts add up to.
    /// - Returns: the rules and means over `budget` false alarms per series-year.
    func breakdownFaults(_ loaded: LoadedConfiguration, counts: inout SyntheticCounts, budget: Double?) -> [String] {
        var over: [String] = []
        let catalogue = loaded.catalogue
        print("\nrule | check | total mean | false alarms / series-year | category to 10% | parts 5% short")
        print("--- | --- | --- | --- | --- | ---")
        for rule in loaded.rules {
            guard case .quality(let q) = rule.kind, q.check == .collapse || q.check == .breakdownSum,
                let indicator = catalogue.indicator(rule.indicator), !indicator.partners.isEmpty,
                let dimension = (rule.selector.constraints.keys.first.map { [$0] } ?? indicator.dimensions).first(where: {
                    !(catalogue.dimensions[$0]?.values.isEmpty ?? true)
                }),
                let values = catalogue.dimensions[dimension]?.values
            else { continue }
            let periods = Self.periods(indicator.periodicity, years: years)
            let perYear = Double(periods.count) / Double(years)
            let weights = values.indices.map { pow(0.7, Double($0)) }
            let shares = weights.map { $0 / weights.reduce(0, +) }
            let engine = Engine(catalogue: catalogue, rules: [rule])
            let t = periods.count - Int(perYear)
            for total in [100.0, 400.0] {
                var alarms = 0
                var collapseCaught = 0
                var shortCaught = 0
                for _ in 0..<series {
                    func draw() -> [[Double]] { periods.map { _ in shares.map { counts.draw(total * $0, .poisson) } } }
                    let clean = draw()
                    alarms += onsets(engine, rule, indicator, dimension, values, periods, clean, totals: nil, from: Int(perYear))
                    var collapsed = draw()
                    collapsed[t][0] = counts.draw(total * shares[0] * 0.1, .poisson)
                    if breached(engine, rule, indicator, dimension, values, periods, collapsed, totals: nil, at: t) {
                        collapseCaught += 1
                    }
                    let parts = draw()
                    var totals = parts.map { $0.reduce(0, +) }
                    totals[t] = (totals[t] / 0.95).rounded()
                    if breached(engine, rule, indicator, dimension, values, periods, parts, totals: totals, at: t) {
                        shortCaught += 1
                    }
                }
                let rate = Double(alarms) / (Double(series) * Double(years - 1))
                if let budget, rate > budget + 1e-12 { over.append("\(rule.id) (total \(Int(total)))") }
                let pct = { (n: Int) in String(format: "%.0f%%", 100 * Double(n) / Double(series)) }
                let collapseCell = q.check == .collapse ? pct(collapseCaught) : "–"
                let shortCell = q.check == .breakdownSum ? pct(shortCaught) : "–"
                print(
                    "\(rule.id) | \(q.check.rawValue) | \(Int(total)) | \(String(format: "%.3f", rate)) | \(collapseCell) | \(shortCell)"
                )
            }
        }
        return over
    }

    /// `years` of periods of a periodicity from April 2012 (snapshots at quarter ends).
    static func periods(_ periodicity: Periodicity, years: Int) -> [Period] {
        var list: [Period] = []
        var date = CivilDate(year: 2012, month: 4, day: 1)!
        let end = CivilDate(year: 2012 + years, month: 4, day: 1)!
        while date < end {
            let p =
                periodicity == .snapshot
                ? Period.snapshot(Period.containing(date, .quarter).end) : Period.containing(date, periodicity)
            list.append(p)
            date = (periodicity == .snapshot ? Period.containing(date, .quarter) : p).end.adding(days: 1)
        }
        return list
    }

    private func findings(
        _ engine: Engine, _ rule: Rule, _ indicator: Indicator, _ dimension: String, _ values: [String], _ periods: [Period],
        _ parts: [[Double]], totals: [Double]?
    ) -> [SeriesKey: [Finding]] {
        var observations: [Observation] = []
        for (i, period) in periods.enumerated() {
            let total = totals?[i] ?? parts[i].reduce(0, +)
            observations.append(
                Observation(series: SeriesKey(indicator: indicator.id), period: period, value: .number(total), sources: ["sim"]))
            for (c, value) in values.enumerated() {
                observations.append(
                    Observation(
                        series: SeriesKey(indicator: indicator.id, breakdown: Breakdown([dimension: value])), period: period,
                        value: .number(parts[i][c]), sources: ["sim"]))
            }
        }
        return engine.evaluate(Dataset(observations), at: periods.last!.end.adding(days: 1)).findings[rule.id] ?? [:]
    }

    private func onsets(
        _ engine: Engine, _ rule: Rule, _ indicator: Indicator, _ dimension: String, _ values: [String], _ periods: [Period],
        _ parts: [[Double]], totals: [Double]?, from first: Int
    ) -> Int {
        let all = findings(engine, rule, indicator, dimension, values, periods, parts, totals: totals)
        return all.values.reduce(0) { sum, list in
            let byPeriod = Dictionary(list.map { ($0.period, $0.status) }, uniquingKeysWith: { a, _ in a })
            let statuses = periods.map { byPeriod[$0] ?? .hold }
            return sum + statuses.indices.filter { i in i >= first && statuses[i] == .breach && statuses[i - 1] != .breach }.count
        }
    }

    private func breached(
        _ engine: Engine, _ rule: Rule, _ indicator: Indicator, _ dimension: String, _ values: [String], _ periods: [Period],
        _ parts: [[Double]], totals: [Double]?, at t: Int
    ) -> Bool {
        findings(engine, rule, indicator, dimension, values, periods, parts, totals: totals).values.contains { list in
            list.contains { $0.period == periods[t] && $0.status == .breach }
        }
    }
}
