import Foundation
import VigilConfiguration
import VigilCore

extension AlertQualityCommand {
    /// The trade-off curve: each shipped `spike` rule on a monthly count re-run with other
    /// `poisson_p` values, alone on its series, to show what a looser or stricter threshold buys in
    /// detection and costs in false alarms at each mean (the shipped value is marked).
    func sweep(_ loaded: LoadedConfiguration, _ values: [Double], counts: inout SyntheticCounts) {
        let catalogue = loaded.catalogue
        let periods = Self.periods(.month, years: years)
        let t = periods.count - 10
        print("\nrule | poisson_p | noise | mean | false alarms / series-year | spike ×2 | collapse to 40%")
        print("--- | --- | --- | --- | --- | --- | ---")
        for rule in loaded.rules {
            guard case .spike(let shipped) = rule.kind, let input = simulatedInput(rule, catalogue) else { continue }
            let lows = input.seasonality?.expectedLowMonths ?? []
            for p in values {
                var variant = rule
                var params = shipped
                params.poissonP = p
                variant.kind = .spike(params)
                let engine = Engine(catalogue: catalogue, rules: [variant])
                for noiseModel in SyntheticCounts.Noise.allCases {
                    for mean in meanList {
                        let base = periods.map { lows.contains($0.start.month) ? mean * 0.8 : mean }
                        var tally = Tally(rules: [rule.id], events: 2)
                        for _ in 0..<series {
                            tally.countAlarms(
                                statusesByRule(engine, [variant], input.id, periods, base.map { counts.draw($0, noiseModel) }))
                            for (e, factor) in [2.0, 0.4].enumerated() {
                                var means = base
                                means[t] *= factor
                                let statuses = statusesByRule(
                                    engine, [variant], input.id, periods, means.map { counts.draw($0, noiseModel) })
                                tally.countDetection(e, statuses, t...t)
                            }
                        }
                        let rate = Double(tally.alarms[rule.id, default: 0]) / (Double(series) * Double(years - 1))
                        let watchesUp = watches(rule, catalogue, 1)
                        let mark = p == shipped.poissonP ? " (shipped)" : ""
                        print(
                            "\(rule.id) | \(p)\(mark) | \(noiseModel.rawValue) | \(Int(mean)) | \(String(format: "%.3f", rate)) | "
                                + (watchesUp ? tally.cell(rule.id, 0, series) : "–") + " | "
                                + (watches(rule, catalogue, -1) ? tally.cell(rule.id, 1, series) : "–"))
                    }
                }
            }
        }
    }
}
