import Foundation
import VigilConfiguration
import VigilCore

extension AlertQualityCommand {
    /// A planted reporting fault: what the partner sends instead of the month's count, and the months
    /// in which a rule must breach to count as a detection.
    struct Fault: Sendable {
        var name: String
        var check: RuleKind.Check
        /// Rewrites the drawn values; the second argument is the event month (June of the last year).
        var apply: @Sendable (inout [Double], Int) -> Void
        var window: @Sendable (Int) -> ClosedRange<Int>
    }

    /// The faults the `cumulative` and `flatline` checks are for (review helper-34). Events start
    /// in June of the last year, index `t`; that year starts in April, at `t - 2`.
    static let faults: [Fault] = [
        Fault(
            name: "running totals from April (June or July)", check: .cumulative,
            apply: { v, t in
                var sum = 0.0
                for i in (t - 2)..<min(v.count, t + 10) {
                    sum += v[i]
                    v[i] = sum
                }
            }, window: { $0...($0 + 1) }),
        Fault(
            name: "switch to running totals in July (July or August)", check: .cumulative,
            apply: { v, t in
                var sum = v[(t - 2)..<(t + 1)].reduce(0, +)
                for i in (t + 1)..<min(v.count, t + 10) {
                    sum += v[i]
                    v[i] = sum
                }
            }, window: { ($0 + 1)...($0 + 2) }),
        Fault(
            name: "May's figure carried forward 6 months (by the fourth equal month)", check: .flatline,
            apply: { v, t in for i in t..<min(v.count, t + 6) { v[i] = v[t - 1] } }, window: { ($0 + 2)...($0 + 2) }),
    ]

    /// Whether a rule is one of the quality checks for reporting faults on a monthly count
    /// (`cumulative`, `flatline`): simulated for its false alarms with the other rules, and for
    /// detection on the faults it is for, never on changes in the count.
    static func isFaultCheck(_ rule: Rule) -> Bool {
        guard case .quality(let q) = rule.kind else { return false }
        return q.check == .cumulative || q.check == .flatline
    }

    /// Reporting faults: every `cumulative` and `flatline` rule on the monthly counts it watches,
    /// with the same baselines and noise as the main table (whose false-alarm figures include
    /// these rules), and each fault it is for planted in June of the last year. Prints the share
    /// caught in the fault's window with the median delay.
    func reportingFaults(_ loaded: LoadedConfiguration, counts: inout SyntheticCounts) {
        let catalogue = loaded.catalogue
        let periods = Self.periods(.month, years: years)
        let t = periods.count - 10
        print("\nrule | check | noise | mean | " + Self.faults.map(\.name).joined(separator: " | "))
        print("--- | --- | --- | --- | " + Self.faults.map { _ in "---" }.joined(separator: " | "))
        for (input, all) in Self.grouped(loaded.rules, by: { simulatedInput($0, catalogue) }) {
            let rules = all.filter(Self.isFaultCheck)
            guard !rules.isEmpty else { continue }
            let engine = Engine(catalogue: catalogue, rules: rules)
            let lows = input.seasonality?.expectedLowMonths ?? []
            for noiseModel in noiseList {
                for mean in meanList {
                    var tally = Tally(rules: rules.map(\.id), events: Self.faults.count)
                    for _ in 0..<series {
                        for (f, fault) in Self.faults.enumerated() {
                            var values = periods.map {
                                counts.draw(lows.contains($0.start.month) ? mean * 0.8 : mean, noiseModel)
                            }
                            fault.apply(&values, t)
                            let statuses = statusesByRule(engine, rules, input.id, periods, values).filter { id, _ in
                                rules.contains { $0.id == id && Self.check($0) == fault.check }
                            }
                            tally.countDetection(f, statuses, fault.window(t))
                        }
                    }
                    for rule in rules {
                        let cells = Self.faults.indices.map {
                            Self.faults[$0].check == Self.check(rule) ? tally.cell(rule.id, $0, series) : "–"
                        }
                        let check = Self.check(rule)?.rawValue ?? "?"
                        print(
                            "\(rule.id) | \(check) | \(noiseModel.rawValue) | \(Int(mean)) | \(cells.joined(separator: " | "))")
                    }
                }
            }
        }
    }

    /// A quality rule's check.
    private static func check(_ rule: Rule) -> RuleKind.Check? {
        guard case .quality(let q) = rule.kind else { return nil }
        return q.check
    }
}
