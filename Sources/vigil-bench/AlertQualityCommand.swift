import ArgumentParser
import Foundation
import VigilConfiguration
import VigilCore
import VigilStore

/// `vigil-bench alert-quality`: the shipped rules on synthetic boards, through the real engine.
///
/// For every monthly count a partner supplies, it takes the rules that watch it (or an indicator
/// Vigil derives from it), generates series of several years around a baseline mean (the declared
/// school-holiday months at 80%) with Poisson or over-dispersed noise, with and without a planted
/// event, and reports per rule, noise and mean: false alarms per series-year on clean series
/// (breach onsets after the first year, at warning or above; notices at severity info counted
/// apart), and for each event the share caught in its window with
/// the median delay. A `pack` row per indicator counts every rule's alarms together and an event
/// as caught when any rule catches it. The reporting-fault checks (`cumulative`, `flatline`) are
/// in the false alarms; their detection is on the faults they are for (`+Faults`).
struct AlertQualityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alert-quality", abstract: "Measure the shipped rules' false alarms and detection on synthetic series.")

    @Option(help: "The Vigil configuration.") var config: String = "config/vigil.yaml"
    @Option(help: "Series per indicator, noise and baseline mean.") var series: Int = 40
    @Option(help: "Years per series.") var years: Int = 4
    @Option(help: "Years per stock series (quarterly snapshots; false alarms counted after the third).")
    var stockYears: Int = 8
    @Option(help: "Random seed.") var seed: UInt64 = 2013
    @Option(help: "Baseline means, comma-separated.") var means: String = "10,20,50,100"
    @Option(help: "Noise models, comma-separated (poisson, overdispersed).") var noise: String = "poisson,overdispersed"
    @Option(help: "Also print the trade-off curve: every spike rule re-run with these poisson_p values, comma-separated.")
    var sweep: String?
    @Option(
        help:
            "Also print the trade-off curve for sustained change: every cusum rule re-run with these decision intervals h (or k:h, with its reference value k too), with the other rules on its series, comma-separated."
    )
    var sweepH: String?
    @Option(help: "Fail (exit 1) when any rule, noise and mean exceeds this many false alarms per series-year.")
    var maxFalseAlarms: Double?
    @Flag(
        help:
            "Also print the ceilings: the detection no rule can beat at the false-alarm budget (--max-false-alarms, else 0.1), and the ideal CUSUM's."
    )
    var ceiling = false

    /// A planted event: what happens to the means from month `t`, its sign, and the months in which
    /// a rule must breach to count as a detection.
    struct Event: Sendable {
        var name: String
        var sign: Double
        var apply: @Sendable (inout [Double], Int) -> Void
        var window: @Sendable (Int) -> ClosedRange<Int>
    }

    static let events: [Event] = [
        Event(name: "spike ×2", sign: 1, apply: { v, t in v[t] *= 2 }, window: { $0...$0 }),
        Event(name: "collapse to 40%", sign: -1, apply: { v, t in v[t] *= 0.4 }, window: { $0...$0 }),
        Event(
            name: "shift +50% (≤ 2)", sign: 1, apply: { v, t in for i in t..<v.count { v[i] *= 1.5 } },
            window: { $0...($0 + 2) }),
        Event(
            name: "climb +25% over 6 (≤ 3 after)", sign: 1,
            apply: { v, t in for i in t..<v.count { v[i] *= 1 + 0.25 * Double(min(i - t + 1, 6)) / 6 } },
            window: { $0...($0 + 5 + 3) }),
    ]

    /// The baseline means asked for.
    var meanList: [Double] { means.split(separator: ",").compactMap { Double($0) } }

    /// The noise models asked for (unknown names left out; `run` rejects them).
    var noiseList: [SyntheticCounts.Noise] {
        noise.split(separator: ",").compactMap { SyntheticCounts.Noise(rawValue: String($0)) }
    }

    func run() throws {
        let loaded = try ConfigurationLoader.load(path: config)
        let catalogue = loaded.catalogue
        let noises = noiseList
        guard noises.count == noise.split(separator: ",").count else {
            throw ValidationError("unknown noise in '\(noise)'; expected poisson or overdispersed")
        }
        var counts = SyntheticCounts(rng: SplitMix64(seed: seed))
        let months = years * 12
        let periods = Self.periods(.month, years: years)
        // Events start in June of the last year but one: not a declared holiday month, and with room
        // for the climb's window.
        let t = months - 10
        let byInput = Self.grouped(loaded.rules) { simulatedInput($0, catalogue) }
        print("rule | noise | mean | false alarms / series-year (info) | " + Self.events.map(\.name).joined(separator: " | "))
        print("--- | --- | --- | --- | " + Self.events.map { _ in "---" }.joined(separator: " | "))
        var totalAlarms = 0
        var totalNotices = 0
        var totalSeriesYears = 0.0
        var overBudget: [String] = []
        for (input, rules) in byInput {
            let engine = Engine(catalogue: catalogue, rules: rules)
            let faultChecks = Set(rules.filter(Self.isFaultCheck).map(\.id))
            let lows = input.seasonality?.expectedLowMonths ?? []
            let base = { (mean: Double) in periods.map { p -> Double in lows.contains(p.start.month) ? mean * 0.8 : mean } }
            for noiseModel in noises {
                for mean in meanList {
                    var tally = Tally(rules: rules.map(\.id), events: Self.events.count)
                    for _ in 0..<series {
                        let clean = base(mean).map { counts.draw($0, noiseModel) }
                        let statuses = statusesByRule(engine, rules, input.id, periods, clean)
                        tally.countAlarms(statuses)
                        for (e, event) in Self.events.enumerated() {
                            var means = base(mean)
                            event.apply(&means, t)
                            let noisy = means.map { counts.draw($0, noiseModel) }
                            // The reporting-fault checks are not there to see changes in the count.
                            let statuses = statusesByRule(engine, rules, input.id, periods, noisy).filter { id, _ in
                                !faultChecks.contains(id)
                            }
                            tally.countDetection(e, statuses, event.window(t))
                        }
                    }
                    let seriesYears = Double(series) * Double(years - 1)
                    for rule in rules {
                        let rate = Double(tally.alarms[rule.id, default: 0]) / seriesYears
                        let info = Double(tally.notices[rule.id, default: 0]) / seriesYears
                        if let budget = maxFalseAlarms, rate > budget + 1e-12 {
                            overBudget.append("\(rule.id) (\(noiseModel.rawValue), mean \(Int(mean)))")
                        }
                        totalAlarms += tally.alarms[rule.id, default: 0]
                        totalNotices += tally.notices[rule.id, default: 0]
                        totalSeriesYears += seriesYears
                        let cells = Self.events.enumerated().map { e, event in
                            watches(rule, catalogue, event.sign) ? tally.cell(rule.id, e, series) : "–"
                        }
                        let shown = String(format: "%.3f", rate) + (info > 0 ? String(format: " (+%.3f)", info) : "")
                        print("\(rule.id) | \(noiseModel.rawValue) | \(Int(mean)) | \(shown) | \(cells.joined(separator: " | "))")
                    }
                    if rules.count > 1 {
                        let rate = Double(tally.alarms.values.reduce(0, +)) / seriesYears
                        let info = Double(tally.notices.values.reduce(0, +)) / seriesYears
                        let cells = Self.events.indices.map { tally.cell(Tally.pack, $0, series) }
                        let shown =
                            String(format: "%.3f", rate) + (info > 0 ? String(format: " (+%.3f)", info) : "")
                            + String(format: ", %.3f episodes", Double(tally.episodes) / seriesYears)
                        print(
                            "**pack on \(input.id)** | \(noiseModel.rawValue) | \(Int(mean)) | \(shown) | \(cells.joined(separator: " | "))"
                        )
                    }
                }
            }
        }
        overBudget += breakdownFaults(loaded, counts: &counts, budget: maxFalseAlarms)
        overBudget += stocks(loaded, counts: &counts, budget: maxFalseAlarms)
        reportingFaults(loaded, counts: &counts)
        if let sweep { self.sweep(loaded, sweep.split(separator: ",").compactMap { Double($0) }, counts: &counts) }
        if let sweepH { sweepCUSUM(loaded, Self.cusumVariants(sweepH), counts: &counts) }
        if ceiling { ceilings(budget: maxFalseAlarms ?? 0.1, counts: &counts) }
        print(
            "\nall simulated rules: " + String(format: "%.3f", Double(totalAlarms) / max(1, totalSeriesYears))
                + " false alarms (warning or above) per rule and series-year (\(totalAlarms) in \(Int(totalSeriesYears)) rule-series-years), "
                + String(format: "%.3f", Double(totalNotices) / max(1, totalSeriesYears)) + " improvement notices (info)")
        if let budget = maxFalseAlarms {
            guard overBudget.isEmpty else {
                print("FAIL: over \(budget) false alarms per series-year: " + overBudget.joined(separator: ", "))
                throw ExitCode(1)
            }
            print("PASS: every simulated rule within \(budget) false alarms per series-year")
        }
    }

    /// The rules that have an input, grouped by it in the order each input is first met.
    static func grouped(_ rules: [Rule], by input: (Rule) -> Indicator?) -> [(Indicator, [Rule])] {
        var groups: [(Indicator, [Rule])] = []
        for rule in rules {
            guard let indicator = input(rule) else { continue }
            if let i = groups.firstIndex(where: { $0.0.id == indicator.id }) {
                groups[i].1.append(rule)
            } else {
                groups.append((indicator, [rule]))
            }
        }
        return groups
    }

    /// The supplied monthly count to generate for a rule: its indicator, or the one input of a sum
    /// Vigil derives from it. Nil when the rule is judged against fixed levels and not simulated.
    func simulatedInput(_ rule: Rule, _ catalogue: Catalogue) -> Indicator? {
        guard let indicator = catalogue.indicator(rule.indicator), rule.selector == .total else { return nil }
        switch rule.kind {
        case .quality where Self.isFaultCheck(rule): break
        case .overdue, .quality, .threshold, .target, .benchmark, .band: return nil
        default: break
        }
        var input = indicator
        if let derivation = indicator.derivation {
            guard derivation.inputs.count == 1, let source = catalogue.indicator(derivation.inputs[0]) else { return nil }
            input = source
        }
        guard input.unit == .count, input.periodicity == .month, !input.partners.isEmpty else { return nil }
        return input
    }

    /// Whether a rule can see a movement of this sign.
    func watches(_ rule: Rule, _ catalogue: Catalogue, _ sign: Double) -> Bool {
        let polarity = catalogue.indicator(rule.indicator)?.polarity ?? .neutral
        switch rule.kind {
        case .quality: return false
        case .spike(let p): return p.direction.resolved(polarity).watches(sign)
        case .change(let p): return p.direction.resolved(polarity).watches(sign)
        case .trend(let p): return p.direction.resolved(polarity).watches(sign)
        case .cusum(let p): return p.direction.resolved(polarity).watches(sign)
        case .spc(let p):
            guard polarity != .neutral, p.signal != "any" else { return true }
            return Direction.worse.resolved(polarity).watches(sign) == (p.signal == "concern")
        default: return true
        }
    }

    /// A rule's finding for a month: its status, and whether a breach is a notice at severity info
    /// (SPC's `improvement_severity`, rules shipped at info), counted apart from false alarms.
    struct Mark {
        var status: Finding.Status
        var info: Bool
    }

    /// Each rule's status per month. A rule on a yearly sum judges each year once, when the year's
    /// last month is in: its finding stands at that month (the months before it hold).
    func statusesByRule(_ engine: Engine, _ rules: [Rule], _ input: String, _ periods: [Period], _ values: [Double])
        -> [String: [Mark]]
    {
        let observations = zip(periods, values).map {
            Observation(series: SeriesKey(indicator: input), period: $0.0, value: .number($0.1), sources: ["sim"])
        }
        let evaluation = engine.evaluate(Dataset(observations), at: periods.last!.end.adding(days: 1))
        var result: [String: [Mark]] = [:]
        for rule in rules {
            let findings = evaluation.findings[rule.id]?[SeriesKey(indicator: rule.indicator)] ?? []
            let byPeriod = Dictionary(findings.map { ($0.period, $0) }, uniquingKeysWith: { a, _ in a })
            result[rule.id] = periods.map { p in
                let finding = byPeriod[p] ?? findings.first { $0.period.end == p.end && $0.period.start < p.start }
                return Mark(
                    status: finding?.status ?? .hold, info: finding?.severity == .info)
            }
        }
        return result
    }
}
