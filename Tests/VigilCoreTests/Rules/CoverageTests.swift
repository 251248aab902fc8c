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

    /// A rule on a derived indicator watches its inputs; an overdue rule watches lateness, not
    /// values; an indicator a pack excuses is reported with its reason, apart from the unwatched.
    @Test func derivedRulesWatchTheirInputsAndExcusesAreReportedApart() throws {
        let pack = """
            rules:
              - {id: share-high, kind: threshold, indicator: t.share, priority: 1, params: {above: {warning: 50}}}
              - {id: count-late, kind: overdue, indicator: t.count, priority: 1, params: {days: 45}}
            not_watched:
              t.snap: a context figure
            """
        let diagnostics = Diagnostics()
        let (rules, notWatched) = RuleSet.parsePack(
            files: [("p.yaml", pack)], catalogue: Fixtures.catalogue, diagnostics: diagnostics)
        #expect(diagnostics.errors.isEmpty)
        let coverage = Coverage(catalogue: Fixtures.catalogue, rules: rules, notWatched: notWatched)
        let lines = coverage.text.split(separator: "\n").map(String.init)
        #expect(lines.contains("  t.num [council]: via t.share: share-high (threshold)"))
        #expect(lines.contains("  t.count [police]: count-late (overdue); values not watched"))
        #expect(lines.contains("  t.snap [council]: not watched on purpose: a context figure"))
        #expect(coverage.unwatched.map(\.id).contains("t.count"))
        #expect(!coverage.unwatched.map(\.id).contains("t.num"))
        #expect(coverage.excused.map(\.indicator.id) == ["t.snap"])
        #expect(lines.last?.hasSuffix("; 1 left unwatched on purpose, each with its reason above") == true)
    }

    @Test func anExcuseMustNameACatalogueIndicatorOnce() {
        let diagnostics = Diagnostics()
        let files = [
            ("a.yaml", "not_watched:\n  t.nope: why\n  t.snap: context\n"), ("b.yaml", "not_watched:\n  t.snap: again\n"),
        ]
        _ = RuleSet.parsePack(files: files, catalogue: Fixtures.catalogue, diagnostics: diagnostics)
        #expect(
            VigilErrors(diagnostics.errors).description == """
                a.yaml:2:3: error[rule.invalid]: not_watched names unknown indicator 't.nope'; expected an id from the catalogue
                b.yaml:2:3: error[rule.invalid]: 't.snap' is already listed as not watched at a.yaml:3:3
                """)
    }
}
