import Foundation
import VigilCore

/// Random counts for the alert-quality simulation: Poisson, and over-dispersed (negative binomial
/// as a gamma–Poisson mixture), from a seeded generator so every run is the same.
struct SyntheticCounts {
    /// The noise a series is drawn with.
    enum Noise: String, CaseIterable, Sendable {
        /// Variance = mean.
        case poisson
        /// Variance = `dispersion` × mean (quasi-Poisson φ), as counts of people who come in
        /// families, or months with a busy week, are.
        case overdispersed
    }

    /// Variance ÷ mean for over-dispersed noise.
    static let dispersion = 2.0

    var rng: SplitMix64

    /// A count around `mean` with the given noise.
    mutating func draw(_ mean: Double, _ noise: Noise) -> Double {
        switch noise {
        case .poisson: return Double(poisson(mean))
        case .overdispersed:
            // λ ~ Gamma(shape m/(φ−1), scale φ−1): mean m, and X | λ ~ Poisson(λ) has variance φ·m.
            let scale = Self.dispersion - 1
            return Double(poisson(gamma(shape: mean / scale) * scale))
        }
    }

    /// A Poisson draw (Knuth's method below 500, normal approximation above).
    /// Binomial(n, p): how many of n children stay, one draw each.
    mutating func binomial(_ n: Int, _ p: Double) -> Double {
        var k = 0
        for _ in 0..<max(0, n) where Double.random(in: 0..<1, using: &rng) < p { k += 1 }
        return Double(k)
    }

    mutating func poisson(_ mean: Double) -> Int {
        if mean > 500 { return max(0, Int((mean + mean.squareRoot() * normal()).rounded())) }
        let limit = exp(-mean)
        var k = 0
        var p = 1.0
        repeat {
            k += 1
            p *= Double.random(in: 0..<1, using: &rng)
        } while p > limit
        return k - 1
    }

    /// A standard normal draw (Box–Muller).
    mutating func normal() -> Double {
        let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
        let v = Double.random(in: 0..<1, using: &rng)
        return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
    }

    /// A Gamma(shape, 1) draw (Marsaglia and Tsang 2000; shape < 1 boosted by U^(1/shape)).
    mutating func gamma(shape: Double) -> Double {
        if shape < 1 {
            let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
            return gamma(shape: shape + 1) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }
}
