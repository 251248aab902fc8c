#if canImport(Glibc)
    import Glibc
#endif

/// Student's t distribution, for a test whose scale was estimated: a count's over-dispersion from
/// n earlier values has n − 1 degrees of freedom, and a test that took it as known would reject
/// more often than its level (review helper-52: 0.009 at a nominal 0.005 from 24 values, 0.027
/// from 6). The regularized incomplete beta by its continued fraction (Press et al., *Numerical
/// Recipes*, 3rd ed., §6.4) and the normal quantile by Acklam's rational approximation refined by
/// one Halley step; both checked against SciPy (`StudentTTests`).
enum StudentT {
    /// P(T > t) for T with `degrees` degrees of freedom.
    static func upperTail(_ t: Double, degrees: Double) -> Double {
        guard t.isFinite else { return t > 0 ? 0 : 1 }
        let half = 0.5 * incompleteBeta(degrees / (degrees + t * t), degrees / 2, 0.5)
        return t >= 0 ? half : 1 - half
    }

    /// The t whose upper tail under the same test on the normal scale is `p`: the z with P(Z > z)
    /// = p, read on the t scale (`upperTail(z(upperTail: p), degrees:)`).
    static func z(upperTail p: Double) -> Double {
        if p <= 0 { return .infinity }
        if p >= 1 { return -.infinity }
        return -lowerNormalQuantile(p)
    }

    /// The x with P(Z ≤ x) = p for a standard normal Z (0 < p < 1).
    static func lowerNormalQuantile(_ p: Double) -> Double {
        let a = [
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
            -3.066479806614716e+01, 2.506628277459239e+00,
        ]
        let b = [
            -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
            -1.328068155288572e+01,
        ]
        let c = [
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
            4.374664141464968e+00, 2.938163982698783e+00,
        ]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        func tail(_ q: Double) -> Double {
            (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1)
        }
        var x: Double
        if p < 0.02425 {
            x = tail((-2 * log(p)).squareRoot())
        } else if p > 1 - 0.02425 {
            x = -tail((-2 * log(1 - p)).squareRoot())
        } else {
            let q = p - 0.5
            let r = q * q
            x =
                (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        }
        // One Halley step on the exact normal tail, where it can be taken: past p ≈ 1e-310 the
        // density underflows (exp(x²/2) overflows) and the step would be NaN, which read as "p 1"
        // (review helper-53: a year from 3,098 to 6,900 was within chance).
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        let step = u / (1 + x * u / 2)
        if step.isFinite { x -= step }
        return x
    }

    /// The regularized incomplete beta I_x(a, b).
    static func incompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log(1 - x))
        if x < (a + 1) / (a + b + 2) { return front * continuedFraction(x, a, b) / a }
        return 1 - front * continuedFraction(1 - x, b, a) / b
    }

    /// The incomplete beta's continued fraction, by the modified Lentz method.
    private static func continuedFraction(_ x: Double, _ a: Double, _ b: Double) -> Double {
        let tiny = 1e-300
        func guarded(_ v: Double) -> Double { abs(v) < tiny ? tiny : v }
        var c = 1.0
        var d = 1 / guarded(1 - (a + b) * x / (a + 1))
        var h = d
        for step in 1...400 {
            let m = Double(step)
            let even = m * (b - m) * x / ((a - 1 + 2 * m) * (a + 2 * m))
            d = 1 / guarded(1 + even * d)
            c = guarded(1 + even / c)
            h *= d * c
            let odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 1 + 2 * m))
            d = 1 / guarded(1 + odd * d)
            c = guarded(1 + odd / c)
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return h
    }
}
