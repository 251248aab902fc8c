/// How much a count's periods vary against Poisson counts of the same mean (variance ÷ mean, at
/// least 1), for `change` rules with `dispersion_periods`: estimated from up to that many values
/// before the judged periods, of the series itself or, for a yearly total (`period_sum`), of the
/// periods it sums, since a sum of independent periods varies as they do (variance φ × mean of
/// each, so φ × mean of the sum; a rolling sum's likewise). Fewer than 6 values: taken as Poisson
/// counts (1), and said.
struct CountSpread: Sendable {
    /// Variance ÷ mean, at least 1 (1 when not estimated).
    var value: Double
    /// How many values it is estimated from.
    var values: Int
    /// Whether there were enough values (6) to estimate it.
    var estimated: Bool
    /// The indicator the values are of, when not the judged series' own (a yearly total's input).
    var source: String?
    /// What one value is: `month`, `calendar quarter`, … (`value` when none was read).
    var noun = "value"

    /// The spread of the values before `start` (the earliest judged period's start), up to
    /// `count` of them.
    static func before(
        _ start: CivilDate, count: Int, series: SeriesKey, points: [SeriesPoint], context c: RuleContext
    ) -> CountSpread {
        // A sum of periods varies as they do: its own overlapping values (a rolling sum's) would
        // understate it (review helper-52: a 12-month sum at φ 4.8 read as 2.2).
        let source = summed(by: c.indicator)
        let values = source.map { c.dataset.points(SeriesKey(indicator: $0, breakdown: series.breakdown)) } ?? points
        let end = values.firstIndex { $0.period.start >= start } ?? values.count
        let estimate = RuleEvaluator.dispersion(values, before: end, count: count)
        var spread = CountSpread(
            value: estimate.value, values: estimate.values, estimated: estimate.estimated, source: source)
        if let periodicity = values.first?.period.periodicity { spread.noun = periodicity.noun }
        return spread
    }

    /// The indicator whose periods `indicator` sums (a yearly or rolling total's input), whose
    /// spread is the total's; nil for a series judged on its own values.
    static func summed(by indicator: Indicator) -> String? {
        switch indicator.derivation {
        case .periodSum(let input), .rollingSum(let input, _): return input
        default: return nil
        }
    }

    /// Whether the counts were found to vary more than Poisson counts: what the chance test then
    /// allows for, and says (`counts this variable`); at most as much, `counts this size`.
    var isVariable: Bool { estimated && value > 1 + RuleEvaluator.epsilon }

    /// The words a finding's chance test adds: `variance 4.8 × the mean, from 24 earlier months
    /// of the counts it sums`, or why it was taken as Poisson: a chair reads months, not the
    /// input's id (review helper-53).
    var words: String {
        let from = "\(values) earlier \(noun)\(values == 1 ? "" : "s")" + (source == nil ? "" : " of the counts it sums")
        guard estimated else {
            return "as Poisson counts: \(from)" + (values < 6 ? ", too few to estimate how much they vary (6 needed)" : ", all 0")
        }
        let variance = value <= 1 ? "variance at most the mean" : "variance \(formatNumber(value, decimals: 1)) × the mean"
        return variance + ", from \(from), allowing for the estimate's own uncertainty"
    }

    /// The one-sided p of a test made on counts divided by this spread: when estimated, read on
    /// Student's t with one degree of freedom fewer than the values it is from, as the spread is
    /// an estimate (review helper-52: taken as known, 0.009 at a nominal 0.005 from 24 values).
    func adjusted(_ p: Double) -> Double {
        guard estimated else { return p }
        return StudentT.upperTail(StudentT.z(upperTail: p), degrees: Double(values - 1))
    }
}
