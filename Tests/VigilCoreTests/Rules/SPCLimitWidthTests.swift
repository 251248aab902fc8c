import Testing

@testable import VigilCore

/// `spc`'s limits for series whose neighbours share most of their children (stocks, a cohort's
/// percentage): no narrower than chance (`chance_floor`), widened for correlated neighbours
/// (`autocorrelation_z`). Review helper-36: on simulated stocks that nothing changed, XmR limits
/// from the small moving ranges found 0.3–1.0 special causes a series-year. Expected figures
/// computed independently (Python: mean, mean moving range, lag-1 autocorrelation).
@Suite struct SPCLimitWidthTests {
    /// A stock that wanders by one a quarter: mean 102.17, mean moving range 1, so XmR limits of
    /// ± 2.66 where chance alone (√102.17 = 10.11) moves a count of a hundred ± 30.
    static let stock: [Double] = [100, 101, 102, 103, 104, 105, 104, 103, 102, 101, 100, 101]
    /// A cohort's percentage that wanders by half a point: mean 65.17, mean moving range 0.5, lag-1
    /// autocorrelation 0.653; of a cohort of 100, chance's sd is 4.76 points.
    static let share: [Double] = [65, 65.5, 66, 65.5, 65, 64.5, 64, 64.5, 65, 65.5, 66, 65.5]

    private func rule(_ indicator: String, _ params: String) throws -> Rule {
        let yaml = "rules:\n  - id: r1\n    kind: spc\n    indicator: \(indicator)\n    priority: 1\n    params: \(params)\n"
        return try RuleSet.parse(files: [("rules.yaml", yaml)], catalogue: TwoProportionsTests.catalogue)[0]
    }

    private func last(_ rule: Rule, _ observations: [Observation]) -> Finding? {
        let engine = Engine(catalogue: TwoProportionsTests.catalogue, rules: [rule])
        let evaluation = engine.evaluate(Dataset(observations), at: CivilDate(year: 2030, month: 1, day: 1)!)
        return evaluation.findings[rule.id]?[SeriesKey(indicator: rule.indicator)]?.last
    }

    private func cohort(_ months: Int) -> [Observation] {
        Fixtures.monthly("2012-01", Array(repeating: 100, count: months), indicator: "t.cohort")
    }

