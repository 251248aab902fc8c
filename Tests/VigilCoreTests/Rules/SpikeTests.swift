import Testing

@testable import VigilCore

@Suite struct SpikeTests {
    @Test func earsC1OnTheMarch2012MissingIncidents() throws {
        let rule = try Fixtures.rule("spike", params: "{baseline: recent, periods: 7, min_periods: 7, k: 3.09, direction: up}")
        // Missing incidents Aug 2011–Mar 2012 (PSCB annual report 2012/13).
        let findings = Fixtures.findings(rule, Fixtures.monthly("2011-08", [9, 16, 19, 12, 4, 7, 24, 47]))
        #expect(Fixtures.statuses(findings) == "HHHHHHHB")
        let march = findings[7]
        #expect(march.expected == 13)
        #expect(march.explanation == "47 against a baseline mean of 13 (sd 7.1, 7 values 2011-08–2012-02): 4.8 sd above")
        #expect(abs(march.limits!.upper - (13 + 3.09 * (300.0 / 6).squareRoot())) < 1e-9)
    }

    @Test func zeroStandardDeviationUsesTheFloor() throws {
        let rule = try Fixtures.rule("spike", params: "{periods: 3, k: 3, min_sd: 1, direction: both}")
        // Flat baseline (sd 0): 13 is 3 sds above with the floor of 1, so it fires exactly at k; 12.9 does not.
        #expect(Fixtures.statuses(Fixtures.findings(rule, Fixtures.monthly("2013-01", [10, 10, 10, 13]))) == "HHHB")
        #expect(Fixtures.statuses(Fixtures.findings(rule, Fixtures.monthly("2013-01", [10, 10, 10, 12.9]))) == "HHHC")
    }

    @Test func guardBandSkipsTheMostRecentPeriods() throws {
        let rule = try Fixtures.rule("spike", params: "{periods: 3, guard: 2, k: 2, direction: up}")
        let findings = Fixtures.findings(rule, Fixtures.monthly("2013-01", [5, 6, 7, 50, 60, 20]))
        // At 2013-06 the baseline is 2013-01..2013-03 (skipping 2013-04 and 2013-05).
        #expect(findings[5].basis.map(\.description) == ["2013-01", "2013-02", "2013-03"])
        #expect(findings[5].status == .breach)
    }

    @Test func seasonalLowMonthsAreNeitherAlertedNorInTheBaseline() throws {
        let seasonal = try Fixtures.rule(
            "spike", "t.seasonal", params: "{periods: 6, min_periods: 3, k: 1.5, direction: down, seasonal: true}")
        let plain = try Fixtures.rule("spike", "t.seasonal", params: "{periods: 6, min_periods: 3, k: 1.5, direction: down}")
        // CAFs registered April–September 2012 (PSCB annual report 2012/13).
        let obs = Fixtures.monthly("2012-04", [26, 55, 44, 29, 17, 22], indicator: "t.seasonal")
        let withSeason = Fixtures.findings(seasonal, obs)
        let without = Fixtures.findings(plain, obs)
        #expect(Fixtures.statuses(withSeason) == "HHHHCB")
        #expect(Fixtures.statuses(without) == "HHHCBC")
        #expect(withSeason[4].explanation.hasSuffix("a low value is expected in this month (school holidays)"))
        #expect(withSeason[5].basis.map(\.description) == ["2012-05", "2012-06", "2012-07"])
        // The months passed over are named (review helper-54: August's 17, lower still, read as
        // forgotten); without seasonality no month is passed over for being low.
        #expect(withSeason[5].explanation.contains("3 values 2012-05–2012-07, leaving out 2012-08 (expected to be low)): "))
        #expect(!without.contains { $0.explanation.contains("(expected to be low)") })
        // Review helper-56: a month in the guard band is no month passed over for being low.
        let guarded = try Fixtures.rule(
            "spike", "t.seasonal", params: "{periods: 3, min_periods: 3, guard: 1, k: 1.5, direction: down, seasonal: true}")
        let september = Fixtures.findings(guarded, Fixtures.monthly("2012-05", [44, 40, 42, 17, 22], indicator: "t.seasonal"))
        #expect(september[4].explanation.contains("3 values 2012-05–2012-07): "))
    }

