import Testing

@testable import VigilCore

/// `change` with `dispersion_periods`: the chance test of two counts allows for counts that vary
/// more than Poisson counts do (quasi-Poisson: both counts divided by variance ÷ mean), estimated
/// from the months before the judged period: a yearly total's from its input's months. Figures
/// from SciPy 1.17 (`binom.sf(k - 1, n, 0.5)`) on the counts divided and rounded.
@Suite struct ChangeDispersionTests {
    /// Peterborough's missing incidents, 2010-04 to 2013-03 (222, 209 and 272 a year).
    static let peterborough: [Double?] = [
        7, 24, 27, 26, 18, 18, 26, 16, 20, 20, 12, 8, 23, 25, 13, 10, 9, 16, 19, 12, 4, 7, 24, 47,
        7, 17, 38, 17, 23, 30, 31, 25, 24, 26, 14, 20,
    ]

    @Test func aYearsRiseOnMonthsThatVaryThisMuchIsWithinChance() throws {
        let params = "{compare: last_year, percent: 25, poisson_p: 0.005, direction: up, dispersion_periods: 24}"
        let rule = try Fixtures.rule("change", "t.fy", params: params)
        let findings = Fixtures.findings(rule, Fixtures.monthly("2010-04", Self.peterborough))
        #expect(Fixtures.statuses(findings) == "HCC")
        // The 24 months before 2012/13 vary 4.8 times as much as Poisson counts (mean 17.96,
        // variance 86.65): 272 and 209 are judged as 56 and 43, p 0.1138, read on t with 23
        // degrees of freedom (the dispersion is an estimate): 0.1199.
        #expect(
            findings[2].explanation
                == "up 63 (30.1%): 272 against 209 at the same period last year (2011/12); within chance for counts this size and this variable (p 0.120, above 0.005; variance 4.8 × the mean, from 24 earlier months of the counts it sums, allowing for the estimate's own uncertainty)"
        )
        // Without it, as Poisson counts (p 0.0023), the rise the report named fires.
        let poisson = try Fixtures.rule(
            "change", "t.fy", params: "{compare: last_year, percent: 25, poisson_p: 0.005, direction: up}")
        #expect(Fixtures.statuses(Fixtures.findings(poisson, Fixtures.monthly("2010-04", Self.peterborough))) == "HCB")
    }

    @Test func aRiseOnSteadyMonthsIsBeyondChanceAndSaysHowVariableTheyWere() throws {
        let params = "{compare: last_year, percent: 25, poisson_p: 0.005, direction: up, dispersion_periods: 24}"
        let rule = try Fixtures.rule("change", "t.fy", params: params)
        let months = [Double?](repeating: 20, count: 24) + [Double?](repeating: 26, count: 12)
        let findings = Fixtures.findings(rule, Fixtures.monthly("2010-04", months))
        #expect(Fixtures.statuses(findings) == "HCB")
        // Months that never vary are taken as Poisson counts (variance ÷ mean at least 1):
        // 312 against 240, p 0.00124; on t with 23 degrees of freedom 0.0030. They vary no more
        // than Poisson counts, so "this size", not "this variable" (review helper-53).
        #expect(
            findings[2].explanation
                == "up 72 (30.0%): 312 against 240 at the same period last year (2011/12); beyond chance for counts this size (p 0.003; variance at most the mean, from 24 earlier months of the counts it sums, allowing for the estimate's own uncertainty)"
        )
        // A rolling sum's spread is its input months', not its own overlapping values (review
        // helper-52).
        let rolling = try Fixtures.rule(
            "change", "t.roll",
            params: "{compare: last_year, percent: 25, poisson_p: 0.005, direction: up, dispersion_periods: 24}")
        let sums = Fixtures.findings(rolling, Fixtures.monthly("2010-04", months))
        #expect(
            sums.last?.explanation.hasSuffix(
                "from 24 earlier months of the counts it sums, allowing for the estimate's own uncertainty)")
                == true)
    }

    /// A series judged against its own earlier values, with too few of them to estimate how much
    /// they vary: tested as Poisson counts, and said.
    @Test func tooFewEarlierValuesAreTestedAsPoissonCountsAndSaid() throws {
        let rule = try Fixtures.rule(
            "change", params: "{compare: previous, percent: 25, poisson_p: 0.2, direction: up, dispersion_periods: 12}")
        let findings = Fixtures.findings(rule, Fixtures.monthly("2013-01", [20, 30, 15, 20]))
        #expect(Fixtures.statuses(findings) == "HBCC")
        // 30 against 20: p 0.1013.
        #expect(
            findings[1].explanation
                == "up 10 (50.0%): 30 against 20 at the previous period (2013-01); beyond chance for counts this size (p 0.101; as Poisson counts: 1 earlier month, too few to estimate how much they vary (6 needed))"
        )
        // 20 against 15 is 33% up: p 0.2498 (3 earlier values).
        #expect(
            findings[3].explanation
                == "up 5 (33.3%): 20 against 15 at the previous period (2013-03); within chance for counts this size (p 0.250, above 0.200; as Poisson counts: 3 earlier months, too few to estimate how much they vary (6 needed))"
        )
    }

    @Test func dispersionPeriodsNeedPoissonP() throws {
        #expect(throws: (any Error).self) {
            try Fixtures.rule("change", params: "{compare: last_year, percent: 25, dispersion_periods: 24}")
        }
        #expect(throws: (any Error).self) {
            try Fixtures.rule("change", params: "{compare: last_year, percent: 25, poisson_p: 0.01, dispersion_periods: 3}")
        }
    }
}
