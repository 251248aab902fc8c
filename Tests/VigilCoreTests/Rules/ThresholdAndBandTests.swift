import Testing

@testable import VigilCore

@Suite struct ThresholdAndBandTests {
    @Test func firesExactlyAtTheLevel() throws {
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10, critical: 20}}")
        let findings = Fixtures.findings(rule, Fixtures.monthly("2013-01", [9.99, 10, 19.99, 20, nil, 5]))
        #expect(Fixtures.statuses(findings) == "CBBBHC")
        #expect(findings.map(\.severity) == [.warning, .warning, .warning, .critical, .warning, .warning])
        #expect(findings[1].explanation == "10 is at or above the warning level of 10")
        #expect(findings[3].explanation == "20 is at or above the critical level of 20")
        #expect(findings[4].explanation == "value is 'c' (suppressed small number); treated as missing")
    }

    @Test func belowThresholds() throws {
        let rule = try Fixtures.rule("threshold", params: "{below: {warning: 60}}")
        #expect(Fixtures.statuses(Fixtures.findings(rule, Fixtures.monthly("2013-01", [61, 60, 59]))) == "CBB")
    }

    @Test func recoveryLevelHoldsUntilPassed() throws {
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}, recovery: 8}")
        // 12 fires; 9 is back under 10 but not under 8: hold; 8 clears (at the recovery level counts as recovered).
        let findings = Fixtures.findings(rule, Fixtures.monthly("2013-01", [12, 9, 8, 9]))
        #expect(Fixtures.statuses(findings) == "BHCC")
        #expect(findings[1].explanation == "9 is back past 10 but not yet past the recovery level of 8")
    }

    @Test func bandIsStrictAtItsEdges() throws {
        let rule = try Fixtures.rule("band", "t.pct", params: "{low: 28, high: 40, basis: SafeLives}")
        let obs = Fixtures.monthly("2013-01", [27.9, 28, 40, 40.1], indicator: "t.pct")
        let findings = Fixtures.findings(rule, obs)
        #expect(Fixtures.statuses(findings) == "BCCB")
        #expect(findings[0].explanation == "27.9% is below the expected range of 28.0%–40.0% (SafeLives)")
        #expect(findings[0].expected == 28)
    }

    /// A percentage Vigil derives shows the counts it is made of, and a rule can decline to judge a
    /// percentage of a few (review helper-23: 8 of 30 read as a critical 26.7%, without the counts).
    @Test func aDerivedPercentageShowsItsCountsAndSmallOnesAreNotJudged() throws {
        let rule = try Fixtures.rule(
            "threshold", "t.share", params: "{above: {warning: 20, critical: 25}, min_denominator: 50}")
        let obs = [
            Fixtures.observation("t.num", "2012/13", 8), Fixtures.observation("t.den", "2012/13", 30),
            Fixtures.observation("t.num", "2013/14", 30), Fixtures.observation("t.den", "2013/14", 120),
        ]
        let findings = Fixtures.findings(rule, obs, series: SeriesKey(indicator: "t.share"))
        #expect(Fixtures.statuses(findings) == "HB")
        #expect(
            findings[0].explanation
                == "26.7% (8 of 30): a percentage of fewer than 50 is too uncertain to judge against these levels")
        #expect(findings[1].explanation == "25.0% (30 of 120) is at or above the critical level of 25.0%")
        #expect(findings[1].severity == .critical)
        let band = try Fixtures.rule("band", "t.share", params: "{low: 28, high: 40, min_denominator: 50}")
        let banded = Fixtures.findings(band, obs, series: SeriesKey(indicator: "t.share"))
        #expect(Fixtures.statuses(banded) == "HB")
        #expect(banded[1].explanation == "25.0% (30 of 120) is below the expected range of 28.0%–40.0%")
        // A few whose whole 95% interval is on the safe side is judged (review helper-24: 2 of 40,
        // at most 16.5%, held a critical alert for ever): 90 of 320 fires, 2 of 40 resolves.
        let recovering = try Fixtures.rule(
            "threshold", "t.share", params: "{above: {warning: 20, critical: 25}, recovery: 18, min_denominator: 50}")
        let fell = [
            Fixtures.observation("t.num", "2012/13", 90), Fixtures.observation("t.den", "2012/13", 320),
            Fixtures.observation("t.num", "2013/14", 2), Fixtures.observation("t.den", "2013/14", 40),
        ]
        #expect(Fixtures.statuses(Fixtures.findings(recovering, fell, series: SeriesKey(indicator: "t.share"))) == "BC")
        // Only on a percentage Vigil derives: elsewhere there are no counts to compare.
        #expect(throws: (any Error).self) {
            try Fixtures.rule("threshold", params: "{above: {warning: 10}, min_denominator: 50}")
        }
    }
}
