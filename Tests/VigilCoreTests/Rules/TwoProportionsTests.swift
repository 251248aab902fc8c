import Testing

@testable import VigilCore

/// The chance test the `change` rules' `binomial_p` uses, against SciPy 1.17 (the pooled z and
/// `scipy.stats.norm.sf`), and the rule's verdicts with it (review helper-36: placement stability,
/// a monthly percentage of a cohort of about a hundred children, fell 3 points on the year by
/// chance about every other year at Peterborough's size).
@Suite struct TwoProportionsTests {
    /// `Fixtures`' catalogue with a supplied percentage of a cohort (`of_count`), kept here so the
    /// catalogue other suites count is unchanged.
    static let catalogue: Catalogue = {
        let extra = """

              - {id: t.cohort, title: Cohort, unit: count, periodicity: month, partners: [council], priorities: [2]}
              - {id: t.stable, title: Stable share, unit: percent, periodicity: month, polarity: lower_is_worse, partners: [council], priorities: [2], of_count: t.cohort}
            """
        return try! Catalogue.parse(yaml: Fixtures.catalogueYAML + extra, file: "catalogue.yaml")
    }()

    private func rule(_ indicator: String, _ params: String) throws -> Rule {
        let yaml = "rules:\n  - id: r1\n    kind: change\n    indicator: \(indicator)\n    priority: 1\n    params: \(params)\n"
        return try RuleSet.parse(files: [("rules.yaml", yaml)], catalogue: Self.catalogue)[0]
    }

    private func findings(_ rule: Rule, _ observations: [Observation], _ series: SeriesKey) -> [Finding] {
        let engine = Engine(catalogue: Self.catalogue, rules: [rule])
        return engine.evaluate(Dataset(observations), at: CivilDate(year: 2030, month: 1, day: 1)!).findings[rule.id]?[series]
            ?? []
    }

    private func counts(_ successes: Double, _ trials: Double) -> TwoProportions.Counts {
        .init(successes: successes, trials: trials)
    }

