import Testing

@testable import VigilCore

@Suite struct QualityAndOverdueTests {
    @Test func categoryCollapseAgainstItsRecentMedian() throws {
        let rule = try Fixtures.rule(
            "quality", "t.snap", params: "{check: collapse, periods: 4, fraction: 0.2, min_median: 10}",
            breakdown: "{category: \"*\"}")
        let dates = ["2012-03-31", "2012-06-30", "2012-09-30", "2012-12-31"]
        let physical = zip(dates, [27.0, 1, 27, 31]).map { Fixtures.observation("t.snap", $0, $1, ["category": "physical"]) }
        let sexual = zip(dates, [10.0, 10, 10, 2]).map { Fixtures.observation("t.snap", $0, $1, ["category": "sexual"]) }
        let key = SeriesKey(indicator: "t.snap", breakdown: Breakdown(["category": "physical"]))
        let findings = Fixtures.findings(rule, physical + sexual, series: key)
        #expect(Fixtures.statuses(findings) == "HBCC")
        #expect(
            findings[1].explanation.hasPrefix(
                "1 against a recent median of 27 (27, the only earlier value): a collapse this sudden is more likely a recording")
        )
        let small = Fixtures.findings(
            rule, physical + sexual, series: SeriesKey(indicator: "t.snap", breakdown: Breakdown(["category": "sexual"])))
        #expect(Fixtures.statuses(small) == "HCCB")  // 2 ≤ 0.2 × 10 and the median 10 meets the floor
    }

    /// Review helper-34: running totals (the financial year to date) sent as monthly figures were
    /// read as a crisis. From April, or from a switch mid-year.
    @Test func aYearToDateFigureInTheMonthsColumnIsFlagged() throws {
        let rule = try Fixtures.rule("quality", params: "{check: cumulative}")
        let year = [20.0, 24, 22, 21, 23, 22, 25, 19, 22, 24, 21, 23]  // 2012/13: a usual month of 22
        let running = Fixtures.findings(rule, Fixtures.monthly("2012-04", year + [20, 42, 60, 85, 24]))
        // No months before 2012/13; April is the year to date; 42 is under 2.5 × 22; 24 in August is a month.
        #expect(Fixtures.statuses(running) == String(repeating: "H", count: 12) + "CCBBC")
        #expect(
            running[14].explanation
                == "60 for 2013-06 against a usual month of 22 looks like the financial year to date, not the month: each month of the year so far (20, 42, then 60) is about one, two, … 3 usual months (66 by now); check with the partner before reading it as a rise"
        )
        #expect(running[14].basis.map(\.description) == ["2013-04", "2013-05"])
        // Monthly until June, then July's running total: 22 + 20 + 23 and a usual month make 87.
        let switched = Fixtures.findings(rule, Fixtures.monthly("2012-04", year + [22, 20, 23, 87, 44]))
        #expect(Fixtures.statuses(switched).suffix(5) == "CCCBC")
        #expect(
            switched[15].explanation.hasSuffix(
                "the year's earlier months (65) plus a usual month make 87; check with the partner before reading it as a rise"))
        // A real spike in June after two ordinary months (Peterborough's June 2012: 38 after 10 and
        // 14, a usual month of 14.5) is three usual months, as a year to date would be: the switch
        // is looked for from July only, and running totals need May at about two usual months.
        let spike = Fixtures.findings(rule, Fixtures.monthly("2012-04", year.map { $0 * 14.5 / 22 } + [10, 14, 38]))
        #expect(Fixtures.statuses(spike).suffix(3) == "CCC")
        // Below the floor of a usual month (10 by default) nothing is judged.
        let small = Fixtures.findings(rule, Fixtures.monthly("2012-04", year.map { $0 / 4 } + [5, 11, 16, 22]))
        #expect(Fixtures.statuses(small).suffix(4) == "CCCC")
    }

    /// Review helper-34: CAF registrations carried forward at 55 for six months raised nothing.
    @Test func aFigureCarriedForwardIsFlagged() throws {
        let rule = try Fixtures.rule("quality", params: "{check: flatline}")
        let varied: [Double] = [48, 52, 45, 60, 41, 57, 50, 44]
        let carried = Fixtures.findings(rule, Fixtures.monthly("2012-04", varied + [55, 55, 55, 55, 55, 55, 49]))
        // Three 55s are not yet a run of four; the fourth, fifth and sixth are; 49 ends it.
        #expect(Fixtures.statuses(carried) == String(repeating: "C", count: 8) + "CCCBBBC")
        #expect(
            carried[11].explanation
                == "55 for 4 periods running (2012-12–2013-03) in a series that varies (the 8 before: 41 to 60): more likely a figure carried forward than a real count; check with the partner"
        )
        #expect(carried[11].basis.map(\.description) == ["2012-12", "2013-01", "2013-02"])
        // A series that is always one figure, or too small, or too short to tell: not flagged.
        let constant = Fixtures.findings(rule, Fixtures.monthly("2012-04", Array(repeating: 30, count: 12)))
        #expect(Fixtures.statuses(constant) == "CCCHHHHHHCCC")
        let small = Fixtures.findings(rule, Fixtures.monthly("2012-04", [3, 5, 2, 4, 6, 3, 4, 4, 4, 4]))
        #expect(Fixtures.statuses(small).suffix(1) == "C")
        let short = Fixtures.findings(rule, Fixtures.monthly("2012-04", [48, 52, 45, 55, 55, 55, 55]))
        #expect(Fixtures.statuses(short).suffix(1) == "H")
    }

    @Test func theCumulativeCheckNeedsAMonthlyIndicator() {
        #expect(throws: (any Error).self) { try Fixtures.rule("quality", "t.snap", params: "{check: cumulative}") }
    }

    @Test func breakdownThatDoesNotSumToTheTotal() throws {
        let rule = try Fixtures.rule("quality", "t.snap", params: "{check: breakdown_sum}")
        let obs = [
            Fixtures.observation("t.snap", "2013-03-31", 215),
            Fixtures.observation("t.snap", "2013-03-31", 196, ["category": "neglect"]),
            Fixtures.observation("t.snap", "2013-06-30", 20),
            Fixtures.observation("t.snap", "2013-06-30", 12, ["category": "neglect"]),
            Fixtures.observation("t.snap", "2013-06-30", 8, ["category": "physical"]),
            Fixtures.observation("t.snap", "2013-09-30", 20),
            Fixtures.observation("t.snap", "2013-09-30", nil, ["category": "neglect"]),
        ]
        let findings = Fixtures.findings(
            rule, obs, series: SeriesKey(indicator: "t.snap", breakdown: Breakdown(["category": "*"])))
        #expect(Fixtures.statuses(findings) == "BCH")
        #expect(findings[0].explanation == "the category breakdown sums to 196 but the total is 215 (a difference of 19)")
    }

    @Test func impossibleValues() throws {
        let rule = try Fixtures.rule("quality", "t.pct", params: "{check: impossible}")
        let findings = Fixtures.findings(rule, Fixtures.monthly("2013-01", [-1, 50, 100.5], indicator: "t.pct"))
        #expect(Fixtures.statuses(findings) == "BCB")
        #expect(findings[2].explanation == "100.5% is above 100%: the numerator is larger than the denominator")
    }

    @Test func overdueIsJudgedAgainstTheEvaluationDate() throws {
        let rule = try Fixtures.rule("overdue", params: "{days: 45}")
        let obs = Fixtures.monthly("2013-01", [5, 6, 7])
        // March's successor (April) ends 30 April; due 14 June. On 14 June it is not yet overdue; on 15 June it is.
        #expect(Fixtures.findings(rule, obs, at: "2013-06-14").isEmpty)
        let late = Fixtures.findings(rule, obs, at: "2013-06-15")
        #expect(late.map(\.period.description) == ["2013-04"])
        #expect(
            late[0].explanation
                == "no value for 2013-04 (April 2013): due by 2013-06-14, 1 day overdue; the latest value is for 2013-03")
        let later = Fixtures.findings(rule, obs, at: "2013-08-01")
        #expect(later.map(\.period.description) == ["2013-04"])
        #expect(
            later[0].explanation
                == "no value for 2013-04 (April 2013): due by 2013-06-14, 48 days overdue; 2 periods are now overdue; the latest value is for 2013-03"
        )
        // A year is named once: its label is its id (review helper-23: "2013/14 (2013/14)").
        let yearly = try Fixtures.rule("overdue", "t.num", params: "{days: 90}")
        let years = Fixtures.findings(
            yearly, [Fixtures.observation("t.num", "2012/13", 40)], at: "2014-08-01")
        #expect(
            years.map(\.explanation) == [
                "no value for 2013/14: due by 2014-06-29, 33 days overdue; the latest value is for 2012/13"
            ])
    }

    /// A month never sent is chased, not forgotten once a later month arrives (review helper-23:
    /// one gap silenced the year-on-year rule for two years and nothing asked for it): gaps that
    /// ended within `gap_days` (730) are overdue too, the oldest chased, naming how many.
    @Test func aGapIsChasedAfterLaterValuesArrive() throws {
        let rule = try Fixtures.rule("overdue", params: "{days: 10}")
        let obs = Fixtures.monthly("2013-01", [1, 2]) + Fixtures.monthly("2013-04", [4])
        let june = Fixtures.findings(rule, obs, at: "2013-06-01")
        #expect(june.map(\.period.description) == ["2013-03"])
        #expect(june.map(\.status) == [.breach])
        #expect(
            june.first?.explanation
                == "no value for 2013-03 (March 2013): due by 2013-04-10, 52 days overdue; later values (up to 2013-04) have arrived, so it is a gap in the series"
        )
        // Two years and a day after March ended it is no longer chased; May 2013 onwards are overdue.
        let later = Fixtures.findings(rule, obs, at: "2015-04-01")
        #expect(later.map(\.period.description) == ["2013-05"])
        // One alert per run of missing months, keyed at its first (review helper-24).
        let holes = Fixtures.monthly("2013-01", [1]) + Fixtures.monthly("2013-04", [4]) + Fixtures.monthly("2013-06", [6])
        #expect(
            Fixtures.findings(rule, holes, at: "2013-07-01").map(\.explanation) == [
                "no value for 2013-02 (February 2013): due by 2013-03-10, 113 days overdue; 2 periods are missing (2013-02–2013-03); later values (up to 2013-06) have arrived, so it is a gap in the series",
                "no value for 2013-05 (May 2013): due by 2013-06-10, 21 days overdue; later values (up to 2013-06) have arrived, so it is a gap in the series",
            ])
        // A run is chased once its first period is due, though its last is not yet.
        let early = Fixtures.monthly("2013-01", [1]) + Fixtures.monthly("2013-04", [4])
        #expect(
            Fixtures.findings(try Fixtures.rule("overdue", params: "{days: 45}"), early, at: "2013-04-30").map(\.explanation) == [
                "no value for 2013-02 (February 2013): due by 2013-04-14, 16 days overdue; 2 periods are missing (2013-02–2013-03); later values (up to 2013-04) have arrived, so it is a gap in the series"
            ])
        // `gap_days: 0`: gaps are not chased (the earlier behaviour).
        let plain = try Fixtures.rule("overdue", params: "{days: 10, gap_days: 0}")
        #expect(Fixtures.findings(plain, obs, at: "2013-06-01").isEmpty)
    }

    /// A return sent only by category (no total row) is chased like any other (review helper-23:
    /// `lado.referrals` and `s11.indicator_outcomes_pct` were never chased).
    @Test func aReturnSentOnlyByCategoryIsChased() throws {
        let rule = try Fixtures.rule("overdue", params: "{days: 10}")
        let obs = ["2013-01", "2013-02"].map { Fixtures.observation("t.count", $0, 3, ["category": "neglect"]) }
        let late = Fixtures.findings(rule, obs, at: "2013-06-01")
        #expect(late.map(\.period.description) == ["2013-03"])
        #expect(
            late.first?.explanation
                == "no value for 2013-03 (March 2013): due by 2013-04-10, 52 days overdue; 2 periods are now overdue; the latest value is for 2013-02"
        )
        #expect(Fixtures.findings(rule, obs, at: "2013-04-10").isEmpty)
        // A total row for one period does not hide the categories sent for a later one.
        let mixed =
            [Fixtures.observation("t.count", "2013-01", 3), Fixtures.observation("t.count", "2013-02", 3)]
            + [Fixtures.observation("t.count", "2013-03", 3, ["category": "neglect"])]
        #expect(Fixtures.findings(rule, mixed, at: "2013-06-01").map(\.period.description) == ["2013-04"])
    }
}
