import Foundation
import VigilConfiguration
import VigilCore

extension AlertQualityCommand {
    /// The trade-off curve for sustained change: each shipped `cusum` rule re-run with other
    /// decision intervals `h`, together with the other rules on its series (the pack a chair
    /// reads), to show what a lower interval buys in shifts and climbs caught and costs in false
    /// alarms at each mean (the shipped value is marked). Each variant of a rule is run on the
    /// same series (common random numbers). A value may also give the reference
    /// value `k` with it, as `k:h`.
    func sweepCUSUM(_ loaded: LoadedConfiguration, _ values: [(k: Double?, h: Double)], counts: inout SyntheticCounts) {
        let catalogue = loaded.catalogue
        let periods = Self.periods(.month, years: years)
        let t = periods.count - 10
        let sustained = Self.events.indices.filter {
            Self.events[$0].name.hasPrefix("shift") || Self.events[$0].name.hasPrefix("climb")
        }
        print(
            "\npack with rule | h | noise | mean | false alarms / series-year (pack) | "
                + sustained.map { Self.events[$0].name }.joined(separator: " | "))
        print("--- | --- | --- | --- | --- | " + sustained.map { _ in "---" }.joined(separator: " | "))
        for rule in loaded.rules {
            guard case .cusum(let shipped) = rule.kind, let input = simulatedInput(rule, catalogue) else { continue }
            let others = loaded.rules.filter { $0.id != rule.id && simulatedInput($0, catalogue)?.id == input.id }
            let lows = input.seasonality?.expectedLowMonths ?? []
            // Every variant of a rule sees the same series (common random numbers), so that
            // differences between variants are theirs and not the streams'.
            let stream = counts
            for (k, h) in values {
                counts = stream
                var variant = rule
                var params = shipped
                params.h = h
                params.k = k ?? shipped.k
                variant.kind = .cusum(params)
                let rules = others + [variant]
                let engine = Engine(catalogue: catalogue, rules: rules)
                for noiseModel in noiseList {
                    for mean in meanList {
                        let base = periods.map { lows.contains($0.start.month) ? mean * 0.8 : mean }
                        var tally = Tally(rules: rules.map(\.id), events: Self.events.count)
                        for _ in 0..<series {
                            tally.countAlarms(
                                statusesByRule(engine, rules, input.id, periods, base.map { counts.draw($0, noiseModel) }))
                            for e in sustained {
                                var means = base
                                Self.events[e].apply(&means, t)
                                let statuses = statusesByRule(
                                    engine, rules, input.id, periods, means.map { counts.draw($0, noiseModel) })
                                tally.countDetection(e, statuses, Self.events[e].window(t))
                            }
                        }
                        let rate = Double(tally.alarms.values.reduce(0, +)) / (Double(series) * Double(years - 1))
                        let mark = h == shipped.h && params.k == shipped.k ? " (shipped)" : ""
                        print(
                            "\(rule.id) | \(k.map { "k \($0), " } ?? "")\(h)\(mark) | \(noiseModel.rawValue) | \(Int(mean)) | "
                                + String(format: "%.3f", rate) + " | "
                                + sustained.map { tally.cell(Tally.pack, $0, series) }.joined(separator: " | "))
                    }
                }
            }
        }
    }
}

extension AlertQualityCommand {
    /// The variants `--sweep-h` names: `h` or `k:h`, comma-separated (malformed entries skipped).
    static func cusumVariants(_ text: String) -> [(k: Double?, h: Double)] {
        text.split(separator: ",").compactMap { entry in
            let parts = entry.split(separator: ":", omittingEmptySubsequences: false).map {
                Double($0.trimmingCharacters(in: .whitespaces))
            }
            switch parts.count {
            case 1: return parts[0].map { (nil, $0) }
            case 2: return parts[0].flatMap { k in parts[1].map { (k, $0) } }
            default: return nil
            }
        }
    }
}
