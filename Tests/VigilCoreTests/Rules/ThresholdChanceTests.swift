import Testing

@testable import VigilCore

/// `threshold` with `binomial_p`: a percentage past a level must be past it beyond chance for the
/// count it is a percentage of to start an alert, while the recovery level still decides when a
/// firing alert clears (review helper-47: as a `band`, probation's checks had no recovery level and
/// flapped). p values from Python: z = (p − level) ÷ √(level(1 − level) ÷ n), 0.5 × erfc(−z ÷ √2).
@Suite struct ThresholdChanceTests {
    private func rule(_ params: String, indicator: String = "t.stable") throws -> Rule {
        let yaml =
            "rules:\n  - id: r1\n    kind: threshold\n    indicator: \(indicator)\n    priority: 1\n    severity: warning\n    params: \(params)\n"
        return try RuleSet.parse(files: [("rules.yaml", yaml)], catalogue: TwoProportionsTests.catalogue)[0]
    }

    /// Findings of `rule` on monthly percentages from January 2013, each of a cohort of `cohort`
    /// (nil: the cohort not sent).
    private func findings(_ rule: Rule, _ values: [Double], cohort: Double?) -> [Finding] {
        var data = Fixtures.monthly("2013-01", values, indicator: "t.stable")
        if let cohort { data += Fixtures.monthly("2013-01", values.map { _ in cohort }, indicator: "t.cohort") }
        let engine = Engine(catalogue: TwoProportionsTests.catalogue, rules: [rule])
        let evaluation = engine.evaluate(Dataset(data), at: CivilDate(year: 2030, month: 1, day: 1)!)
        return evaluation.findings[rule.id]?[SeriesKey(indicator: "t.stable")] ?? []
    }

    @Test func aValuePastTheLevelMustBeBeyondChanceToStartAnAlert() throws {
        let r = try rule("{below: {warning: 90, critical: 80}, recovery: 92, binomial_p: 0.1}")
        // Of 100: 86.2% p 0.1026 within chance; 86.1% p 0.0968 fires; 88% (p 0.2525) while firing
        // goes on (the test starts alerts, it does not end them); 91% holds short of the recovery
        // level; 92% clears; 77% is within chance of the critical 80% (p 0.2266) but beyond it
        // of the warning 90%; 70% is beyond chance of the critical level (p 0.0062).
        let found = findings(r, [95, 86.2, 86.1, 88, 91, 92, 77, 70], cohort: 100)
        #expect(Fixtures.statuses(found) == "CCBBHCBB")
        #expect(
            found[1].explanation
                == "86.2% is at or below the warning level of 90.0%, but within chance for a percentage of 100 (p 0.103, above 0.100)"
        )
        #expect(found[1].expected == 90)
        #expect(found[2].explanation == "86.1% is at or below the warning level of 90.0%")
        #expect(found[2].severity == .warning)
        #expect(found[3].explanation == "88.0% is at or below the warning level of 90.0%")
        #expect(found[4].expected == 92)
        #expect(found[6].severity == .warning)
        #expect(found[6].expected == 90)
        #expect(found[7].severity == .critical)
        #expect(found[7].expected == 80)
        #expect(found[7].explanation == "70.0% is at or below the critical level of 80.0%")
    }

    @Test func aSmallCohortNeedsAFurtherFall() throws {
        let r = try rule("{below: {warning: 90}, recovery: 92, binomial_p: 0.1}")
        // Of 33: 29 checked (87.9%, p 0.342) is within chance; 26 (78.8%, p 0.016) is not.
        let found = findings(r, [87.88, 78.79], cohort: 33)
        #expect(Fixtures.statuses(found) == "CB")
        #expect(found[0].explanation.hasSuffix("but within chance for a percentage of 33 (p 0.342, above 0.100)"))
        // Critical alone: 77% of 100 against 80% is within chance, and there is no warning level.
        let critical = try rule("{below: {critical: 80}, binomial_p: 0.1}")
        let alone = findings(critical, [77, 70], cohort: 100)
        #expect(Fixtures.statuses(alone) == "CB")
        #expect(
            alone[0].explanation
                == "77.0% is at or below the critical level of 80.0%, but within chance for a percentage of 100 (p 0.227, above 0.100)"
        )
    }

    @Test func withoutItsCountAValueIsJudgedAsItStands() throws {
        let r = try rule("{below: {warning: 90}, recovery: 92, binomial_p: 0.1}")
        let found = findings(r, [95, 89, 91, 92], cohort: nil)
        #expect(Fixtures.statuses(found) == "CBHC")
        #expect(
            found[1].explanation
                == "89.0% is at or below the warning level of 90.0%; not tested against chance: the count it is a percentage of is not known for the periods compared"
        )
    }

    @Test func binomialPOnAThresholdIsValidatedAsOnABand() throws {
        func message(_ params: String, _ indicator: String) -> String {
            do {
                _ = try rule(params, indicator: indicator)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        #expect(
            message("{below: {warning: 30}, min_denominator: 50, binomial_p: 0.1}", "t.share").contains(
                "give min_denominator or binomial_p, not both (the chance test already allows for a small denominator)"))
        #expect(
            message("{above: {warning: 30}, binomial_p: 0.1}", "t.pct").contains(
                "binomial_p tests a percentage against chance; 't.pct' is not a percentage with its counts (derived: {kind: percent}, or of_count)"
            ))
        #expect(message("{above: {warning: 30}, binomial_p: 0.6}", "t.share").contains("binomial_p must be between 0 and 0.5"))
        #expect(message("{above: {warning: 30}, binomial_p: 0.1}", "t.share") == "no error")
    }
}
