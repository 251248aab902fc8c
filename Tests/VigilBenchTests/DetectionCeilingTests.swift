import Testing
import VigilCore

@testable import vigil_bench

/// The ceilings `vigil-bench alert-quality --ceiling` prints: the most powerful test against
/// values computed independently with SciPy (`scipy.stats.poisson`, `nbinom`, version 1.17), the
/// simulated window test against the exact one where a sum is sufficient, and the ideal CUSUM's
/// arithmetic by hand.
@Suite struct DetectionCeilingTests {
    let poisson = DetectionCeiling.CountModel(dispersion: 1)
    let overdispersed = DetectionCeiling.CountModel(dispersion: 2)
    let monthly = 0.1 / 12

    @Test func aOneMonthSpikeCeilingIsTheRandomisedNeymanPearsonPower() {
        // Poisson 10 → 20: reject at 19 and above, and at 18 with the rest of the level.
        #expect(abs(DetectionCeiling.onePeriod(poisson, clean: 10, event: 20, level: monthly) - 0.632226825315947) < 1e-9)
        // Negative binomial, variance 2 × mean, 50 → 100.
        #expect(
            abs(DetectionCeiling.onePeriod(overdispersed, clean: 50, event: 100, level: monthly) - 0.9601266522269247)
                < 1e-9)
    }

    @Test func aCollapseIsTestedInTheLowerTail() {
        #expect(abs(DetectionCeiling.onePeriod(poisson, clean: 20, event: 8, level: monthly) - 0.7735894753481685) < 1e-9)
    }

    @Test func aStricterLevelNeverCatchesMore() {
        let levels = [0.001, 0.002, 0.005, 0.01, 0.05]
        let powers = levels.map { DetectionCeiling.onePeriod(overdispersed, clean: 20, event: 40, level: $0) }
        #expect(powers == powers.sorted())
        #expect(powers.first! > 0 && powers.last! < 1)
    }

    @Test func theSimulatedWindowTestMatchesTheExactOneWhereTheSumIsSufficient() {
        // Poisson counts around 10 rising to 15 for three months: the likelihood ratio is a
        // function of their sum, Poisson(30) against Poisson(45), whose exact power at 0.025 is
        // 0.70737 (SciPy). 20,000 draws each way: a standard error of about 0.004.
        var counts = SyntheticCounts(rng: SplitMix64(seed: 7))
        let simulated = DetectionCeiling.window(
            poisson, clean: [10, 10, 10], event: [15, 15, 15], level: 0.025, draws: 20_000, counts: &counts)
        #expect(abs(simulated - 0.7073683690801789) < 0.015)
        #expect(abs(DetectionCeiling.onePeriod(poisson, clean: 30, event: 45, level: 0.025) - 0.7073683690801789) < 1e-9)
    }

    @Test func theIdealCUSUMAddsLogLikelihoodRatiosAndRestartsAfterAnAlarm() {
        // Poisson 10 → 20: each count adds x · ln 2 − 10. 30 adds 10.79 (an alarm at h 1, then 0);
        // each 15 adds 0.397, so the third reaches 1.19.
        let cusum = DetectionCeiling.IdealCUSUM(poisson, mean: 10, factor: 2)
        #expect(abs(cusum.ratio(30) - (30 * 0.6931471805599453 - 10)) < 1e-9)
        #expect(cusum.alarms([30, 15, 15, 15], h: 1) == [0, 3])
        // Without the restart: 10.79, 11.19, 11.59, 11.98.
        #expect(cusum.alarms([30, 15, 15, 15], h: 11.5) == [2])
        #expect(cusum.alarms([30, 15, 15, 15], h: 12) == [])
        // A low count never takes the sum below 0.
        #expect(cusum.alarms([0, 15, 15, 15], h: 1) == [3])
    }

    @Test func theIdealCUSUMIsSetToSpendTheBudgetAndNoMore() {
        var counts = SyntheticCounts(rng: SplitMix64(seed: 11))
        let clean = (0..<300).map { _ in (0..<48).map { _ in Int(counts.draw(20, .overdispersed)) } }
        let cusum = DetectionCeiling.IdealCUSUM(overdispersed, mean: 20, factor: 1.5)
        let h = cusum.calibrated(clean, budget: 0.1, from: 12)
        #expect(cusum.falseAlarmRate(clean, h: h, from: 12) <= 0.1)
        #expect(cusum.falseAlarmRate(clean, h: h - 0.002, from: 12) > 0.1)
    }
}
