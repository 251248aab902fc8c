import ArgumentParser
import Foundation
import VigilConfiguration
import VigilCore

/// `vigil-bench engine`: the rules engine alone, on the history `Benchmarks/latency.py --shape
/// monthly` builds up (a typical month of children's services data, month after month).
///
/// It parses the months with the real parser, then times what `vigild` does for the last month's
/// file: evaluate the rules that file's indicators affect over every period stored. In-process
/// CPU time, so the engine's share of a file's latency can be compared between builds without
/// the journal, the disk or the machine's other load in the figure.
struct EngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "engine", abstract: "Time the rules a monthly file affects, evaluated over its stored history.")

    @Option(help: "The Vigil configuration.") var config: String = "config/vigil.yaml"
    @Option(help: "Months of history (the latency benchmark's drops).") var months: Int = 200
    @Option(help: "Evaluations to time.") var repeats: Int = 50

    func run() throws {
        let loaded = try ConfigurationLoader.load(path: config)
        let catalogue = loaded.catalogue
        var observations: [Observation] = []
        var indicators: Set<String> = []
        for month in 0..<months {
            let text = Self.monthlyFile(month, catalogue: catalogue)
            let feed = loaded.parser.parse(
                bytes: Array(text.utf8), file: "month-\(month).csv", partner: "childrens-services")
            guard feed.isAccepted else {
                throw ValidationError("month \(month) was rejected: \(feed.errors.map(\.description))")
            }
            observations += feed.observations
            indicators = Set(feed.observations.map(\.series.indicator))
        }
        let data = Dataset(observations)
        let engine = Engine(catalogue: catalogue, rules: loaded.rules)
        let rules = engine.rules(affectedBy: indicators)
        let date = CivilDate(year: 2000 + months / 12, month: months % 12 + 1, day: 15)!
        var times: [Double] = []
        var episodes = 0
        for _ in 0..<repeats {
            let began = DispatchTime.now().uptimeNanoseconds
            let evaluation = engine.evaluate(data, at: date, only: rules)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - began) / 1e6)
            episodes = evaluation.episodes.count
        }
        times.sort()
        let line: [String: Any] = [
            "months": months, "observations": observations.count, "rules": rules.count, "episodes": episodes,
            "min_ms": (times[0] * 1000).rounded() / 1000, "median_ms": (times[times.count / 2] * 1000).rounded() / 1000,
        ]
        let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }

    /// Month `i` (from January 2000) of `Benchmarks/latency.py`'s typical monthly file.
    static func monthlyFile(_ i: Int, catalogue: Catalogue) -> String {
        let (year, month) = (2000 + i / 12, i % 12 + 1)
        let snapshot = "\(year)-\(pad(month))-\(pad(CivilDate.daysIn(year: year, month: month)))"
        let ym = "\(year)-\(pad(month))"
        var rows = [
            "indicator,period,value,age_band,gender,category,ethnicity,ethnic_group",
            "caf.registered,\(ym),\(40 + i % 13),,,,,", "lac.admissions,\(ym),\(9 + i % 7),,,,,",
            "lac.placement_stability_pct,\(ym),\(70 + i % 9),,,,,", "lac.children,\(snapshot),\(180 + i % 11),,,,,",
            "cp.plans_disabled,\(snapshot),\(5 + i % 3),,,,,", "cp.plans,\(snapshot),\(150 + i % 17),,,,,",
        ]
        let columns = ["age_band", "gender", "category", "ethnicity", "ethnic_group"]
        for (k, dimension) in columns.enumerated() {
            for (j, value) in (catalogue.dimensions[dimension]?.values ?? []).enumerated() {
                var cells = Array(repeating: "", count: columns.count)
                cells[k] = value
                rows.append("cp.plans,\(snapshot),\((i + j) % 30)," + cells.joined(separator: ","))
            }
        }
        return rows.joined(separator: "\n") + "\n"
    }

    private static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