    /// Review helper-56: a month the rule found beyond its limit, passed over by a later
    /// baseline, is named too: the list of months left out is complete.
    @Test func aMonthBeyondTheLimitPassedOverIsNamed() throws {
        let rule = try Fixtures.rule("spike", params: "{periods: 3, min_periods: 3, k: 3, direction: up}")
        let findings = Fixtures.findings(rule, Fixtures.monthly("2013-01", [10, 11, 10, 40, 10]))
        #expect(Fixtures.statuses(findings) == "HHHBC")
        #expect(findings[4].explanation.contains("3 values 2013-01–2013-03, leaving out 2013-04 (beyond the limit)"))
    }

    @Test func seasonalBaselineUsesTheSameMonthInEarlierYears() throws {
        let rule = try Fixtures.rule(
            "spike", params: "{baseline: seasonal, years: 2, window: 1, min_periods: 4, k: 2, direction: up}")
        var values: [Double?] = Array(repeating: 10, count: 24)
        values[12] = 12  // January of the second year
        values += [10, 10, 30]  // March of the third year
        let findings = Fixtures.findings(rule, Fixtures.monthly("2011-01", values))
        #expect(findings.last?.status == .breach)
        #expect(findings.last?.basis.count == 6)
    }

    /// Counts are counts (issue 10): a steady baseline of small numbers is no evidence that a
    /// small move is news.
    @Test func aPoissonFloorKeepsSmallNumbersQuiet() throws {
        let plain = try Fixtures.rule("spike", params: "{periods: 6, k: 3, direction: up}")
        let counted = try Fixtures.rule("spike", params: "{periods: 6, k: 3, direction: up, poisson_floor: true}")
        let values: [Double?] = [10, 10, 11, 10, 9, 10, 14]
        #expect(Fixtures.findings(plain, Fixtures.monthly("2013-01", values)).last?.status == .breach)
        let judged = try #require(Fixtures.findings(counted, Fixtures.monthly("2013-01", values)).last)
        #expect(judged.status == .clear)
        #expect(judged.explanation.contains("(sd 3.2,"))  // √10, not the baseline's 0.6
    }

    /// A drop counts only when a Poisson count with the baseline mean would fall that low with
    /// probability at most `poisson_p`, and by at least `min_relative_change`: 22 against 43 is
    /// news, 38 against 53 is noise.
    @Test func aPoissonTailAndAMinimumChangeTellNewsFromNoise() throws {
        let rule = try Fixtures.rule(
            "spike",
            params: "{periods: 3, k: 1.5, direction: down, poisson_floor: true, poisson_p: 0.005, min_relative_change: 0.4}")
        #expect(Fixtures.findings(rule, Fixtures.monthly("2013-01", [40, 45, 43, 22])).last?.status == .breach)
        #expect(Fixtures.findings(rule, Fixtures.monthly("2013-01", [50, 55, 54, 38])).last?.status == .clear)
        // 30% down on a large mean is improbable under Poisson but below the minimum change.
        #expect(Fixtures.findings(rule, Fixtures.monthly("2013-01", [500, 510, 490, 350])).last?.status == .clear)
        #expect(abs(RuleEvaluator.countTail(22, mean: 128.0 / 3, below: true) - 0.000_377_954) < 1e-8)
        #expect(abs(RuleEvaluator.countTail(2, mean: 1, below: false) - 0.264_241) < 1e-6)
    }

