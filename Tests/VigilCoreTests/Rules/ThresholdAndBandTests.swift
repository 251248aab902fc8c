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
}
