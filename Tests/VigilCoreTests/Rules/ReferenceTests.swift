import Testing

@testable import VigilCore

@Suite struct ReferenceTests {
    private func rate(_ date: String, _ value: Double) -> Observation { Fixtures.observation("t.rate", date, value) }

    @Test func targetAppliesToEverySnapshotInsideItsYearAndIsStrict() throws {
        let rule = try Fixtures.rule("target", "t.rate", params: "{tolerance_pct: 5}")
        let findings = Fixtures.findings(
            rule, [rate("2012-06-30", 77.7), rate("2012-09-30", 77.71), rate("2013-03-31", 79.3), rate("2013-06-30", 99)])
        // 77.7 is exactly 5% above 74: not more than the tolerance. 2013-06-30 is after the last
        // target, which still stands until the board sets the next.
        #expect(Fixtures.statuses(findings) == "CBBB")
        #expect(findings[2].explanation == "79.3 per 10,000 is 7.2% above the target of 74.0 per 10,000 for 2012/13")
        #expect(findings[2].expected == 74)
        #expect(
            findings[3].explanation
                == "99.0 per 10,000 is 33.8% above the target of 74.0 per 10,000 for 2012/13, the latest target set (none covers 2013-06-30)"
        )
        #expect(findings[3].expected == 74)
    }

    /// When the targets run out, the last one stands (review helper-23: the alert read "Resolved"
    /// and the priority turned green while the rate rose): the alert continues while the value is
    /// beyond it and resolves when it is not. (Before that, a later period held, so an alert fired
    /// for ever with stale evidence; then it cleared, which said nothing true.)
    @Test func theLastTargetStandsWhenTheTargetsRunOut() throws {
        let rule = try Fixtures.rule("target", "t.rate", params: "{}")
        let rising = Fixtures.findings(rule, [rate("2013-03-31", 79.3), rate("2013-06-30", 99), rate("2013-09-30", 99)])
        #expect(Fixtures.statuses(rising) == "BBB")
        let (episodes, _) = EpisodeTracker.track(rule: rule, series: SeriesKey(indicator: "t.rate"), findings: rising)
        #expect(episodes.count == 1)
        #expect(episodes.first?.resolved == nil)
        #expect(episodes.first?.latest.period.description == "2013-09-30")
        let falling = Fixtures.findings(rule, [rate("2013-03-31", 79.3), rate("2013-06-30", 70)])
        #expect(Fixtures.statuses(falling) == "BC")
        #expect(
            falling[1].explanation
                == "70.0 per 10,000 is 5.4% below the target of 74.0 per 10,000 for 2012/13, the latest target set (none covers 2013-06-30)"
        )
    }

    /// Review helper-25: Peterborough's 2012/13 targets judged another board's 2019 data, for
    /// ever. The last target stands for periods ending up to a year after it ends; after that the
    /// value is not judged against it (clear, so an alert under it resolves saying why).
    @Test func theLastTargetStandsForAYearOnly() throws {
        let rule = try Fixtures.rule("target", "t.rate", params: "{}")
        let findings = Fixtures.findings(rule, [rate("2014-03-31", 99), rate("2014-06-30", 99), rate("2019-03-31", 99)])
        #expect(Fixtures.statuses(findings) == "BCC")
        #expect(findings[0].expected == 74)
        #expect(
            findings[1].explanation
                == "no target has been set since 2012/13 (74.0 per 10,000), more than a year before 2014-06-30; not judged against a target"
        )
        #expect(findings[1].expected == nil)
        let (episodes, _) = EpisodeTracker.track(rule: rule, series: SeriesKey(indicator: "t.rate"), findings: findings)
        #expect(episodes.count == 1)
        #expect(episodes.first?.resolved?.description == "2014-06-30")
    }

    /// A year after a month's last day is that month's last day (review helper-26: 28 February
    /// 2015 went to 28 February 2016, so February 2016 was not carried).
    @Test func aYearAfterKeepsMonthEnds() {
        let after = { (y: Int, m: Int, d: Int) in "\(CivilDate(year: y, month: m, day: d)!.yearsLater(1))" }
        #expect(after(2015, 2, 28) == "2016-02-29")
        #expect(after(2016, 2, 29) == "2017-02-28")
        #expect(after(2013, 3, 31) == "2014-03-31")
        #expect(after(2012, 6, 15) == "2013-06-15")
    }

    @Test func beforeTheFirstTargetTheRuleHolds() throws {
        let rule = try Fixtures.rule("target", "t.rate", params: "{}")
        let findings = Fixtures.findings(rule, [rate("2011-06-30", 99)])
        #expect(Fixtures.statuses(findings) == "H")
        #expect(findings[0].explanation == "no value for the target covers 2011-06-30")
    }

    @Test func meetingTheTargetOrBeatingItIsClear() throws {
        let rule = try Fixtures.rule("target", "t.rate", params: "{}")
        let findings = Fixtures.findings(rule, [rate("2012-06-30", 74), rate("2012-09-30", 70), rate("2012-12-31", 74.01)])
        #expect(Fixtures.statuses(findings) == "CCB")
        #expect(findings[0].explanation == "74.0 per 10,000 meets the target of 74.0 per 10,000 for 2012/13")
    }

    @Test func benchmarkCanUseTheLatestEarlierFigure() throws {
        let latest = try Fixtures.rule(
            "benchmark", "t.rate", params: "{against: statistical_neighbours, use_latest: true, tolerance_pct: 10}")
        let exact = try Fixtures.rule("benchmark", "t.rate", params: "{against: statistical_neighbours}")
        let obs = [rate("2013-03-31", 65.4)]
        let found = Fixtures.findings(latest, obs)
        #expect(Fixtures.statuses(found) == "B")
        #expect(
            found[0].explanation
                == "65.4 per 10,000 is 22.5% above the statistical neighbours' average of 53.4 per 10,000 for 2011/12")
        #expect(Fixtures.statuses(Fixtures.findings(exact, obs)) == "H")
    }

    /// A benchmark published a year behind stands, with `use_latest`, for periods ending up to
    /// two years after it ends; after that the value is not judged against it (review helper-28:
    /// the neighbours' 2011/12 average judged a board's 2018/19 to 2022/23 and kept its priority
    /// amber, "firing since 2018/19"). The chart draws it no further.
    @Test func aLatestBenchmarkStandsForTwoYearsOnly() throws {
        let rule = try Fixtures.rule(
            "benchmark", "t.rate", params: "{against: statistical_neighbours, use_latest: true, tolerance_pct: 10}")
        let findings = Fixtures.findings(rule, [rate("2014-03-31", 70), rate("2014-06-30", 70), rate("2019-03-31", 70)])
        #expect(Fixtures.statuses(findings) == "BCC")
        #expect(findings[0].expected == 53.4)
        #expect(
            findings[1].explanation
                == "the statistical neighbours' average is known only for 2011/12 (53.4 per 10,000), more than two years before 2014-06-30; not judged against it"
        )
        #expect(findings[1].expected == nil)
        #expect(
            Indicator.reference(
                [Period(parsing: "2011/12")!: 53.4], for: Period(parsing: "2014-03-31")!, latestEarlier: true, yearsAfter: 2)?
                .value == 53.4)
        #expect(
            Indicator.reference(
                [Period(parsing: "2011/12")!: 53.4], for: Period(parsing: "2014-06-30")!, latestEarlier: true, yearsAfter: 2)
                == nil)
    }

    @Test func benchmarkAgainstEnglandByPoints() throws {
        let rule = try Fixtures.rule("benchmark", "t.rate", params: "{against: england, tolerance_points: 5}")
        let findings = Fixtures.findings(rule, [rate("2012-12-31", 65), rate("2013-03-31", 65.5)])
        #expect(Fixtures.statuses(findings) == "CB")
    }
}