    /// Over-dispersion (Farrington's quasi-Poisson idea): variance ÷ mean estimated from a longer
    /// history widens the sd floor and makes the exceedance test negative binomial.
    @Test func overDispersionFromALongerHistoryQuietsNoisyCounts() throws {
        // NB with mean 10 and variance 20 (size 10, p ½): P(X ≤ 2) = (1 + 10·½ + 55·¼) ÷ 2¹⁰.
        #expect(abs(RuleEvaluator.countTail(2, mean: 10, dispersion: 2, below: true) - 19.75 / 1024) < 1e-12)
        #expect(
            RuleEvaluator.countTail(2, mean: 10, dispersion: 1, below: true) == RuleEvaluator.countTail(2, mean: 10, below: true))
        // Twelve months swinging between 30 and 70, then a steady baseline of 50 (18 values: variance
        // 4800 ÷ 17 = 282.4, ÷ mean 50 = 5.6; sd 16.8) and a month of 78: improbable for Poisson
        // (p ≈ 0.0002), ordinary for this series (1.7 sd).
        let history: [Double] = [30, 70, 30, 70, 30, 70, 30, 70, 30, 70, 30, 70, 50, 50, 50, 50, 50, 50]
        let params = "{periods: 6, k: 3, poisson_floor: true, poisson_p: 0.005, direction: up"
        let poisson = try Fixtures.rule("spike", params: params + "}")
        #expect(Fixtures.findings(poisson, Fixtures.monthly("2012-01", history + [78])).last?.status == .breach)
        let dispersed = try Fixtures.rule("spike", params: params + ", dispersion_periods: 24}")
        let last = try #require(Fixtures.findings(dispersed, Fixtures.monthly("2012-01", history + [78])).last)
        #expect(last.status == .clear)
        #expect(
            last.explanation
                == "78 against a baseline mean of 50 (sd 16.8, 6 values 2013-01–2013-06, dispersion 5.6 from 18 values): 1.7 sd above"
        )
    }

    /// `baseline: auto`: the same months of earlier years once two are stored, recent values before.
    @Test func anAutoBaselineTurnsSeasonalOnceTwoYearsExist() throws {
        let rule = try Fixtures.rule(
            "spike", params: "{baseline: auto, years: 3, window: 0, periods: 3, min_periods: 2, k: 3, direction: down}")
        // Three years of 50 a month, except every September at 20.
        let values: [Double] = (0..<36).map { $0 % 12 == 8 ? 20 : 50 }
        let findings = Fixtures.findings(rule, Fixtures.monthly("2010-01", values))
        #expect(findings[20].status == .breach)  // September 2011: one earlier September, so the recent months
        #expect(
            findings[20].explanation.hasPrefix(
                "20 against a baseline mean of 50 (sd 1.0, 3 values 2011-06–2011-08): 30.0 sd below"))
        #expect(findings[32].status == .clear)  // September 2012: Septembers 2010 and 2011
        #expect(
            findings[32].explanation
                == "20 against a baseline mean of 20 (sd 1.0, 2 values 2010-09–2011-09, the same months of earlier years): 0.0 sd above"
        )
    }

    /// A hostile value must not make the exact tail sum one term per count: 10¹² is answered by
    /// the normal approximation, and a spike rule judges it like any other value.
    @Test func aHugeCountDoesNotCostOneStepPerCount() throws {
        #expect(RuleEvaluator.countTail(1e12, mean: 10, below: false) == 0)
        #expect(RuleEvaluator.countTail(0, mean: 1e12, dispersion: 2, below: true) == 0)
        #expect(abs(RuleEvaluator.countTail(10_000, mean: 10_000, below: false) - 0.5) < 0.01)
        let rule = try Fixtures.rule("spike", params: "{periods: 3, poisson_floor: true, poisson_p: 0.002, direction: up}")
        let findings = Fixtures.findings(rule, Fixtures.monthly("2013-01", [10, 12, 11, 1e12, 1e15]))
        #expect(findings[3].status == .breach)
        #expect(findings.count == 5)
    }

    /// `baseline_error`: the prediction's variance adds the baseline mean's own (÷ n), as in
    /// Farrington's algorithm, for the sd floor and the exact tail alike.
    @Test func theBaselineMeansOwnErrorWidensTheTest() throws {
        let params =
            "{periods: 7, min_periods: 7, k: 3.09, poisson_floor: true, poisson_p: 0.002, dispersion_periods: 24, direction: up"
        let known = try Fixtures.rule("spike", params: params + "}")
        let predicted = try Fixtures.rule("spike", params: params + ", baseline_error: true}")
        let seven = Array(repeating: 100.0, count: 7)
        // Known mean: sd √100 = 10, so 131 is 3.1 sd above and fires.
        #expect(Fixtures.findings(known, Fixtures.monthly("2012-01", seven + [131])).last?.status == .breach)
        // With the mean's own error: sd √(100 × 8/7) = 10.69; 133 is 3.087 sd (short of 3.09), 134 is 3.18.
        let short = Fixtures.findings(predicted, Fixtures.monthly("2012-01", seven + [133]))
        #expect(short.last?.status == .clear)
        #expect(
            short.last?.explanation
                == "133 against a baseline mean of 100 (sd 10.7, 7 values 2012-01–2012-07, dispersion 1.0 from 7 values, allowing for the baseline's own uncertainty): 3.1 sd above"
        )
        #expect(Fixtures.findings(predicted, Fixtures.monthly("2012-01", seven + [134])).last?.status == .breach)
        // The tail test too: after 3, 3, 3, 3, 2, 2, 2 (mean 2.57) a 9 passes k (3.75 sd) but its
        // negative binomial tail with variance 2.57 × 8/7 is 0.0031 > 0.002; as Poisson it was 0.0014.
        let small: [Double] = [3, 3, 3, 3, 2, 2, 2]
        #expect(Fixtures.findings(known, Fixtures.monthly("2012-01", small + [9])).last?.status == .breach)
        #expect(Fixtures.findings(predicted, Fixtures.monthly("2012-01", small + [9])).last?.status == .clear)
        #expect(Fixtures.findings(predicted, Fixtures.monthly("2012-01", small + [10])).last?.status == .breach)
    }

    /// A month the rule judged beyond its limit is left out of later baselines (Farrington's
    /// down-weighting of past outbreaks, as exclusion): a second high month is judged against the
    /// months before the first, not against a baseline the first one raised (review helper-23: the
    /// late October figure of 88 made November's 95 "Resolved" at 2.5 sd).
    @Test func aBreachedMonthStaysOutOfLaterBaselines() throws {
        let rule = try Fixtures.rule(
            "spike",
            params:
                "{periods: 7, min_periods: 7, k: 3.09, poisson_floor: true, poisson_p: 0.002, dispersion_periods: 24, baseline_error: true, direction: up}"
        )
        // Three years of steady months, then October 88 and November 95. The dispersion is still
        // estimated from every month, the 88 among them (a noisy series' high months are what
        // show its noise: leaving them out too raised the benchmark's false alarms by a tenth).
        let steady: [Double?] = (0..<35).map { [50, 48, 52, 49, 51, 50, 50][$0 % 7] }
        let findings = Fixtures.findings(rule, Fixtures.monthly("2009-11", steady + [88, 95]))
        #expect(findings[35].status == .breach)
        #expect(findings[36].status == .breach)
        #expect(
            findings[36].basis.map(\.description) == [
                "2012-03", "2012-04", "2012-05", "2012-06", "2012-07", "2012-08", "2012-09",
            ])
        #expect(
            findings[36].explanation
                == "95 against a baseline mean of 50 (sd 8.3, 7 values 2012-03–2012-09, leaving out 2012-10 (beyond the limit), dispersion 1.2 from 24 values, allowing for the baseline's own uncertainty): 5.5 sd above"
        )
    }

    /// At most `periods` breached months are passed over: a level that holds longer than a
    /// baseline is the new normal, and the alert resolves against it.
    @Test func aLevelThatHoldsLongerThanTheBaselineBecomesItsNewNormal() throws {
        let rule = try Fixtures.rule("spike", params: "{periods: 3, k: 2, direction: up}")
        let findings = Fixtures.findings(rule, Fixtures.monthly("2013-01", [10, 11, 9, 30, 30, 31, 30, 30]))
        #expect(Fixtures.statuses(findings) == "HHHBBBBC")
        #expect(findings[6].basis.map(\.description) == ["2013-01", "2013-02", "2013-03"])
        #expect(findings[7].basis.map(\.description) == ["2013-02", "2013-03", "2013-04"])
    }
}