    @Test func aCountsLimitsAreNoNarrowerThanChance() throws {
        let plain = try rule("t.count", "{tests: [outside_limits], baseline_periods: 12}")
        let floored = try rule("t.count", "{tests: [outside_limits], baseline_periods: 12, chance_floor: true}")
        let ordinary = Fixtures.monthly("2012-01", Self.stock + [112])
        #expect(last(plain, ordinary)?.explanation == "112: special cause of concern, above the upper process limit of 104.8")
        let judged = try #require(last(floored, ordinary))
        #expect(judged.status == .clear)
        #expect(judged.explanation == "112: common-cause variation; limits no narrower than chance makes them (sd 10.1)")
        #expect(abs(judged.limits!.upper - 132.489925) < 1e-6)
        #expect(abs(judged.limits!.lower - 71.843408) < 1e-6)
        let high = try #require(last(floored, Fixtures.monthly("2012-01", Self.stock + [133])))
        #expect(high.status == .breach)
        #expect(
            high.explanation
                == "133: special cause of concern, above the upper process limit of 132.5; limits no narrower than chance makes them (sd 10.1)"
        )
    }

    /// Where the moving ranges already give wider limits than chance, they stand, unremarked.
    @Test func wideXmRLimitsStandUnderTheFloor() throws {
        let floored = try rule("t.count", "{tests: [outside_limits], baseline_periods: 12, chance_floor: true}")
        let swinging: [Double] = [80, 120, 80, 120, 80, 120, 80, 120, 80, 120, 80, 120, 150]
        let judged = try #require(last(floored, Fixtures.monthly("2012-01", swinging)))
        // Mean 100, mean moving range 40: 100 ± 106.4, wider than 100 ± 30.
        #expect(judged.explanation == "150: common-cause variation")
        #expect(abs(judged.limits!.upper - 206.4) < 1e-9)
    }

    @Test func aPercentagesLimitsAreNoNarrowerThanItsCountsChance() throws {
        let floored = try rule("t.stable", "{tests: [outside_limits], baseline_periods: 12, chance_floor: true}")
        let series = Fixtures.monthly("2012-01", Self.share + [58], indicator: "t.stable")
        let judged = try #require(last(floored, series + cohort(13)))
        #expect(judged.status == .clear)
        #expect(judged.explanation == "58.0%: common-cause variation; limits no narrower than chance makes them (sd 4.8)")
        #expect(abs(judged.limits!.lower - 50.873399) < 1e-6)
        let low = Fixtures.monthly("2012-01", Self.share + [50], indicator: "t.stable")
        #expect(
            last(floored, low + cohort(13))?.explanation
                == "50.0%: special cause of concern, below the lower process limit of 50.9%; limits no narrower than chance makes them (sd 4.8)"
        )
        // Without the cohort the moving ranges' limits stand, and the finding says so.
        let untested = try #require(last(floored, series))
        #expect(untested.status == .breach)
        #expect(
            untested.explanation
                == "58.0%: special cause of concern, below the lower process limit of 63.8%; limits not checked against chance: the count it is a percentage of is not known"
        )
    }

    @Test func correlatedNeighboursWidenTheLimits() throws {
        let series = Fixtures.monthly("2012-01", Self.share + [63.5], indicator: "t.stable")
        // r 0.653 against 1 standard error (1 ÷ √12 = 0.289): widened ×1.698 to 65.17 − 2.26.
        let widened = try #require(
            last(try rule("t.stable", "{tests: [outside_limits], baseline_periods: 12, autocorrelation_z: 1}"), series))
        #expect(widened.status == .clear)
        #expect(
            widened.explanation
                == "63.5%: common-cause variation; neighbouring values correlated (r 0.65), so the limits are widened ×1.70")
        #expect(abs(widened.limits!.lower - 62.907774) < 1e-6)
        // Against 3 standard errors (0.866) r 0.653 is within chance: the limits stay XmR's.
        let strict = try #require(
            last(try rule("t.stable", "{tests: [outside_limits], baseline_periods: 12, autocorrelation_z: 3}"), series))
        #expect(strict.status == .breach)
        #expect(strict.explanation == "63.5%: special cause of concern, below the lower process limit of 63.8%")
        // Alternating neighbours (r < 0) never narrow them.
        let alternating: [Double] = [64, 66, 64, 66, 64, 66, 64, 66, 64, 66, 64, 66, 61]
        let judged = try #require(
            last(
                try rule("t.stable", "{tests: [outside_limits], baseline_periods: 12, autocorrelation_z: 0}"),
                Fixtures.monthly("2012-01", alternating, indicator: "t.stable")))
        #expect(judged.explanation == "61.0%: common-cause variation")
        #expect(abs(judged.limits!.lower - (65 - 2.66 * 2)) < 1e-9)
    }

    @Test func theParametersAreValidated() throws {
        let diagnostics = Diagnostics()
        let yaml = """
            rules:
              - id: r1
                kind: spc
                indicator: t.rate
                params: {chance_floor: true}
              - id: r2
                kind: spc
                indicator: t.count
                params: {autocorrelation_z: 7}
            """
        _ = RuleSet.parse(files: [("r.yaml", yaml)], catalogue: TwoProportionsTests.catalogue, diagnostics: diagnostics)
        #expect(
            VigilErrors(diagnostics.errors).description == """
                r.yaml:5:28: error[rule.invalid]: chance_floor needs a count or a percentage with its counts; 't.rate' is not a percentage with its counts (derived: {kind: percent}, or of_count)
                r.yaml:9:33: error[rule.invalid]: autocorrelation_z must be from 0 to 5 (standard errors)
                """)
    }

    /// A file with only the cohort re-evaluates the chart whose limits it sets, and the engine
    /// loads the cohort for it.
    @Test func theCohortIsReadForAPercentagesFloor() throws {
        let floored = try rule("t.stable", "{chance_floor: true}")
        let engine = Engine(catalogue: TwoProportionsTests.catalogue, rules: [floored])
        #expect(engine.rules(affectedBy: ["t.cohort"]).map(\.id) == ["r1"])
        #expect(engine.indicatorsRead(by: [floored]) == ["t.stable", "t.cohort"])
        let counted = try rule("t.count", "{chance_floor: true}")
        #expect(Engine(catalogue: TwoProportionsTests.catalogue, rules: [counted]).indicatorsRead(by: [counted]) == ["t.count"])
    }
}
