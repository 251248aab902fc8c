import Testing

@testable import VigilCore

/// `cusum`: Page's cumulative sum against a reference frozen while a departure lasts.
@Suite struct CUSUMTests {
    /// Every validation error of a rules file, as `vigil rules check` prints them.
    private func errors(_ yaml: String) -> String {
        let diagnostics = Diagnostics()
        _ = RuleSet.parse(files: [("r.yaml", yaml)], catalogue: Fixtures.catalogue, diagnostics: diagnostics)
        return VigilErrors(diagnostics.errors).description
    }

    private func run(_ values: [Double], _ params: String) throws -> [Finding] {
        let rule = try Fixtures.rule("cusum", params: params)
        return Fixtures.findings(rule, Fixtures.monthly("2012-01", values))
    }

    /// A sustained rise of 1.5 sd accumulates 1 sd a period (k 0.5) and breaches at h = 3 on the
    /// third period; it holds until the reference window is full.
    @Test func aSustainedShiftAccumulatesToTheDecisionInterval() throws {
        // Reference: 6 values alternating 8 and 12 (mean 10, sd 2.19), no guard.
        let base: [Double] = [8, 12, 8, 12, 8, 12]
        let sd = meanAndSD(base).sd
        let shifted = 10 + 1.5 * sd
        let findings = try run(base + [shifted, shifted, shifted], "{periods: 6, guard: 0, k: 0.5, h: 3, direction: up}")
        #expect(Fixtures.statuses(findings) == "HHHHHHCCB")
        #expect(findings[0].explanation == "only 0 reference values; 6 needed")
        #expect(
            findings[8].explanation
                == "\(formatNumber(shifted, decimals: 1)) against a reference mean of 10 (sd 2.2, 6 values 2012-01–2012-06): cumulative departure 3.0 sd above over 3 periods (alarm at 3.0)"
        )
        #expect(findings[8].expected == 10)
        // Only 2.9 sd accumulated: no breach.
        let short = try run(base + [shifted, shifted, 10 + 1.45 * sd], "{periods: 6, guard: 0, k: 0.5, h: 3, direction: up}")
        #expect(short.last?.status == .clear)
    }

    /// Review helper-29: sums of correlated departures grow faster than independent ones, so on
    /// boards whose months wander together the sustained-rise rules raised three times the false
    /// alarms of independent months. A reference window whose lag-1 autocorrelation exceeds
    /// z ÷ √n widens the scale by √((1 + r) ÷ (1 − r)), r at most 0.6; an uncorrelated (or
    /// alternating) window, or a z set higher than r, leaves it as it was.
    @Test func aCorrelatedReferenceWidensTheScale() throws {
        // A slow wave: mean 9.75, sd 1.48, lag-1 autocorrelation 0.74 (above 1.5 ÷ √12 = 0.43).
        let wave: [Double] = [8, 9, 10, 11, 12, 12, 11, 10, 9, 8, 8, 9]
        let sd = meanAndSD(wave).sd
        let shifted = Array(repeating: 9.75 + 1.5 * sd, count: 3)
        let plain = "{periods: 12, guard: 0, k: 0.5, h: 3, direction: up}"
        #expect(Fixtures.statuses(Array(try run(wave + shifted, plain)[12...])) == "CCB")
        let widened = try run(wave + shifted, "{periods: 12, guard: 0, k: 0.5, h: 3, direction: up, autocorrelation_z: 1.5}")
        // The scale doubles (r capped at 0.6): each month is 0.75 sd out, 0.25 over the slack (0.7 after three, a hair under 0.75).
        #expect(Fixtures.statuses(Array(widened[12...])) == "CCC")
        #expect(
            widened[14].explanation.contains(
                "(sd 3.0, 12 values 2012-01–2012-12, month-to-month correlation 0.74, so the scale is widened ×2.00): cumulative departure 0.7 sd above over 3 periods"
            ))
        let r = try #require(RuleEvaluator.correlationWidening(wave, z: 1.5))
        #expect(abs(r.r - 0.7397) < 0.0001 && r.factor == 2)
        // Not past z ÷ √n: unchanged.
        #expect(RuleEvaluator.correlationWidening(wave, z: 2.6) == nil)
        let strict = try run(wave + shifted, "{periods: 12, guard: 0, k: 0.5, h: 3, direction: up, autocorrelation_z: 2.6}")
        #expect(Fixtures.statuses(Array(strict[12...])) == "CCB")
        // Alternating months (r −0.92) are not widened.
        let alternating: [Double] = [8, 12, 8, 12, 8, 12, 8, 12, 8, 12, 8, 12]
        #expect(RuleEvaluator.correlationWidening(alternating, z: 1.5) == nil)
        #expect(RuleEvaluator.correlationWidening([5, 5, 5, 5], z: 0) == nil)
        #expect(throws: (any Error).self) { try Fixtures.rule("cusum", params: "{autocorrelation_z: -1}") }
    }

    /// The reference is frozen during a departure, so a slow climb cannot drag it along; a
    /// watched direction ignores the other side.
    @Test func aClimbIsMeasuredAgainstTheLevelBeforeIt() throws {
        let base: [Double] = Array(repeating: 50, count: 14)
        let climb: [Double] = [52, 54, 56, 58, 60, 62, 64]
        // The default guard of 2 keeps 52 and 54 out of the reference taken at 56, when the sum
        // first rises above 0; from then on the reference stays at 50.
        let params = "{periods: 12, k: 0.5, h: 4, poisson_floor: true, direction: up}"
        let findings = try run(base + climb, params)
        // sd floor √50 = 7.07; z = 0.283 × (1…7), minus 0.5 each from 56: 3.09 at 62, 4.57 at 64.
        #expect(Fixtures.statuses(Array(findings[14...])) == "CCCCCCB")
        #expect(findings.last?.expected == 50)
        let falling = try run(base + climb.map { 100 - $0 }, params)
        #expect(!falling.contains { $0.status == .breach })
    }

    /// A level that stays away `max_run` periods becomes the new reference: the alert resolves.
    /// Once in alarm, a sum back under `h` holds while the value is still beyond the reference
    /// mean (review helper-23: the alert resolved mid-change and fired again); the first value at
    /// or past the mean resolves it (review helper-24: holding until the sum reached 0 kept an
    /// alert firing nine months after the values returned to the mean).
    @Test func anAlarmHoldsWhileTheValuesStayAboveTheReference() throws {
        let base: [Double] = [8, 12, 8, 12, 8, 12]
        let params = "{periods: 6, guard: 0, k: 0.5, h: 3, direction: up}"
        // 20 (S 4.06), then 10.5 five times (z 0.23: S falls 0.27 a month, under 3 at the fourth),
        // then 10, the reference mean.
        let easing = try run(base + [20] + Array(repeating: 10.5, count: 5) + [10], params)
        #expect(Fixtures.statuses(Array(easing[6...])) == "BBBBHHC")
        #expect(easing[10].explanation.hasSuffix("but not back to the reference level; the alert stays until it is"))
        let (episodes, _) = EpisodeTracker.track(
            rule: try Fixtures.rule("cusum", params: params), series: SeriesKey(indicator: "t.count"), findings: easing)
        #expect(episodes.count == 1)
        #expect(episodes.first?.resolved?.description == "2013-01")
        // A value below the mean ends it at once, though the sum is not back to 0.
        let back = try run(base + [20, 8], params)
        #expect(Fixtures.statuses(Array(back[6...])) == "BC")
    }

    /// The alarm's end restarts the sums (the usual reset after a CUSUM signal), so one departure
    /// is one alert: review helper-27 found 17-26% of sustained-rise warnings were the same
    /// departure announced again, the sum left at 4.4 by one month below the mean and a month
    /// above it firing again.
    @Test func theEndOfAnAlarmRestartsTheSums() throws {
        let base: [Double] = [8, 12, 8, 12, 8, 12]
        let params = "{periods: 6, guard: 0, k: 0.5, h: 3, direction: up}"
        // 20 fires (S 4.06); 8 ends it (S would be 2.65); 13 would take S back to 3.52.
        let findings = try run(base + [20, 8, 13], params)
        #expect(Fixtures.statuses(Array(findings[6...])) == "BCC")
        #expect(
            findings[7].explanation.hasSuffix(
                "(alarm at 3.0); back at or past the reference mean, so the alert ends and the sums restart"))
        // 13 is judged against a fresh reference: the six values before it.
        #expect(findings[8].expected.map { abs($0 - 68.0 / 6) < 1e-9 } == true)
        let (episodes, _) = EpisodeTracker.track(
            rule: try Fixtures.rule("cusum", params: params), series: SeriesKey(indicator: "t.count"), findings: findings)
        #expect(episodes.count == 1)
    }

    @Test func aLastingChangeBecomesTheNewReference() throws {
        let base: [Double] = [8, 12, 8, 12, 8, 12]
        let findings = try run(base + Array(repeating: 20, count: 5), "{periods: 6, guard: 0, h: 3, max_run: 3, direction: up}")
        #expect(Fixtures.statuses(findings) == "HHHHHHBBBCC")
        #expect(findings[9].explanation.hasSuffix(": the level has stayed away for 3 periods and becomes the reference"))
        // The next reference is the 6 values before: four at the new level.
        #expect(findings[10].expected.map { abs($0 - 100.0 / 6) < 1e-9 } == true)
    }

    /// With `dispersion_periods`, the sd is √(φ × mean) with φ from the longer history, not the
    /// reference window's sample sd: a steady window cannot make ordinary noise look like news.
    @Test func overDispersionFromALongerHistorySetsTheScale() throws {
        // 12 values alternating 30 and 70, then 6 steady 50s: the window alone would say sd 0.
        let history: [Double] = (0..<6).flatMap { _ in [30.0, 70.0] } + Array(repeating: 50, count: 6)
        let params = "{periods: 6, guard: 0, k: 0.5, h: 3, dispersion_periods: 18, direction: up}"
        let findings = try run(history + [70, 70], params)
        // φ over the 18 values before the first 70: variance 282.4 ÷ mean 50 = 5.6; sd √(5.6 × 50) = 16.8.
        let phi = meanAndSD(history).sd * meanAndSD(history).sd / 50
        let sd = (phi * 50).squareRoot()
        #expect(Fixtures.statuses(Array(findings[18...])) == "CC")
        #expect(
            findings[18].explanation
                == "70 against a reference mean of 50 (sd \(formatNumber(sd, decimals: 1)), 6 values 2013-01–2013-06, dispersion \(formatNumber(phi, decimals: 1)) from 18 values): cumulative departure \(formatNumber(20 / sd - 0.5, decimals: 1)) sd above over 1 period (alarm at 3.0)"
        )
        // Without it the steady window's sd is the floor of 1: 19.5 sd at once.
        let plain = try run(history + [70, 70], "{periods: 6, guard: 0, k: 0.5, h: 3, direction: up}")
        #expect(plain[18].status == .breach)
        // φ is at least 1: on a perfectly steady history the sd is √mean.
        let steady = try run(Array(repeating: 50, count: 18) + [80], params)
        #expect(steady[18].explanation.contains("(sd 7.1, 6 values 2013-01–2013-06, dispersion 1.0 from 18 values)"))
        #expect(steady[18].status == .breach)
    }

    /// `min_mean`: a reference mean below the floor holds; at the floor the rule judges.
    @Test func smallCountsHoldBelowTheMinimumMean() throws {
        let params = "{periods: 6, guard: 0, h: 3, min_mean: 15, poisson_floor: true, direction: up}"
        let small = try run(Array(repeating: 14, count: 6) + [40], params)
        #expect(small[6].status == .hold)
        #expect(
            small[6].explanation == "a reference mean of 14 is below 15: a sustained change in counts this small is not judged")
        let atFloor = try run(Array(repeating: 15, count: 6) + [40], params)
        #expect(atFloor[6].status == .breach)
    }

    /// `min_periods`: the rule judges once that many reference values exist, and its reference
    /// grows to `periods` values as the history does (a long reference for a board with years of
    /// data, without years of silence for one that has just begun).
    @Test func aReferenceGrowsFromMinPeriodsToPeriods() throws {
        let params = "{periods: 6, min_periods: 3, guard: 0, k: 2, h: 3, direction: up}"
        let values: [Double] = [8, 12, 8, 12, 8, 12, 8, 12]
        let findings = try run(values, params)
        #expect(Fixtures.statuses(findings) == "HHHCCCCC")
        #expect(findings[2].explanation == "only 2 reference values; 3 needed")
        // A slack of 2 sd keeps both sums at 0, so each value takes a fresh reference: at the 4th
        // value the 3 before it (mean 9.33), at the 8th the 6 before it.
        #expect(findings[3].explanation.hasPrefix("12 against a reference mean of 9.3 (sd 2.3, 3 values 2012-01–2012-03)"))
        #expect(findings[7].explanation.hasPrefix("12 against a reference mean of 10 (sd 2.2, 6 values 2012-02–2012-07)"))
        #expect(findings[7].expected == 10)
        // Without it, the rule holds until all 6 exist.
        let plain = try run(values, "{periods: 6, guard: 0, k: 2, h: 3, direction: up}")
        #expect(Fixtures.statuses(plain) == "HHHHHHCC")
        #expect(plain[5].explanation == "only 5 reference values; 6 needed")
    }

    /// A decision interval of 4.25 is written as 4.25, not rounded to 4.3, and the sum beside it to
    /// the same two places: 4.15 short of it reads as short, 4.25 as reaching it.
    @Test func theSumIsWrittenToTheDecisionIntervalsPrecision() throws {
        // Reference 100 with sd 10 (poisson_floor); 125, 125 add 1.75 each (k 0.75).
        let params = "{periods: 6, guard: 0, k: 0.75, h: 4.25, poisson_floor: true, direction: up}"
        let base: [Double] = Array(repeating: 100, count: 6)
        let short = try run(base + [125, 125, 114], params)
        #expect(short[8].status == .clear)
        #expect(short[8].explanation.hasSuffix(": cumulative departure 4.15 sd above over 3 periods (alarm at 4.25)"))
        let reached = try run(base + [125, 125, 115], params)
        #expect(reached[8].status == .breach)
        #expect(reached[8].explanation.hasSuffix(": cumulative departure 4.25 sd above over 3 periods (alarm at 4.25)"))
    }

    /// `min_periods` is at least 3 (a sample sd needs values to spread) and at most `periods`.
    @Test func minPeriodsIsValidated() throws {
        let yaml = """
            rules:
              - id: r1
                kind: cusum
                indicator: t.count
                params: {periods: 6, min_periods: 8}
              - id: r2
                kind: cusum
                indicator: t.count
                params: {min_periods: 2}
            """
        #expect(
            errors(yaml) == """
                r.yaml:5:39: error[rule.invalid]: min_periods (8) cannot exceed periods (6)
                r.yaml:9:27: error[rule.invalid]: min_periods must be at least 3
                """)
    }

    /// Review helper-36: one extreme month must not make a sustained departure on its own. With
    /// `max_z` it adds at most that many sd (winsorised), and the explanation says so; a lasting
    /// step still accumulates, one period later.
    @Test func oneExtremePeriodAddsAtMostMaxZ() throws {
        let base: [Double] = [8, 12, 8, 12, 8, 12]
        let params = "{periods: 6, guard: 0, k: 0.75, h: 4.5, max_z: 3, direction: up}"
        let spike = try run(base + [40, 10], params)
        #expect(Fixtures.statuses(spike) == "HHHHHHCC")
        #expect(
            spike[6].explanation
                == "40 against a reference mean of 10 (sd 2.2, 6 values 2012-01–2012-06), a departure of 13.7 sd counted as 3.0: cumulative departure 2.3 sd above over 1 period (alarm at 4.5)"
        )
        // Without the limit the same month alone is an alarm, still on at the mean the month after.
        let unlimited = try run(base + [40, 10], "{periods: 6, guard: 0, k: 0.75, h: 4.5, direction: up}")
        #expect(Fixtures.statuses(unlimited) == "HHHHHHBB")
        // A step stays: 2.25 and 4.5, an alarm at its second period.
        #expect(Fixtures.statuses(try run(base + [40, 40], params)) == "HHHHHHCB")
        // Falls likewise.
        let fall = try run(base + [-20, 10], "{periods: 6, guard: 0, k: 0.75, h: 4.5, max_z: 3, direction: down}")
        #expect(Fixtures.statuses(fall) == "HHHHHHCC")
    }

    /// `max_z` must leave a period something to add: greater than `k`.
    @Test func maxZIsAboveK() throws {
        let yaml = """
            rules:
              - id: r1
                kind: cusum
                indicator: t.count
                params: {k: 0.75, max_z: 0.5}
            """
        #expect(
            errors(yaml)
                == "r.yaml:5:30: error[rule.invalid]: max_z must be greater than k (0.75): no period could add to the sums")
    }

    @Test func newParametersAreValidated() throws {
        #expect(throws: (any Error).self) { try Fixtures.rule("cusum", params: "{dispersion_periods: 3}") }
        #expect(throws: (any Error).self) { try Fixtures.rule("cusum", params: "{min_means: 3}") }
    }
}
