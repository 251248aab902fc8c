import Foundation
import VigilCore

/// What no rule can beat: the detection a test that knows the baseline exactly could reach on a
/// planted event, for a given false-alarm budget.
///
/// Two references, both for a count whose clean mean and dispersion are known (a rule has to
/// estimate them from the series, so it does worse):
/// - **the ceiling** (Neyman–Pearson, onset known): the most powerful test of "no event" against
///   "this event from month t" on the event's window of w months, at the level a rule with B false
///   alarms per series-year can afford there, w × B ÷ 12 (a rule whose false alarms fall evenly
///   over the year has at most that chance of one in any w months). No rule that does not know
///   when an event starts can catch more; for a one-month event the bound is tight.
/// - **the ideal CUSUM** (onset unknown): Page's CUSUM on the exact log-likelihood ratio of the
///   event's level against the baseline, reset after each alarm, with its decision interval set
///   by simulation so it raises B false alarms per series-year; optimal for a change of known size
///   (Moustakides 1986, *Ann. Statist.* 14: 1379–1387). What a rule that knew the baseline and the
///   size of the change could do.
struct DetectionCeiling {
    /// A count with a known mean: Poisson (dispersion 1), or negative binomial with variance
    /// dispersion × mean, as `SyntheticCounts` draws them.
    struct CountModel: Sendable {
        /// Variance ÷ mean (1 for Poisson).
        var dispersion: Double

        /// The model of counts `SyntheticCounts` draws with this noise.
        init(_ noise: SyntheticCounts.Noise) {
            dispersion = noise == .poisson ? 1 : SyntheticCounts.dispersion
        }

        /// A model with this dispersion (1, or `SyntheticCounts.dispersion`, to be drawn from).
        init(dispersion: Double) { self.dispersion = dispersion }

        /// The noise `SyntheticCounts` draws these counts with.
        var noise: SyntheticCounts.Noise { dispersion > 1 ? .overdispersed : .poisson }

        /// log P(X = x) for a count with this mean.
        func logPMF(_ x: Int, mean: Double) -> Double {
            let k = Double(x)
            guard dispersion > 1 + 1e-9 else { return k * log(mean) - mean - lgamma(k + 1) }
            let r = mean / (dispersion - 1)
            return lgamma(k + r) - lgamma(r) - lgamma(k + 1) + r * log(1 / dispersion) + k * log(1 - 1 / dispersion)
        }

        /// A count large enough that the tail beyond it is negligible for these means.
        func support(_ means: Double...) -> Int {
            let m = means.max() ?? 0
            return Int(m + 25 * (dispersion * m).squareRoot() + 60)
        }
    }

    /// The most powerful (randomised) test of a one-period event at `level`: the chance that a
    /// count with mean `event` is caught when a count with mean `clean` is called an event with
    /// probability `level`. The likelihood ratio is monotone in the count for both models, so the
    /// test is a threshold on the count, above for a rise and below for a fall.
    static func onePeriod(_ model: CountModel, clean: Double, event: Double, level: Double) -> Double {
        let n = model.support(clean, event)
        let p0 = (0...n).map { exp(model.logPMF($0, mean: clean)) }
        let p1 = (0...n).map { exp(model.logPMF($0, mean: event)) }
        // Walk from the extreme end inwards, taking whole counts while the level allows, then a
        // share of the next.
        let order = event > clean ? Array((0...n).reversed()) : Array(0...n)
        var size = 0.0
        var power = 0.0
        for x in order {
            if size + p0[x] <= level {
                size += p0[x]
                power += p1[x]
            } else {
                power += p1[x] * (level - size) / p0[x]
                break
            }
        }
        return min(1, power)
    }

    /// The most powerful test of an event on a window of periods (the clean and event means per
    /// period, in order), estimated from `draws` simulated windows under each hypothesis: the
    /// statistic is the log-likelihood ratio, its threshold the clean windows' quantile at `level`
    /// (randomised at ties).
    static func window(
        _ model: CountModel, clean: [Double], event: [Double], level: Double, draws: Int, counts: inout SyntheticCounts
    ) -> Double {
        func statistic(_ means: [Double]) -> Double {
            clean.indices.reduce(0) { sum, i in
                let x = Int(counts.draw(means[i], model.noise))
                return sum + model.logPMF(x, mean: event[i]) - model.logPMF(x, mean: clean[i])
            }
        }
        let null = (0..<draws).map { _ in statistic(clean) }.sorted(by: >)
        let alternative = (0..<draws).map { _ in statistic(event) }
        let allowed = Int((level * Double(draws)).rounded(.down))
        guard allowed < draws else { return 1 }
        // Reject above c, and at c with the probability that spends the rest of the level.
        let c = null[allowed]
        let above = null.prefix(while: { $0 > c + 1e-9 }).count
        let tied = null.filter { abs($0 - c) <= 1e-9 }.count
        let share = tied > 0 ? max(0, level * Double(draws) - Double(above)) / Double(tied) : 0
        let caught = alternative.reduce(0.0) { sum, l in
            sum + (l > c + 1e-9 ? 1 : abs(l - c) <= 1e-9 ? min(1, share) : 0)
        }
        return caught / Double(draws)
    }
}
