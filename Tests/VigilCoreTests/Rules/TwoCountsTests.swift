import Testing

@testable import VigilCore

/// The chance test the `change` rules' `poisson_p` uses, against SciPy 1.17
/// (`scipy.stats.binom.sf(k - 1, n, 0.5)` and `binom.cdf`), and the rule's verdicts with it
/// (review helper-36: a fixed minimum count of 150 left a board a third of Peterborough's size
/// without a single year judged).
@Suite struct TwoCountsTests {
    @Test func theTailMatchesSciPy() {
        // Peterborough's 2012/13: 272 missing incidents against 209.
        #expect(abs(TwoCounts.pValue(now: 272, then: 209, up: true) - 0.00232448407161751) < 1e-12)
        // Downwards: 5 against 15 is P(X ≤ 5), X ~ Binomial(20, ½).
        #expect(abs(TwoCounts.pValue(now: 5, then: 15, up: false) - 0.020694732666015625) < 1e-12)
        // Past 5,000 in all, the normal approximation: 5,200 against 4,800.
        #expect(abs(TwoCounts.pValue(now: 5200, then: 4800, up: true) - 3.2967577993361714e-05) < 2e-6)
        // Nothing either side, and a count of 0 now: nothing is beyond chance.
        #expect(TwoCounts.pValue(now: 0, then: 0, up: true) == 1)
        #expect(TwoCounts.pValue(now: 0, then: 9, up: true) == 1)
        // 8 against none: ½⁸.
        #expect(abs(TwoCounts.pValue(now: 8, then: 0, up: true) - 0.00390625) < 1e-12)
    }

    @Test func aChangeRuleHoldsAChangeWithinChanceAndSaysSo() throws {
        let rule = try Fixtures.rule("change", params: "{compare: last_year, percent: 25, poisson_p: 0.005, direction: up}")
        // 200 -> 250: 25% up, p 0.0104.
        let small = Fixtures.findings(
            rule, [Fixtures.observation("t.count", "2012-03", 200), Fixtures.observation("t.count", "2013-03", 250)])
        #expect(Fixtures.statuses(small) == "HC")
        #expect(
            small[1].explanation
                == "up 50 (25.0%): 250 against 200 at the same period last year (2012-03); within chance for counts this size (p 0.010, above 0.005)"
        )
        // 200 -> 260: 30% up, p 0.0029.
        let large = Fixtures.findings(
            rule, [Fixtures.observation("t.count", "2012-03", 200), Fixtures.observation("t.count", "2013-03", 260)])
        #expect(Fixtures.statuses(large) == "HB")
    }

    @Test func poissonPIsForCountsBetweenZeroAndAHalf() throws {
        #expect(throws: (any Error).self) {
            try Fixtures.rule("change", params: "{compare: last_year, percent: 25, poisson_p: 0.5}")
        }
        #expect(throws: (any Error).self) {
            try Fixtures.rule("change", "t.pct", params: "{compare: last_year, absolute: 3, poisson_p: 0.01}")
        }
    }
}
