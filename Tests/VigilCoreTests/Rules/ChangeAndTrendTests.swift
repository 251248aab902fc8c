import Testing

@testable import VigilCore

@Suite struct ChangeAndTrendTests {
    @Test func sameMonthLastYearInTheBadDirection() throws {
        let rule = try Fixtures.rule("change", "t.pct", params: "{compare: last_year, absolute: 3}")
        let obs = [
            Fixtures.observation("t.pct", "2012-03", 69.4), Fixtures.observation("t.pct", "2013-02", 66),
            Fixtures.observation("t.pct", "2013-03", 64.9),
        ]
        let findings = Fixtures.findings(rule, obs)
        #expect(Fixtures.statuses(findings) == "HHB")
        #expect(
            findings[2].explanation
                == "down 4.5 percentage points (6.5%): 64.9% against 69.4% at the same period last year (2012-03)")
        #expect(findings[2].signal == "concern")
        #expect(findings[2].basis.map(\.description) == ["2012-03"])
    }

    /// Review helper-28: month against month, placement stability with noise of ±2 points fell 3
    /// points on the same month a year earlier about once a year. With `window: 3` the three
    /// months' means are compared: one noisy month is not news, a fall that lasts is.
    @Test func aWindowComparesTheMeansOfTheSamePeriodsAYearApart() throws {
        let rule = try Fixtures.rule("change", "t.pct", params: "{compare: last_year, absolute: 3, window: 3}")
        let year = Fixtures.monthly("2012-01", [68, 68, 68, 68, 68, 68], indicator: "t.pct")
        // One month 5 points down among steady ones: the three months' mean is down 1.67.
        let noisy = Fixtures.findings(rule, year + Fixtures.monthly("2013-01", [68, 68, 63], indicator: "t.pct"))
        #expect(Fixtures.statuses(noisy) == "HHHHHHCCC")
        #expect(
            noisy[8].explanation
                == "down 1.7 percentage points (2.5%): 66.3% (the mean of 3 values, 2013-01–2013-03) against 68.0% (the mean of 3 values, 2012-01–2012-03), the same periods a year earlier"
        )
        // A fall that lasts: 65.0 against 68.0 at its second month (exactly 3 points) fires.
        let lasting = Fixtures.findings(rule, year + Fixtures.monthly("2013-01", [68, 63.5, 63.5, 66, 68], indicator: "t.pct"))
        #expect(Fixtures.statuses(lasting) == "HHHHHHCCBBC")
        #expect(lasting[8].value == 65 && lasting[8].expected == 68)
        // Every other period in either mean is evidence (the alert's sources).
        #expect(lasting[8].basis.map(\.description) == ["2012-01", "2012-02", "2012-03", "2013-01", "2013-02"])
        // One value each side (the 2012/13 report's March only) reads as without a window.
        let march = Fixtures.findings(
            rule, [Fixtures.observation("t.pct", "2012-03", 69.4), Fixtures.observation("t.pct", "2013-03", 64.9)])
        #expect(Fixtures.statuses(march) == "HB")
        #expect(
            march[1].explanation
                == "down 4.5 percentage points (6.5%): 64.9% against 69.4% at the same period last year (2012-03)")
        // Only months with a value in both years count (review helper-32: January 2013, with no
        // January 2012, pulled the mean down alone and placement stability "fell 3.5 points").
        let unpaired = Fixtures.findings(
            rule,
            [
                Fixtures.observation("t.pct", "2012-02", 70), Fixtures.observation("t.pct", "2012-03", 70),
                Fixtures.observation("t.pct", "2013-01", 63), Fixtures.observation("t.pct", "2013-03", 70),
            ])
        #expect(Fixtures.statuses(unpaired) == "HHHC")
        #expect(unpaired[3].explanation == "unchanged: 70.0% against 70.0% at the same period last year (2012-03)")
        // No value a year earlier for the judged month holds, as without a window.
        let none = Fixtures.findings(rule, Fixtures.monthly("2013-05", [60, 61, 62], indicator: "t.pct"))
        #expect(Fixtures.statuses(none) == "HHH")
        #expect(none[2].explanation == "no value to compare with at the same period last year (2012-07)")
    }

    @Test func aWindowNeedsLastYear() {
        let diagnostics = Diagnostics()
        let yaml = """
            rules:
              - id: r1
                kind: change
                indicator: t.pct
                params: {compare: previous, absolute: 3, window: 3}
              - id: r2
                kind: change
                indicator: t.num
                params: {compare: last_year, absolute: 3, window: 2}
            """
        _ = RuleSet.parse(files: [("r.yaml", yaml)], catalogue: Fixtures.catalogue, diagnostics: diagnostics)
        #expect(
            VigilErrors(diagnostics.errors).description
                == """
                r.yaml:5:54: error[rule.invalid]: window needs compare: last_year (the same periods a year earlier)
                r.yaml:9:55: error[rule.invalid]: window must be at most 1 for indicator 't.num' (1 period a year)
                """)
    }

    @Test func changeAtExactlyThePercentFiresAndTheFloorSilencesSmallNumbers() throws {
        let rule = try Fixtures.rule("change", params: "{compare: previous, percent: 20, min_count: 50}")
        let findings = Fixtures.findings(rule, Fixtures.monthly("2013-01", [100, 120, 40, 48, nil, 60]))
        // 100→120 is exactly +20%; 120→40 falls (not the bad direction); 40→48 is +20% but below the floor of 50;
        // the censored value holds; 60 has no numeric previous value.
        #expect(Fixtures.statuses(findings) == "HBCCHH")
        #expect(findings[3].explanation.hasSuffix("below the minimum count of 50, so not judged"))
    }

    @Test func trendNeedsStrictStepsAndATieBreaksIt() throws {
        let rule = try Fixtures.rule("trend", "t.snap", params: "{periods: 3, direction: up}")
        let dates = ["2012-03-31", "2012-06-30", "2012-09-30", "2012-12-31", "2013-03-31", "2013-06-30", "2013-09-30"]
        let values: [Double] = [185, 139, 177, 224, 270, 270, 300]
        let obs = zip(dates, values).map { Fixtures.observation("t.snap", $0, $1) }
        let findings = Fixtures.findings(rule, obs)
        #expect(Fixtures.statuses(findings) == "CCCCBCC")
        #expect(findings[4].explanation == "has risen 3 periods running: 139 → 177 → 224 → 270")
        #expect(findings[4].expected == 139)
    }

    /// Review (helper-18): every point of a long run carried the whole run as its basis, so a
    /// strictly rising daily series of 5,500 values (136 KB) took 1 GB. The basis is the run's
    /// last `periods` steps: what the rule needs, whatever the run's length.
    @Test func aLongRunsBasisIsBoundedByTheRulesPeriods() throws {
        let rule = try Fixtures.rule("trend", params: "{periods: 3}")
        let findings = Fixtures.findings(rule, Fixtures.monthly("1900-01", (0..<600).map(Double.init)))
        #expect(findings.last?.status == .breach)
        #expect(findings.map(\.basis.count).max() == 3)
        #expect(findings.last?.basis.last == Period.month(1949, 11))
        #expect(findings.last?.expected == 0)
    }

    @Test func aMissingPeriodBreaksAMonthlyRun() throws {
        let rule = try Fixtures.rule("trend", params: "{periods: 3}")
        let gap = Fixtures.monthly("2013-01", [1, 2]) + Fixtures.monthly("2013-04", [3, 4])
        #expect(Fixtures.statuses(Fixtures.findings(rule, gap)) == "CCCC")
        #expect(Fixtures.statuses(Fixtures.findings(rule, Fixtures.monthly("2013-01", [1, 2, 3, 4]))) == "CCCB")
    }

    @Test func trendInTheWorseDirectionOfANeutralIndicatorWatchesBoth() throws {
        let rule = try Fixtures.rule("trend", "t.snap", params: "{periods: 2}")
        let dates = ["2012-03-31", "2012-06-30", "2012-09-30"]
        let obs = zip(dates, [10.0, 8, 6]).map { Fixtures.observation("t.snap", $0, $1) }
        #expect(Fixtures.statuses(Fixtures.findings(rule, obs)) == "CCB")
    }

    /// `min_change_pct`: a run must also have moved by that share of its first value; exactly at
    /// it fires, and a run that keeps going is judged from its start.
    @Test func aStocksRunMustMoveByTheMinimumChange() throws {
        let rule = try Fixtures.rule("trend", "t.snap", params: "{periods: 3, min_change_pct: 30, direction: up}")
        let dates = ["2012-03-31", "2012-06-30", "2012-09-30", "2012-12-31", "2013-03-31"]
        let short = zip(dates, [200.0, 210, 240, 259, 261]).map { Fixtures.observation("t.snap", $0, $1) }
        let findings = Fixtures.findings(rule, short)
        #expect(Fixtures.statuses(findings) == "CCCCB")
        #expect(
            findings[3].explanation == "has risen 3 periods running (200 → 210 → 240 → 259) but by 29.5% in all, less than 30.0%")
        #expect(findings[3].expected == 200)
        #expect(findings[4].explanation == "has risen 4 periods running: 200 → 210 → 240 → 259 → 261, 30.5% in all")
        let exact = zip(dates, [200.0, 210, 240, 260]).map { Fixtures.observation("t.snap", $0, $1) }
        #expect(Fixtures.statuses(Fixtures.findings(rule, exact)) == "CCCB")
        #expect(throws: (any Error).self) { try Fixtures.rule("trend", "t.snap", params: "{periods: 3, min_change_pct: 0}") }
    }

    /// A trend rule has not judged until it has a run's worth of adjacent values (review helper-44:
    /// two values read as "no run of 6 consecutive rises").
    @Test func aTrendWithoutEnoughAdjacentValuesHasNotJudged() throws {
        let rule = try Fixtures.rule("trend", params: "{periods: 3, direction: up}")
        let findings = Fixtures.findings(rule, Fixtures.monthly("2012-01", [1, 2, 2, 5, nil, 6]))
        #expect(
            findings.map { $0.unjudged?.rawValue ?? "judged" } == [
                "history", "history", "history", "judged", "withheld", "history",
            ])
    }
}
