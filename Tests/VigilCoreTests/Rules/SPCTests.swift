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
}
