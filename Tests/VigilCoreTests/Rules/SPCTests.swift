import Testing

@testable import VigilCore

@Suite struct SPCTests {
    private func run(_ values: [Double], tests: String, extra: String = "") throws -> [Finding] {
        let rule = try Fixtures.rule("spc", params: "{tests: [\(tests)]\(extra)}")
        return Fixtures.findings(rule, Fixtures.monthly("2012-01", values))
    }

    @Test func pointOutsideTheProcessLimits() throws {
        let findings = try run([10, 12, 10, 12, 10, 12, 10, 12, 30], tests: "outside_limits")
        // mean of the 9 points up to and including 30 is 118/9, mean moving range (2×7 + 18)/8 = 4.
        #expect(Fixtures.statuses(findings) == "HHHHHCCCB")
        let mean = 118.0 / 9
        #expect(abs(findings[8].limits!.upper - (mean + 2.66 * 4)) < 1e-9)
        #expect(findings[8].signal == "concern")
        #expect(findings[8].explanation.hasPrefix("30: special cause of concern, above the upper process limit of"))
        #expect(findings[8].explanation.hasSuffix("(trial limits from 9 values)"))
    }

    /// Review helper-25: a rule that tests only shifts and trends called a record high beyond the
    /// upper limit "common-cause variation". It says the rule's tests found nothing, and that the
    /// value is beyond a limit it does not test; within the limits it is still common-cause.
    @Test func aValueBeyondALimitTheRuleDoesNotTestIsNotCalledCommonCause() throws {
        let findings = try run([10, 12, 10, 12, 10, 12, 10, 12, 30], tests: "shift, trend")
        #expect(findings[8].status == .clear)
        #expect(
            findings[8].explanation.hasPrefix(
                "30: no special cause by this rule's tests (shift, trend), though above the upper process limit of 23.8"))
        #expect(findings[8].explanation.hasSuffix(", which it does not test (trial limits from 9 values)"))
        #expect(findings[7].explanation == "12: common-cause variation (trial limits from 8 values)")
    }

    @Test func shiftNeedsSevenPointsStrictlyOnOneSide() throws {
        let base: [Double] = [10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10]
        let high: [Double] = [11, 11, 11, 11, 11, 11, 11]
        let fixed = ", baseline_periods: 12"
        #expect(try run(base + high, tests: "shift", extra: fixed).last?.status == .breach)
        var onMean = high
        onMean[3] = 10  // a point exactly on the mean breaks the run
        #expect(try run(base + onMean, tests: "shift", extra: fixed).last?.status == .clear)
    }

    @Test func trendOfSevenStrictlyRisingPointsAndATieBreaksIt() throws {
        let rising: [Double] = [5, 6, 5, 6, 5, 6, 1, 2, 3, 4, 5, 6, 7]
        #expect(try run(rising, tests: "trend").last?.status == .breach)
        var tied = rising
        tied[9] = 3
        #expect(try run(tied, tests: "trend").last?.status == .clear)
    }

    @Test func twoOfThreeNearTheLimitOnOneSide() throws {
        // Baseline alternating 9/11: mean 10, mR 2, limits 10 ± 5.32, near band beyond 10 ± 3.547.
        let base: [Double] = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11]
        let findings = try run(base + [14, 10.5, 14], tests: "two_of_three", extra: ", baseline_periods: 12")
        #expect(findings.last?.status == .breach)
        #expect(findings.last?.explanation.contains("2 of the last 3 points near the upper limit") == true)
    }

    @Test func improvementIsNotAConcernUnlessAskedFor() throws {
        let base: [Double] = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12]
        let concernOnly = try run(base + [0], tests: "outside_limits", extra: ", baseline_periods: 12")
        #expect(concernOnly.last?.status == .clear)
        #expect(concernOnly.last?.signal == "improvement")
        let any = try run(base + [0], tests: "outside_limits", extra: ", baseline_periods: 12, signal: any")
        #expect(any.last?.status == .breach)
    }

    /// Conformance with NHSRplotthedots (issue 10): two of three flags only a point that is itself
    /// near the limit, so the alert is dated to the second near point, not to an ordinary one after.
    @Test func twoOfThreeIsDatedToTheNearPoint() throws {
        let findings = try run([12, 10, 12, 10, 12, 10, 15, 15, 12], tests: "two_of_three", extra: ", baseline_periods: 6")
        #expect(Fixtures.statuses(findings) == "CCCCCCCBC")
        #expect(findings[7].explanation.hasPrefix("15: special cause of concern, 2 of the last 3 points near the upper limit"))
    }

    /// A value exactly on a limit is inside it, whatever floating-point rounding does to the limit.
    @Test func aValueExactlyOnALimitIsInside() throws {
        let values: [Double] = [62, 43, 59, 50, 41, 47, 51, 47, 58, 50, 54, 43, 45, 50, 54, 41, 60, 50, 65, 54, 26]
        let findings = try run(values, tests: "outside_limits", extra: ", baseline_periods: 20, signal: any")
        #expect(abs(findings[20].limits!.lower - 26) < 1e-9)
        #expect(findings[20].status == .clear)
        #expect(findings[20].explanation == "26: common-cause variation")
    }

    /// Causes in both directions: the finding takes the direction of the cause with precedence
    /// (outside limits > trend > two of three > shift), and each cause is listed under its own.
    @Test func eachCauseIsLabelledWithItsOwnDirection() throws {
        let base: [Double] = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12]
        let falling: [Double] = [17, 16.5, 16, 15.5, 15, 14.5, 14]
        let findings = try run(base + falling, tests: "shift, trend", extra: ", baseline_periods: 12, signal: any")
        let last = try #require(findings.last)
        #expect(last.status == .breach)
        #expect(last.signal == "improvement")
        #expect(
            last.explanation
                == "14: special cause of improvement, 7 points each lower than the one before; special cause of concern, 7 points in a row above the mean of 11"
        )
    }

    /// A value beyond a limit is never shown as equal to it.
    @Test func aLimitIsShownWithEnoughPrecision() throws {
        let base: [Double] = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12]
        // Limits 11 ± 5.32: 16.33 is beyond 16.32, which one decimal would show as 16.3 for both.
        let findings = try run(base + [16.33], tests: "outside_limits", extra: ", baseline_periods: 12")
        #expect(
            findings.last?.explanation.hasPrefix("16.33: special cause of concern, above the upper process limit of 16.32")
                == true)
    }

    /// `rebase`: a known change starts a new phase with its own limits; without it the new level
    /// is a special cause.
    @Test func rebaseStartsANewPhaseWithItsOwnLimits() throws {
        let before: [Double] = [9, 11, 9, 11, 9, 11, 9, 11, 9, 11, 9, 11]  // 2012-01 … 2012-12
        let after: [Double] = [19, 21, 19, 21, 19, 21, 19, 21]  // 2013-01 … 2013-08
        let unbased = try run(before + after, tests: "outside_limits")
        #expect(unbased[12].status == .breach)
        let rebased = try run(before + after, tests: "outside_limits", extra: ", rebase: [2013-01]")
        #expect(Fixtures.statuses(Array(rebased[12...])) == "HHHHHCCC")
        #expect(
            rebased[12].explanation == "too few values (1) since the rebase of 2013-01-01 for process limits; at least 6 needed")
        #expect(
            rebased[17].explanation == "21: common-cause variation (trial limits from 6 values since the rebase of 2013-01-01)")
        #expect(abs(rebased[19].limits!.mean - 20) < 1e-9)
        // Before the rebase nothing changes.
        #expect(Fixtures.statuses(Array(rebased[..<12])) == Fixtures.statuses(Array(unbased[..<12])))
    }

    /// `min_points`: no judgement until the phase has that many values.
    @Test func minPointsHoldsUntilEnoughValues() throws {
        let values: [Double] = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 30, 30]
        let findings = try run(values, tests: "outside_limits", extra: ", min_points: 16")
        #expect(Fixtures.statuses(findings) == String(repeating: "H", count: 15) + "B")
        #expect(findings[14].explanation == "15 values; the rule judges from the 16th")
    }

    /// `signal: improvement` alerts on improvements only, at `improvement_severity`; with `any`
    /// a concern keeps the rule's severity and an improvement takes the improvement severity.
    @Test func improvementsAlertAtTheirOwnSeverity() throws {
        let base: [Double] = [10, 12, 10, 12, 10, 12, 10, 12, 10, 12, 10, 12]
        let fixed = ", baseline_periods: 12"
        let improvement = try run(base + [0, 30], tests: "outside_limits", extra: fixed + ", signal: improvement")
        #expect(Fixtures.statuses(Array(improvement[12...])) == "BC")
        #expect(improvement[12].severity == .info)
        #expect(improvement[12].explanation.hasPrefix("0: special cause of improvement, below the lower process limit"))
        #expect(improvement[13].explanation.hasPrefix("30: special cause of concern: above the upper process limit"))
        let any = try run(base + [0, 30], tests: "outside_limits", extra: fixed + ", signal: any, improvement_severity: warning")
        #expect(Fixtures.statuses(Array(any[12...])) == "BB")
        #expect(any[12].severity == .warning)
        #expect(any[13].severity == .warning)
        let anyDefault = try run(base + [0], tests: "outside_limits", extra: fixed + ", signal: any")
        #expect(anyDefault[12].severity == .info)
    }

    /// Rebase dates are validated where they are written.
    @Test func rebaseDatesAreValidated() throws {
        let diagnostics = Diagnostics()
        let yaml = """
            rules:
              - id: r1
                kind: spc
                indicator: t.count
                params: {rebase: [2013-06, someday, 2013-01], min_points: 3}
            """
        _ = RuleSet.parse(files: [("r.yaml", yaml)], catalogue: Fixtures.catalogue, diagnostics: diagnostics)
        #expect(
            VigilErrors(diagnostics.errors).description == """
                r.yaml:5:22: error[rule.invalid]: rebase dates must be in order, earliest first
                r.yaml:5:32: error[rule.invalid]: rebase 'someday' is not a period or date; expected e.g. 2013-01 or 2013-01-01
                r.yaml:5:63: error[rule.invalid]: min_points must be at least 6
                """)
    }

    /// `min_mean`: small counts are not charted (their skew puts ordinary values beyond the limits);
    /// they are clear, so an alert raised while the mean was larger resolves when it shrinks.
    @Test func minMeanClearsSmallCounts() throws {
        let values: [Double] = [3, 5, 2, 6, 4, 3, 5, 4, 2, 6, 3, 5, 14]
        let charted = try run(values, tests: "outside_limits", extra: ", baseline_periods: 12")
        #expect(charted.last?.status == .breach)
        let held = try run(values, tests: "outside_limits", extra: ", baseline_periods: 12, min_mean: 15")
        #expect(Fixtures.statuses(held) == String(repeating: "C", count: 13))
        #expect(held.last?.explanation == "14: the process mean of 4 is below 15, too small for an XmR chart to judge")
    }
}
