import Foundation

/// Whether one proportion is beyond chance against another: the two-proportion z-test with the
/// pooled estimate (Altman, *Practical Statistics for Medical Research*, 1991, §10.7.2). If both
/// came from the same proportion π, estimated by the pooled (x₁ + x₂) ÷ (n₁ + n₂), the difference
/// p₁ − p₂ is about normal with variance π(1 − π)(1 ÷ n₁ + 1 ÷ n₂). Successes need not be whole: a
/// supplied percentage of a cohort gives them as percentage × cohort ÷ 100. Used by the `change`
/// rules' `binomial_p` (review helper-36: a monthly percentage of a cohort of a hundred children
/// moves several points a year by chance).
enum TwoProportions {
    /// One side's counts: `successes` of `trials`.
    struct Counts: Equatable, Sendable {
        /// The numerator (the percentage × the trials ÷ 100 for a supplied percentage).
        var successes: Double
        /// The denominator, more than 0.
        var trials: Double
    }

    /// The one-sided p-value of the proportion `now` against `then`: P(Z ≥ z) when `up`, else
    /// P(Z ≤ z), z = (p_now − p_then) ÷ its pooled standard error. With no spread at all (the
    /// pooled proportion 0 or 1) the two are equal and nothing is beyond chance (1).
    static func pValue(now: Counts, then: Counts, up: Bool) -> Double {
        guard now.trials > 0, then.trials > 0 else { return 1 }
        let pNow = now.successes / now.trials
        let pThen = then.successes / then.trials
        let pooled = min(1, max(0, (now.successes + then.successes) / (now.trials + then.trials)))
        let se = (pooled * (1 - pooled) * (1 / now.trials + 1 / then.trials)).squareRoot()
        guard se > 0 else { return 1 }
        return tail((pNow - pThen) / se, up: up)
    }

    /// The one-sided p-value of a proportion against a fixed level π₀ (a fraction, 0 to 1): the
    /// score test, z = (p − π₀) ÷ √(π₀(1 − π₀) ÷ n), P(Z ≥ z) when `up`, else P(Z ≤ z) — a funnel
    /// plot's control limits around the level (Spiegelhalter, "Funnel plots for comparing
    /// institutional performance", *Statistics in Medicine* 24, 2005). A level of 0 or 1 has no
    /// spread: a proportion past it is beyond chance (0), else not (1).
    static func pValue(of counts: Counts, against level: Double, up: Bool) -> Double {
        guard counts.trials > 0 else { return 1 }
        let p = counts.successes / counts.trials
        let se = (level * (1 - level) / counts.trials).squareRoot()
        guard se > 0 else { return (up ? p > level : p < level) ? 0 : 1 }
        return tail((p - level) / se, up: up)
    }

    /// P(Z ≥ z) when `up`, else P(Z ≤ z), for a standard normal Z.
    private static func tail(_ z: Double, up: Bool) -> Double { 0.5 * erfc((up ? z : -z) / 2.0.squareRoot()) }
}
