import Foundation

/// Whether one count is beyond chance against another of equal exposure: the conditional test of
/// two Poisson counts (Przyborowski and Wilenski 1940). If both come from the same rate, the first
/// of two counts whose total is n is Binomial(n, ½), so the chance of a first count at least as
/// far from n ÷ 2 in the watched direction is a binomial tail. Exact to 5,000 in all; past that
/// the normal approximation with a continuity correction.
enum TwoCounts {
    /// The one-sided p-value of `now` against `then`: P(X ≥ now) with X ~ Binomial(now + then, ½)
    /// when `up`, else P(X ≤ now). Counts are rounded to whole numbers; negative ones are 0.
    static func pValue(now: Double, then: Double, up: Bool) -> Double {
        let x = max(0, Int(now.rounded()))
        let y = max(0, Int(then.rounded()))
        // P(X ≤ x) is P(Y ≥ y) by symmetry: one upper tail serves both directions.
        return up ? upperTail(x, x + y) : upperTail(y, x + y)
    }

    /// P(X ≥ k) for X ~ Binomial(n, ½).
    static func upperTail(_ k: Int, _ n: Int) -> Double {
        guard k > 0 else { return 1 }
        guard k <= n else { return 0 }
        if n > 5000 {
            let z = (Double(k) - 0.5 - Double(n) / 2) / (Double(n) / 4).squareRoot()
            return 0.5 * erfc(z / 2.0.squareRoot())
        }
        let logAll = lgamma(Double(n) + 1) + Double(n) * log(0.5)
        var sum = 0.0
        for j in k...n { sum += exp(logAll - lgamma(Double(j) + 1) - lgamma(Double(n - j) + 1)) }
        return min(1, sum)
    }
}
