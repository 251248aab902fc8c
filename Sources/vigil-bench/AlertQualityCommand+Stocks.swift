import Foundation
import VigilConfiguration
import VigilCore

extension AlertQualityCommand {
    /// Stocks: every shipped rule on the total of a count a partner supplies as a snapshot
    /// (children on plans, looked after), on quarterly snapshots of an immigration–death process:
    /// each quarter every child leaves with the indicator's turnover probability and new children
    /// arrive (Poisson, or over-dispersed for sibling groups), so the stock's mean is arrivals ÷
    /// turnover and consecutive quarters share most of their children. Planted events a year
    /// before the end: arrivals up by half, or by a quarter, for good (the stock climbs towards its
    /// new level). Reported per rule and per pack: false alarms per series-year after the first
    /// three years, and the share of rises caught within four quarters, with the median delay.
    /// - Returns: the rules over `budget` false alarms per series-year.
    func stocks(_ loaded: LoadedConfiguration, counts: inout SyntheticCounts, budget: Double?) -> [String] {
        var over: [String] = []
        let catalogue = loaded.catalogue
        let periods = Self.periods(.snapshot, years: stockYears)
        let t = periods.count - 4
        let from = 12
        let byInput = Self.grouped(loaded.rules) { rule -> Indicator? in
            guard let indicator = catalogue.indicator(rule.indicator), rule.selector == .total, indicator.derivation == nil,
                indicator.unit == .count, indicator.periodicity == .snapshot, !indicator.partners.isEmpty
            else { return nil }
            switch rule.kind {
            case .overdue, .quality, .threshold, .target, .benchmark, .band: return nil
            default: return indicator
            }
        }
        let rises: [(name: String, factor: Double)] = [("arrivals +50% (≤ 4)", 1.5), ("arrivals +25% (≤ 4)", 1.25)]
        print(
            "\nrule | turnover / quarter | arrivals | stock mean | false alarms / series-year (info) | "
                + rises.map(\.name).joined(separator: " | "))
        print("--- | --- | --- | --- | --- | " + rises.map { _ in "---" }.joined(separator: " | "))
        for (indicator, rules) in byInput {
            let engine = Engine(catalogue: catalogue, rules: rules)
            for turnover in [0.12, 0.3] {
                for noiseModel in noiseList {
                    for mean in [100.0, 300.0] {
                        var tally = Tally(rules: rules.map(\.id), events: rises.count)
                        func stock(_ factor: Double) -> [Double] {
                            var s = counts.draw(mean, .poisson)
                            return periods.indices.map { i in
                                let arrivals = mean * turnover * (i >= t ? factor : 1)
                                s = counts.binomial(Int(s), 1 - turnover) + counts.draw(arrivals, noiseModel)
                                return s
                            }
                        }
                        for _ in 0..<series {
                            tally.countAlarms(statusesByRule(engine, rules, indicator.id, periods, stock(1)), from: from)
                            for (e, rise) in rises.enumerated() {
                                tally.countDetection(
                                    e, statusesByRule(engine, rules, indicator.id, periods, stock(rise.factor)), t...(t + 3))
                            }
                        }
                        let seriesYears = Double(series) * Double(periods.count - from) / 4
                        let noiseName = noiseModel == .poisson ? "Poisson" : "sibling groups (φ 2)"
                        for rule in rules {
                            let rate = Double(tally.alarms[rule.id, default: 0]) / seriesYears
                            let info = Double(tally.notices[rule.id, default: 0]) / seriesYears
                            if let budget, rate > budget + 1e-12 {
                                over.append("\(rule.id) (turnover \(turnover), \(noiseModel.rawValue), mean \(Int(mean)))")
                            }
                            let shown = String(format: "%.3f", rate) + (info > 0 ? String(format: " (+%.3f)", info) : "")
                            let cells = rises.indices.map { watches(rule, catalogue, 1) ? tally.cell(rule.id, $0, series) : "–" }
                            print(
                                "\(rule.id) | \(Int(turnover * 100))% | \(noiseName) | \(Int(mean)) | \(shown) | "
                                    + cells.joined(separator: " | "))
                        }
                        if rules.count > 1 {
                            let rate = Double(tally.alarms.values.reduce(0, +)) / seriesYears
                            let cells = rises.indices.map { tally.cell(Tally.pack, $0, series) }
                            print(
                                "**pack on \(indicator.id)** | \(Int(turnover * 100))% | \(noiseName) | \(Int(mean)) | "
                                    + String(format: "%.3f", rate)
                                    + String(format: ", %.3f episodes", Double(tally.episodes) / seriesYears)
                                    + " | " + cells.joined(separator: " | "))
                        }
                    }
                }
            }
        }
        return over
    }
}
