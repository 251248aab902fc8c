import Foundation
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
        #expect(
            judged.explanation
                == "112: common-cause variation; limits set by chance alone: a count averaging 102.2 varies by about 10.1 either way when nothing changes, and the limits are three times that"
        )
        #expect(abs(judged.limits!.upper - 132.489925) < 1e-6)
        #expect(abs(judged.limits!.lower - 71.843408) < 1e-6)
        let high = try #require(last(floored, Fixtures.monthly("2012-01", Self.stock + [133])))
        #expect(high.status == .breach)
        #expect(
            high.explanation
                == "133: special cause of concern, above the upper process limit of 132.5; limits set by chance alone: a count averaging 102.2 varies by about 10.1 either way when nothing changes, and the limits are three times that"
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

    /// A p-chart's sd with Agresti and Coull's "plus four" share: p̃ = (65.17 + 2) ÷ 104, sd
    /// 100 × √(p̃(1 − p̃) ÷ 100) = 4.78 points (over n, one period's: review helper-43).
    @Test func aPercentagesLimitsAreNoNarrowerThanItsCountsChance() throws {
        let floored = try rule("t.stable", "{tests: [outside_limits], baseline_periods: 12, chance_floor: true}")
        let series = Fixtures.monthly("2012-01", Self.share + [58], indicator: "t.stable")
        let judged = try #require(last(floored, series + cohort(13)))
        #expect(judged.status == .clear)
        #expect(
            judged.explanation
                == "58.0%: common-cause variation; limits set by chance alone: about 65.2% of a count of 100 varies by about 4.8 points either way when nothing changes, and the limits are three times that"
        )
        #expect(abs(judged.limits!.lower - 50.818866) < 1e-6)
        let low = Fixtures.monthly("2012-01", Self.share + [50.5], indicator: "t.stable")
        #expect(
            last(floored, low + cohort(13))?.explanation
                == "50.5%: special cause of concern, below the lower process limit of 50.8%; limits set by chance alone: about 65.2% of a count of 100 varies by about 4.8 points either way when nothing changes, and the limits are three times that"
        )
        // Without the cohort the moving ranges' limits stand, and the finding says so.
        let untested = try #require(last(floored, series))
        #expect(untested.status == .breach)
        #expect(
            untested.explanation
                == "58.0%: special cause of concern, below the lower process limit of 63.8%; limits not checked against chance: the count it is a percentage of is not known, so this may be chance"
        )
    }

    /// A trend does not depend on where the limits are, so a special cause by trend alone does not
    /// add that it may be chance (review helper-43).
    @Test func aTrendIsNotCalledChanceForLimitsItDoesNotUse() throws {
        let floored = try rule("t.stable", "{tests: [trend], baseline_periods: 12, chance_floor: true}")
        let falling = Fixtures.monthly("2012-01", Self.share + [65, 64.5, 64, 63.5, 63, 62.5], indicator: "t.stable")
        let judged = try #require(last(floored, falling))
        #expect(judged.status == .breach)
        #expect(
            judged.explanation
                == "62.5%: special cause of concern, 7 points each lower than the one before; limits not checked against chance: the count it is a percentage of is not known"
        )
    }

    /// Review helper-42: sixteen months at 100% of 20 children, then one child moves (95%), fired
    /// with p(1 − p) = 0. With "plus four" the lower limit is 100 − 3 × 6.18 = 81.46.
    @Test func aCohortAtOneHundredPercentStillVariesByChance() throws {
        let floored = try rule("t.stable", "{tests: [outside_limits], baseline_periods: 16, chance_floor: true}")
        let twenty = Fixtures.monthly("2012-01", Array(repeating: 20, count: 17), indicator: "t.cohort")
        let all = Array(repeating: 100.0, count: 16)
        let moved = try #require(last(floored, Fixtures.monthly("2012-01", all + [95], indicator: "t.stable") + twenty))
        #expect(moved.status == .clear)
        #expect(abs(moved.limits!.lower - 81.459504) < 1e-6)
        let many = try #require(last(floored, Fixtures.monthly("2012-01", all + [80], indicator: "t.stable") + twenty))
        #expect(many.status == .breach)
    }

    /// A count known for too few of the baseline's periods does not set the floor (review
    /// helper-45: one stray cohort figure of 1 made chance's sd 49 points, limits ±147, and the
    /// chart could never find a special cause): it must be known for at least half of them.
    @Test func aCountKnownForTooFewPeriodsDoesNotSetTheFloor() throws {
        let floored = try rule("t.stable", "{tests: [outside_limits], baseline_periods: 12, chance_floor: true}")
        let series = Fixtures.monthly("2012-01", Self.share + [58], indicator: "t.stable")
        let stray = Fixtures.monthly("2012-03", [1], indicator: "t.cohort")
        let judged = try #require(last(floored, series + stray))
        #expect(judged.status == .breach)
        #expect(
            judged.explanation
                == "58.0%: special cause of concern, below the lower process limit of 63.8%; limits not checked against chance: the count it is a percentage of is not known, so this may be chance"
        )
        // Known for six of the twelve: it sets the floor (the mean of the six, 100).
        let half = Fixtures.monthly("2012-01", Array(repeating: 100, count: 6), indicator: "t.cohort")
        #expect(last(floored, series + half)?.status == .clear)
        let five = Fixtures.monthly("2012-01", Array(repeating: 100, count: 5), indicator: "t.cohort")
        #expect(last(floored, series + five)?.status == .breach)
    }

    @Test func correlatedNeighboursWidenTheLimits() throws {
        // A wave: mean 65.125, mean moving range 0.591, lag-1 autocorrelation 0.427 against 1
        // standard error (1 ÷ √12 = 0.289); corrected for a short series (12 × 0.427 + 1) ÷ 8 =
        // 0.765, so the limits are widened ×2.065: 65.125 − 2.66 × 0.591 × 2.065 = 61.88.
        let wave: [Double] = [65, 65.5, 65, 66, 65.5, 66, 65.5, 65, 64.5, 65, 64, 64.5]
        let series = Fixtures.monthly("2012-01", wave + [62.5], indicator: "t.stable")
        let widened = try #require(
            last(try rule("t.stable", "{tests: [outside_limits], baseline_periods: 12, autocorrelation_z: 1}"), series))
        #expect(widened.status == .clear)
        #expect(
            widened.explanation
                == "62.5%: common-cause variation; limits widened ×2.06 because each value closely follows the one before (correlation 0.77)"
        )
        #expect(abs(widened.limits!.lower - 61.879930) < 1e-6)
        // Against 3 standard errors (0.866) r 0.427 is within chance: the limits stay XmR's.
        let strict = try #require(
            last(try rule("t.stable", "{tests: [outside_limits], baseline_periods: 12, autocorrelation_z: 3}"), series))
        #expect(strict.status == .breach)
        #expect(strict.explanation == "62.5%: special cause of concern, below the lower process limit of 63.6%")
        // Alternating neighbours (r < 0) never narrow them.
        let alternating: [Double] = [64, 66, 64, 66, 64, 66, 64, 66, 64, 66, 64, 66, 61]
        let judged = try #require(
            last(
                try rule("t.stable", "{tests: [outside_limits], baseline_periods: 12, autocorrelation_z: 0}"),
                Fixtures.monthly("2012-01", alternating, indicator: "t.stable")))
        #expect(judged.explanation == "61.0%: common-cause variation")
        #expect(abs(judged.limits!.lower - (65 - 2.66 * 2)) < 1e-9)
    }

    /// Review helper-42: with r taken from every value up to the one judged, a lasting rise made
    /// its own correlation (r 0.61 by its third quarter) and widened the limits until the alert
    /// resolved with the rate still at its new level. r comes from the values before the rule
    /// first judges (here 11, r −0.58: no widening), so all five quarters at 86 stay special causes.
    @Test func aLastingRiseDoesNotWidenItsOwnLimits() throws {
        let rule = try rule("t.count", "{tests: [outside_limits], min_points: 12, autocorrelation_z: 1}")
        let base: [Double] = [79, 80, 78, 79.5, 78.5, 80, 79, 78, 80, 79, 78.5, 79.5]
        let engine = Engine(catalogue: TwoProportionsTests.catalogue, rules: [rule])
        let evaluation = engine.evaluate(
            Dataset(Fixtures.monthly("2012-01", base + Array(repeating: 86, count: 5))),
            at: CivilDate(year: 2030, month: 1, day: 1)!)
        let findings = try #require(evaluation.findings["r1"]?[SeriesKey(indicator: "t.count")])
        #expect(Fixtures.statuses(findings) == "HHHHHHHHHHHCBBBBB")
    }

    /// r is used at most 0.9: a slow wave (r 0.99 over 40 values, 1.02 corrected) widens the
    /// limits ×3.16, not ×11 or without end.
    @Test func theCorrelationUsedIsAtMostNineTenths() throws {
        let wave = (0..<40).map { k in ((50 + 10 * sin(2 * Double.pi * Double(k) / 40)) * 10).rounded() / 10 }
        let rule = try rule("t.count", "{tests: [outside_limits], baseline_periods: 40, autocorrelation_z: 1}")
        let judged = try #require(last(rule, Fixtures.monthly("2010-01", wave + [50])))
        #expect(
            judged.explanation.hasSuffix(
                "; limits widened ×3.16 because each value closely follows the one before (correlation 0.90)"))
        let mr = zip(wave.dropFirst(), wave).map { abs($0 - $1) }.reduce(0, +) / 39
        #expect(abs(judged.limits!.upper - (wave.reduce(0, +) / 40 + 2.66 * mr / 0.1.squareRoot())) < 1e-9)
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
                params: {autocorrelation_z: 7, min_points: 12}
              - id: r3
                kind: spc
                indicator: t.count
                params: {autocorrelation_z: 1}
              - id: r4
                kind: spc
                indicator: t.count
                params: {autocorrelation_z: 1, min_points: 9}
            """
        _ = RuleSet.parse(files: [("r.yaml", yaml)], catalogue: TwoProportionsTests.catalogue, diagnostics: diagnostics)
        #expect(
            VigilErrors(diagnostics.errors).description == """
                r.yaml:5:28: error[rule.invalid]: chance_floor needs a count or a percentage with its counts; 't.rate' is not a percentage with its counts (derived: {kind: percent}, or of_count)
                r.yaml:9:33: error[rule.invalid]: autocorrelation_z must be from 0 to 5 (standard errors)
                r.yaml:13:33: error[rule.invalid]: autocorrelation_z needs min_points or baseline_periods: the correlation is estimated from the values before the rule first judges, or from the baseline
                r.yaml:17:33: error[rule.invalid]: autocorrelation_z needs at least 9 values to estimate the correlation from (min_points 10 or more, or baseline_periods 9 or more); this rule has 8
                """)
    }

    /// The count's coverage and mean are the baseline's last 12 periods': a board that starts
    /// sending the count after years without it gets the floor within a year (review helper-47:
    /// 60 months judged against every value so far, the count sent for the last 20, read "not
    /// checked against chance … so this may be chance" until it covered half the history).
    @Test func aCountSentRecentlySetsTheFloorOfALongChart() throws {
        let floored = try rule("t.stable", "{tests: [outside_limits], chance_floor: true}")
        let months: [Double] = Array(Array(repeating: Self.share, count: 5).flatMap { $0 }.prefix(59)) + [58]
        let series = Fixtures.monthly("2012-01", months, indicator: "t.stable")
        let recent = Fixtures.monthly("2015-05", Array(repeating: 100, count: 20), indicator: "t.cohort")
        let judged = try #require(last(floored, series + recent))
        #expect(judged.period == Period(parsing: "2016-12"))
        #expect(judged.status == .clear)
        #expect(
            judged.explanation.hasPrefix(
                "58.0%: common-cause variation; limits set by chance alone: about 65.0% of a count of 100"))
        // Sent for 5 of the last 12 months only: not yet.
        let five = Fixtures.monthly("2016-08", Array(repeating: 100, count: 5), indicator: "t.cohort")
        #expect(last(floored, series + five)?.status == .breach)
    }

    /// The count behind a percentage must come with it for `chance_floor` as for `binomial_p`:
    /// supplied, for the same periods, by the one partner that sends the percentage.
    @Test func theFloorsCountMustComeWithThePercentage() throws {
        let extra = """

              - {id: t.yearly, title: Yearly cohort, unit: count, periodicity: financial_year, partners: [council], priorities: [2]}
              - {id: t.ofyearly, title: Share of a yearly cohort, unit: percent, periodicity: month, partners: [council], priorities: [2], of_count: t.yearly}
            """
        let linked = try Catalogue.parse(yaml: Fixtures.catalogueYAML + extra, file: "catalogue.yaml")
        let diagnostics = Diagnostics()
        let yaml = "rules:\n  - id: r1\n    kind: spc\n    indicator: t.ofyearly\n    params: {chance_floor: true}\n"
        _ = RuleSet.parse(files: [("r.yaml", yaml)], catalogue: linked, diagnostics: diagnostics)
        let said = VigilErrors(diagnostics.errors).description
        #expect(
            said
                == "r.yaml:5:28: error[rule.invalid]: chance_floor needs of_count 't.yearly' to be supplied for the same periods (month) by the one partner that sends 't.ofyearly'"
        )
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