    @Test func theTestMatchesSciPy() {
        // 16 of 232 against 9 of 232: z 1.4393, P(Z ≥ z) 0.07503.
        #expect(abs(TwoProportions.pValue(now: counts(16, 232), then: counts(9, 232), up: true) - 0.07503115687904441) < 1e-9)
        // A supplied 64.9% of 100 against 69.4% of 100, downwards: z −0.6775, 0.2490.
        #expect(
            abs(TwoProportions.pValue(now: counts(64.9, 100), then: counts(69.4, 100), up: false) - 0.24904561148433502) < 1e-9)
        // 55% against 70% of 100: 0.01423.
        #expect(abs(TwoProportions.pValue(now: counts(55, 100), then: counts(70, 100), up: false) - 0.014229868458155322) < 1e-9)
        // The other direction of the same movement is not beyond chance.
        #expect(TwoProportions.pValue(now: counts(55, 100), then: counts(70, 100), up: true) > 0.98)
        // No spread (all or nothing both times) and no trials: nothing is beyond chance.
        #expect(TwoProportions.pValue(now: counts(0, 50), then: counts(0, 40), up: true) == 1)
        #expect(TwoProportions.pValue(now: counts(50, 50), then: counts(40, 40), up: false) == 1)
        #expect(TwoProportions.pValue(now: counts(3, 0), then: counts(1, 10), up: true) == 1)
    }

    @Test func aDerivedPercentageIsJudgedOnItsCounts() throws {
        let rule = try rule("t.share", "{compare: last_year, absolute: 3, binomial_p: 0.05, direction: up}")
        func share(_ then: Double, _ now: Double, of n: Double) -> [Observation] {
            [
                Fixtures.observation("t.num", "2011/12", then), Fixtures.observation("t.den", "2011/12", n),
                Fixtures.observation("t.num", "2012/13", now), Fixtures.observation("t.den", "2012/13", n),
            ]
        }
        // 8 of 200 -> 14 of 200: 3 points up, p 0.094.
        let few = findings(rule, share(8, 14, of: 200), SeriesKey(indicator: "t.share"))
        #expect(Fixtures.statuses(few) == "HC")
        let expected =
            "up 3.0 percentage points (75.0%): 7.0% against 4.0% at the same period last year (2011/12); within chance for percentages of 200 now and 200 then (p 0.094, above 0.050)"
        #expect(few[1].explanation == expected)
        // 80 of 2,000 -> 140 of 2,000: the same percentages, p 0.00002.
        let many = findings(rule, share(80, 140, of: 2000), SeriesKey(indicator: "t.share"))
        #expect(Fixtures.statuses(many) == "HB")
    }

    @Test func aSuppliedPercentageIsJudgedOnTheCountItIsOf() throws {
        let rule = try rule("t.stable", "{compare: last_year, window: 3, absolute: 3, binomial_p: 0.05, direction: worse}")
        let series = SeriesKey(indicator: "t.stable")
        // Three months at 70% a year before three at 57% (58, 57, 56), of a cohort of 100: p 0.028.
        let stable =
            Fixtures.monthly("2012-01", [70, 70, 70], indicator: "t.stable")
            + Fixtures.monthly("2013-01", [58, 57, 56], indicator: "t.stable")
        let cohort =
            Fixtures.monthly("2012-01", [100, 100, 100], indicator: "t.cohort")
            + Fixtures.monthly("2013-01", [100, 100, 100], indicator: "t.cohort")
        let judged = findings(rule, stable + cohort, series)
        #expect(judged.last?.status == .breach)
        // At 60% (61, 60, 59) the fall is within chance, p 0.069.
        let closer =
            Fixtures.monthly("2012-01", [70, 70, 70], indicator: "t.stable")
            + Fixtures.monthly("2013-01", [61, 60, 59], indicator: "t.stable")
        let within = findings(rule, closer + cohort, series)
        #expect(within.last?.status == .clear)
        let expected =
            "down 10.0 percentage points (14.3%): 60.0% (the mean of 3 values, 2013-01–2013-03) against 70.0% (the mean of 3 values, 2012-01–2012-03), the same periods a year earlier; within chance for percentages of 100 now and 100 then (p 0.069, above 0.050)"
        #expect(within.last?.explanation == expected)
        // A cohort sent for one month of each year only serves the window: the mean over the
        // months that have it (review helper-40).
        let yearly = cohort.filter { $0.period == Period(parsing: "2012-03")! || $0.period == Period(parsing: "2013-03")! }
        #expect(findings(rule, closer + yearly, series).last?.explanation == expected)
        // With none for the year before, the fall is judged as it stands, and says so.
        let lastYearOnly = Fixtures.monthly("2013-01", [100, 100, 100], indicator: "t.cohort")
        let untested = findings(rule, closer + lastYearOnly, series)
        #expect(untested.last?.status == .breach)
        let said =
            "down 10.0 percentage points (14.3%): 60.0% (the mean of 3 values, 2013-01–2013-03) against 70.0% (the mean of 3 values, 2012-01–2012-03), the same periods a year earlier; not tested against chance: the count it is a percentage of is not known for the periods compared"
        #expect(untested.last?.explanation == said)
        // A cohort of 0 is no count either.
        let zero = Fixtures.monthly("2012-01", [0, 0, 0], indicator: "t.cohort") + lastYearOnly
        #expect(findings(rule, closer + zero, series).last?.explanation == said)
    }

    @Test func anImpossiblePercentageIsNotCalledChance() throws {
        // A derived percentage over 100 (more repeats than plans) has no counts that could make
        // it: it is judged as it stands, not cleared as "within chance" (review helper-40).
        let rule = try rule("t.share", "{compare: last_year, absolute: 3, binomial_p: 0.05, direction: up}")
        let data = [
            Fixtures.observation("t.num", "2011/12", 232), Fixtures.observation("t.den", "2011/12", 232),
            Fixtures.observation("t.num", "2012/13", 240), Fixtures.observation("t.den", "2012/13", 232),
        ]
        let judged = findings(rule, data, SeriesKey(indicator: "t.share"))
        #expect(judged.last?.status == .breach)
        #expect(
            judged.last?.explanation.hasSuffix(
                "; not tested against chance: a percentage outside 0–100% has no counts that could make it") == true)
    }

    @Test func againstALevelTheTestMatchesSciPy() {
        // The report's 51 of 216 MARAC repeats against SafeLives' 28%: z −1.436, P(Z ≤ z) 0.07542.
        #expect(abs(TwoProportions.pValue(of: counts(51, 216), against: 0.28, up: false) - 0.07541568391690762) < 1e-9)
        // 60 of 100 against a half, upwards: 0.02275.
        #expect(abs(TwoProportions.pValue(of: counts(60, 100), against: 0.5, up: true) - 0.022750131948179216) < 1e-9)
        // A level of 0 or 1 has no spread: past it is beyond chance, at it is not.
        #expect(TwoProportions.pValue(of: counts(1, 100), against: 0, up: true) == 0)
        #expect(TwoProportions.pValue(of: counts(0, 100), against: 0, up: true) == 1)
        #expect(TwoProportions.pValue(of: counts(5, 0), against: 0.3, up: true) == 1)
    }

    @Test func aBandJudgesAPercentageOutsideItsRangeAgainstChance() throws {
        let yaml =
            "rules:\n  - id: r1\n    kind: band\n    indicator: t.share\n    priority: 1\n    params: {low: 28, high: 40, binomial_p: 0.1}\n"
        let band = try RuleSet.parse(files: [("rules.yaml", yaml)], catalogue: Self.catalogue)[0]
        func judged(_ repeats: Double, of cases: Double) -> Finding? {
            let data = [Fixtures.observation("t.num", "2012/13", repeats), Fixtures.observation("t.den", "2012/13", cases)]
            return findings(band, data, SeriesKey(indicator: "t.share")).last
        }
        // 51 of 216 (23.6%): p 0.075, beyond chance at 0.1.
        #expect(judged(51, of: 216)?.status == .breach)
        // 16 of 72 (22.2%): p 0.137, within chance.
        let small = judged(16, of: 72)
        #expect(small?.status == .clear)
        let said =
            "22.2% (16 of 72) is below the expected range of 28.0%–40.0%, but within chance for a percentage of 72 (p 0.137, above 0.100)"
        #expect(small?.explanation == said)
        // 35 of 72 (48.6%) above 40%: p 0.068; 34 (47.2%): p 0.105.
        #expect(judged(35, of: 72)?.status == .breach)
        #expect(judged(34, of: 72)?.status == .clear)
        // A supplied percentage without the count it is of is judged as it stands, and says so.
        let supplied =
            "rules:\n  - id: r1\n    kind: band\n    indicator: t.stable\n    priority: 1\n    params: {low: 28, binomial_p: 0.1}\n"
        let onSupplied = try RuleSet.parse(files: [("rules.yaml", supplied)], catalogue: Self.catalogue)[0]
        let alone = findings(
            onSupplied, Fixtures.monthly("2013-01", [22], indicator: "t.stable"), SeriesKey(indicator: "t.stable"))
        #expect(alone.last?.status == .breach)
        let caveat =
            "22.0% is below the expected range of 28.0%–∞; not tested against chance: the count it is a percentage of is not known for this period"
        #expect(alone.last?.explanation == caveat)
    }

    @Test func binomialPIsForPercentagesWithTheirCounts() throws {
        func message(_ indicator: String, _ params: String) -> String {
            do {
                _ = try rule(indicator, params)
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let yaml =
            "rules:\n  - id: r1\n    kind: band\n    indicator: t.share\n    priority: 1\n    params: {low: 28, min_denominator: 50, binomial_p: 0.1}\n"
        var both = "no error"
        do { _ = try RuleSet.parse(files: [("rules.yaml", yaml)], catalogue: Self.catalogue) } catch { both = "\(error)" }
        #expect(
            both.contains("give min_denominator or binomial_p, not both (the chance test already allows for a small denominator)")
        )
        let range = message("t.share", "{compare: last_year, absolute: 3, binomial_p: 0.5}")
        #expect(range.contains("binomial_p must be between 0 and 0.5"))
        let supplied = message("t.pct", "{compare: last_year, absolute: 3, binomial_p: 0.05}")
        #expect(
            supplied.contains(
                "binomial_p tests a percentage against chance; 't.pct' is not a percentage with its counts (derived: {kind: percent}, or of_count)"
            ))
        let count = message("t.count", "{compare: last_year, percent: 20, binomial_p: 0.05}")
        #expect(count.contains("'t.count' is not a percentage with its counts"))
        #expect(message("t.stable", "{compare: last_year, absolute: 3, binomial_p: 0.05}") == "no error")
        // The count must come with the percentage: supplied, for the same periods, by the same
        // partners (review helper-40: a derived count was not derived for a file's evaluation).
        let extra = """

              - {id: t.yearly, title: Yearly cohort, unit: count, periodicity: financial_year, partners: [council], priorities: [2]}
              - {id: t.ofyearly, title: Share of a yearly cohort, unit: percent, periodicity: month, partners: [council], priorities: [2], of_count: t.yearly}
              - {id: t.ofpolice, title: Share of a police count, unit: percent, periodicity: month, partners: [council], priorities: [2], of_count: t.count}
              - {id: t.ofderived, title: Share of a derived count, unit: percent, periodicity: month, partners: [council], priorities: [1], of_count: t.roll}
              - {id: t.shared, title: Count of two partners, unit: count, periodicity: month, partners: [council, police], priorities: [2]}
              - {id: t.ofshared, title: Share sent by two partners, unit: percent, periodicity: month, partners: [council, police], priorities: [2], of_count: t.shared}
            """
        let linked = try Catalogue.parse(yaml: Fixtures.catalogueYAML + extra, file: "catalogue.yaml")
        // Two partners on both: either's count would decide, and its receipt tell, the other's alert
        // (review helper-41).
        for (indicator, count) in [
            ("t.ofyearly", "t.yearly"), ("t.ofpolice", "t.count"), ("t.ofderived", "t.roll"), ("t.ofshared", "t.shared"),
        ] {
            let yaml =
                "rules:\n  - id: r1\n    kind: change\n    indicator: \(indicator)\n    priority: 1\n    params: {compare: previous, absolute: 3, binomial_p: 0.05}\n"
            let said: String
            do {
                _ = try RuleSet.parse(files: [("rules.yaml", yaml)], catalogue: linked)
                said = "no error"
            } catch {
                said = "\(error)"
            }
            let expected =
                "binomial_p needs of_count '\(count)' to be supplied for the same periods (month) by the one partner that sends '\(indicator)'"
            #expect(said.contains(expected), "\(said)")
        }
    }
}
