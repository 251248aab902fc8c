import Foundation
import Testing
import VigilConfiguration
import VigilCore

@testable import vigil_bench

/// The reporting faults `vigil-bench alert-quality` plants for the `cumulative` and `flatline`
/// checks: what each does to a series, and that the shipped checks see each in its window and
/// nothing on the same series without it.
@Suite struct ReportingFaultsTests {
    /// June 2015 in four years of months from April 2012: the event month the benchmark uses.
    let t = 38
    let periods = AlertQualityCommand.periods(.month, years: 4)

    /// A series that varies a little around 50 a month.
    var varied: [Double] { (0..<48).map { 50 + Double(($0 * 7) % 5) - 2 } }

    func fault(_ check: RuleKind.Check, _ n: Int = 0) -> AlertQualityCommand.Fault {
        AlertQualityCommand.faults.filter { $0.check == check }[n]
    }

    @Test func theEventMonthIsJuneOfTheLastYear() {
        #expect(periods.count == 48)
        #expect(periods[t].description == "2015-06")
        #expect(periods[t - 2].description == "2015-04")
    }

    @Test func runningTotalsFromAprilSumTheYearSoFar() {
        var v = Array(repeating: 10.0, count: 48)
        v[36] = 11
        fault(.cumulative).apply(&v, t)
        #expect(v[35] == 10)
        #expect(Array(v[36...39]) == [11, 21, 31, 41])
        #expect(v[47] == 121)
    }

    @Test func aSwitchInJulyLeavesAprilToJuneAsTheyWere() {
        var v = Array(repeating: 10.0, count: 48)
        v[36] = 11
        fault(.cumulative, 1).apply(&v, t)
        #expect(Array(v[36...38]) == [11, 10, 10])
        #expect(Array(v[39...40]) == [41, 51])
    }

    @Test func mayIsCarriedForwardSixMonths() {
        var v = (0..<48).map(Double.init)
        fault(.flatline).apply(&v, t)
        #expect(Array(v[37...43]) == Array(repeating: 37, count: 7))
        #expect(v[44] == 44)
    }

    @Test func theShippedChecksSeeEachFaultInItsWindowAndNothingWithout() throws {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        let loaded = try ConfigurationLoader.load(path: url.path + "/config/vigil.yaml")
        let rules = loaded.rules.filter { $0.indicator == "missing.incidents" && AlertQualityCommand.isFaultCheck($0) }
        #expect(Set(rules.map(\.id)) == ["missing-incidents-cumulative", "missing-incidents-carried-forward"])
        let engine = Engine(catalogue: loaded.catalogue, rules: rules)
        let command = AlertQualityCommand()
        let breaches = { (values: [Double]) -> [String: [Int]] in
            command.statusesByRule(engine, rules, "missing.incidents", periods, values).mapValues { marks in
                marks.indices.filter { marks[$0].status == .breach }
            }
        }
        #expect(breaches(varied) == ["missing-incidents-cumulative": [], "missing-incidents-carried-forward": []])
        for (f, fault) in AlertQualityCommand.faults.enumerated() {
            var values = varied
            fault.apply(&values, t)
            let found = breaches(values)
            let id = fault.check == .cumulative ? "missing-incidents-cumulative" : "missing-incidents-carried-forward"
            let other = fault.check == .cumulative ? "missing-incidents-carried-forward" : "missing-incidents-cumulative"
            #expect(found[id]?.first.map(fault.window(t).contains) == true, "fault \(f): \(found)")
            #expect(found[other] == [], "fault \(f): \(found)")
        }
    }
}
