import ArgumentParser
import Foundation
import VigilConfiguration
import VigilCore
import VigilStore

/// `vigil-bench alert-quality`: the shipped rules on synthetic boards, through the real engine.
///
/// For every rule that watches a count a partner supplies monthly (or an indicator Vigil derives
/// from such counts), it generates series of several years with Poisson noise around a baseline
/// mean (the declared school-holiday months at 80%), with and without a planted event, and
/// reports per rule and baseline mean: false alarms per series-year on clean series (breach
/// onsets after the first year), and how often each planted event is caught in its period.
struct AlertQualityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert-quality", abstract: "Measure the shipped rules' false alarms and detection on synthetic series.")

    @Option(help: "The Vigil configuration.") var config: String = "config/vigil.yaml"
    @Option(help: "Series per rule and baseline mean.") var series: Int = 40
    @Option(help: "Years per series.") var years: Int = 4
    @Option(help: "Random seed.") var seed: UInt64 = 2013
    @Option(help: "Baseline means, comma-separated.") var means: String = "10,20,50,100"
    @Option(help: "Fail (exit 1) when any rule and mean exceeds this many false alarms per series-year.")
    var maxFalseAlarms: Double?

    /// A planted event: what happens to the values, from which month (index), and the months in
    /// which a rule must breach to count as a detection.
    struct Event: Sendable {
        var name: String
        var apply: @Sendable (inout [Double], Int) -> Void
        var window: @Sendable (Int) -> ClosedRange<Int>
    }

    static let events: [Event] = [
        Event(name: "spike ×2", apply: { v, t in v[t] *= 2 }, window: { $0...$0 }),
        Event(name: "collapse to 40%", apply: { v, t in v[t] *= 0.4 }, window: { $0...$0 }),
        Event(
            name: "shift +50% (≤ 2 periods)", apply: { v, t in for i in t..<v.count { v[i] *= 1.5 } },
            window: { $0...($0 + 2) }),
    ]

    func run() throws {
        let loaded = try ConfigurationLoader.load(path: config)
        let catalogue = loaded.catalogue
        let meanList = means.split(separator: ",").compactMap { Double($0) }
        var rng = SplitMix64(seed: seed)
        let months = years * 12
        let start = Period(parsing: "2012-04")!
        print("rule | kind | indicator | mean | false alarms / series-year | " + Self.events.map(\.name).joined(separator: " | "))
        print("--- | --- | --- | --- | --- | " + Self.events.map { _ in "---" }.joined(separator: " | "))
        var totalAlarms = 0
        var totalSeriesYears = 0.0
        var overBudget: [String] = []
        for rule in loaded.rules {
            guard let (input, indicator) = simulatedInput(rule, catalogue) else { continue }
            let engine = Engine(catalogue: catalogue, rules: [rule])
            let periods = (0..<months).reduce(into: [start]) { list, _ in list.append(list.last!.next!) }.dropLast()
            let lows = input.seasonality?.expectedLowMonths ?? []
            for mean in meanList {
                var alarms = 0
                var caught = Array(repeating: 0, count: Self.events.count)
                for _ in 0..<series {
                    let base = periods.map { p -> Double in lows.contains(p.start.month) ? mean * 0.8 : mean }
                    let clean = base.map { Double(Self.poisson($0, &rng)) }
                    let onsets = breachOnsets(engine, rule, input.id, Array(periods), clean)
                    alarms += onsets.filter { $0 >= 12 }.count
                    let t = months - 6
                    for (e, event) in Self.events.enumerated() {
                        var values = base
                        event.apply(&values, t)
                        let noisy = values.map { Double(Self.poisson($0, &rng)) }
                        let statuses = statusesByIndex(engine, rule, input.id, Array(periods), noisy)
                        if event.window(t).contains(where: { statuses[$0] == .breach }) { caught[e] += 1 }
                    }
                }
                let seriesYears = Double(series) * Double(years - 1)
                if let budget = maxFalseAlarms, Double(alarms) / seriesYears > budget + 1e-12 {
                    overBudget.append("\(rule.id) at mean \(Int(mean))")
                }
                totalAlarms += alarms
                totalSeriesYears += seriesYears
                let detections = caught.map { String(format: "%.0f%%", 100 * Double($0) / Double(series)) }
                print(
                    "\(rule.id) | \(rule.kind.name) | \(indicator.id) | \(Int(mean)) | "
                        + String(format: "%.3f", Double(alarms) / seriesYears) + " | " + detections.joined(separator: " | "))
            }
        }
        print(
            "\nall simulated rules: " + String(format: "%.3f", Double(totalAlarms) / max(1, totalSeriesYears))
                + " false alarms per series-year (\(totalAlarms) in \(Int(totalSeriesYears)) series-years; budget 0.1)")
        if let budget = maxFalseAlarms {
            guard overBudget.isEmpty else {
                print("FAIL: over \(budget) false alarms per series-year: " + overBudget.joined(separator: ", "))
                throw ExitCode(1)
            }
            print("PASS: every simulated rule within \(budget) false alarms per series-year")
        }
    }

    /// The supplied monthly count to generate for a rule, and the rule's indicator: the indicator
    /// itself, or the one input of a sum Vigil derives from it. Nil when the rule is not simulated.
    func simulatedInput(_ rule: Rule, _ catalogue: Catalogue) -> (Indicator, Indicator)? {
        guard let indicator = catalogue.indicator(rule.indicator) else { return nil }
        switch rule.kind {
        case .overdue, .quality, .threshold, .target, .benchmark, .band: return nil
        default: break
        }
        var input = indicator
        if let derivation = indicator.derivation {
            guard derivation.inputs.count == 1, let source = catalogue.indicator(derivation.inputs[0]) else { return nil }
            input = source
        }
        guard input.unit == .count, input.periodicity == .month, !input.partners.isEmpty else { return nil }
        return (input, indicator)
    }

    func statusesByIndex(_ engine: Engine, _ rule: Rule, _ input: String, _ periods: [Period], _ values: [Double])
        -> [Finding.Status]
    {
        let observations = zip(periods, values).map {
            Observation(series: SeriesKey(indicator: input), period: $0.0, value: .number($0.1), sources: ["sim"])
        }
        let evaluation = engine.evaluate(Dataset(observations), at: periods.last!.end.adding(days: 1))
        let findings = evaluation.findings[rule.id]?[SeriesKey(indicator: rule.indicator)] ?? []
        let byPeriod = Dictionary(findings.map { ($0.period, $0.status) }, uniquingKeysWith: { a, _ in a })
        // A rule on a yearly sum judges each year once: its finding stands for the year's months.
        return periods.map { p in
            byPeriod[p] ?? findings.first { $0.period.start <= p.start && p.end <= $0.period.end }?.status ?? .hold
        }
    }

    /// Indices (months) where a breach starts.
    func breachOnsets(_ engine: Engine, _ rule: Rule, _ input: String, _ periods: [Period], _ values: [Double]) -> [Int] {
        let statuses = statusesByIndex(engine, rule, input, periods, values)
        return statuses.indices.filter { statuses[$0] == .breach && ($0 == 0 || statuses[$0 - 1] != .breach) }
    }

    /// A Poisson draw (Knuth's method; means here are at most a few hundred).
    static func poisson(_ mean: Double, _ rng: inout SplitMix64) -> Int {
        if mean > 500 { return max(0, Int((mean + mean.squareRoot() * normal(&rng)).rounded())) }
        let limit = exp(-mean)
        var k = 0
        var p = 1.0
        repeat {
            k += 1
            p *= Double.random(in: 0..<1, using: &rng)
        } while p > limit
        return k - 1
    }

    static func normal(_ rng: inout SplitMix64) -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
        let v = Double.random(in: 0..<1, using: &rng)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }
}
