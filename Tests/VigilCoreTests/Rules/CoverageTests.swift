import Testing
import VigilCore

/// What the rules watch, per priority and per indicator, and what they do not.
struct CoverageTests {
    @Test func aPriorityWithoutRulesIsNotMonitoredAndUnwatchedIndicatorsAreListed() throws {
        // One rule, on t.count (priority 1); priority 2 has none.
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}}")
        let coverage = Coverage(catalogue: Fixtures.catalogue, rules: [rule])
        #expect(coverage.priorities.map(\.isMonitored) == [true, false])
        #expect(coverage.priorities[0].indicators.first { $0.indicator.id == "t.count" }?.rules.map(\.id) == ["r1"])
        #expect(
            coverage.unwatched.map(\.id) == [
                "t.snap", "t.rate", "t.pct", "t.num", "t.den", "t.share", "t.pop", "t.snaprate", "t.fy", "t.roll", "t.half",
                "t.seasonal",
            ])
        let lines = coverage.text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "Priority 1: Early help: 1 rule(s) on 1 indicator(s)")
        #expect(lines[1] == "  t.count [police]: r1 (threshold)")
        #expect(lines.contains("Priority 2: Protection: NOT MONITORED: no rule"))
        #expect(lines.contains("  t.share [derived]: not watched"))
        #expect(
            lines.last?.hasPrefix("1 of 2 priorities monitored; 12 supplied or derived indicator(s) not watched: t.snap, ")
                == true)
    }
}
