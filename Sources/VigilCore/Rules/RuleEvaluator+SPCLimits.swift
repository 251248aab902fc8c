extension RuleEvaluator {
    /// The words a finding says about what set its limits, which a retraction looks for: not
    /// checked against chance (a percentage whose count is not known), or set by chance alone.
    static let spcLimitWords = (untested: "limits not checked against chance", chance: "limits set by chance alone")

    /// Whether an SPC cause (or a finding's explanation) is one the limits decide: outside them,
    /// or two of three near them; trends and shifts do not use them.
    static func limitDecided(_ text: String) -> Bool { text.contains("process limit") || text.contains("near the") }

    /// A phase's lag-1 autocorrelation for `autocorrelation_z`, corrected for a short series and
    /// at most 0.9 (r′), and the factor 1 ÷ √(1 − r′), when r is beyond z standard errors.
    /// Estimated once, from the values before the rule first judges (`min_points` − 1 of them) or
    /// from the `baseline_periods` values, so a real change the chart is judging cannot widen its
    /// own limits (review helper-42: a lasting rise, taken into r, resolved its own alert while
    /// the rate stood at its new level).
    static func correlation(_ p: RuleKind.SPC, _ values: [Double]) -> (r: Double, factor: Double)? {
        guard let z = p.autocorrelationZ, let window = p.baselinePeriods ?? p.minPoints.map({ $0 - 1 }),
            values.count >= window, let measured = significantAutocorrelation(values.prefix(window), z: z)
        else { return nil }
        // A short series reads r low: by about (1 + 4ρ) ÷ n for this estimator (n − 1 products
        // over n squares; Marriott and Pope 1954's (1 + 3ρ) ÷ n is for r × n ÷ (n − 1)): 0.43
        // on average for a stock whose ρ is 0.88 at n = 11 (review helper-43, by simulation).
        // Corrected: ρ̂ = (n r + 1) ÷ (n − 4).
        let n = Double(window)
        let r = min((n * measured + 1) / (n - 4), 0.9)
        return (r, 1 / (1 - r).squareRoot())
    }

    /// The distance from the mean to each process limit: 2.66 × the mean moving range, widened
    /// for the phase's correlated neighbours (`autocorrelation_z`), and at least 3 × chance's sd
    /// (`chance_floor`); with the words that name what set it, put into words only if a finding's
    /// explanation is read (`true`: a breach with a cause the limits decide, which adds that it
    /// may be chance when the limits were not checked against it).
    static func limitWidth(
        _ p: RuleKind.SPC, _ mean: Double, _ mr: Double, _ phase: SPCPhase, _ baseCount: Int, _ c: RuleContext
    ) -> (width: Double, words: @Sendable (Bool) -> String) {
        var width = xmrConstant * mr
        if let correlation = phase.correlation { width *= correlation.factor }
        var chance: (sd: Double, of: Double?)?
        var untested = false
        if p.chanceFloor {
            if c.indicator.unit == .count {
                chance = (max(0, mean).squareRoot(), nil)
            } else if let n = phase.recentCohort(upTo: baseCount) {
                // The share by Agresti and Coull's "plus four" (1998), the sd of one period's
                // percentage of n: at 100% of 20 it is 6.2 points, not 0, and a cohort of one
                // cannot make a special cause (review helper-42; helper-43: over n, not n + 4,
                // which is the interval's and narrower than chance).
                let share = (min(max(mean, 0), 100) / 100 * n + 2) / (n + 4)
                chance = (100 * (share * (1 - share) / n).squareRoot(), n)
            } else {
                untested = true
            }
        }
        let floored = chance.map { 3 * $0.sd > width + epsilon } ?? false
        if floored { width = 3 * chance!.sd }
        let (correlation, set, unknown) = (phase.correlation, floored ? chance : nil, untested)
        let words: @Sendable (Bool) -> String = { breach in
            // Only what set the limits is named (review helper-42: a widening the floor replaced
            // was still claimed).
            if let set {
                let size =
                    set.of.map { "about \(c.format(mean)) of a count of \(formatNumber($0, decimals: 0))" }
                    ?? "a count averaging \(c.format(mean))"
                let unit = set.of == nil ? "" : " points"
                return
                    "; \(spcLimitWords.chance): \(size) varies by about \(formatNumber(set.sd, decimals: 1))\(unit) either way when nothing changes, and the limits are three times that"
            }
            var text =
                correlation.map {
                    "; limits widened ×\(formatNumber($0.factor, decimals: 2)) because each value closely follows the one before (correlation \(formatNumber($0.r, decimals: 2)))"
                } ?? ""
            if unknown {
                text +=
                    "; \(spcLimitWords.untested): the count it is a percentage of is not known\(breach ? ", so this may be chance" : "")"
            }
            return text
        }
        return (width, words)
    }
}

/// One phase of an XmR chart: its values, with running sums of them and of their moving ranges
/// so that each point's limits need no re-summing of its baseline. The sums are added in the
/// order summing each baseline afresh would add them, so the limits are the same to the last bit.
struct SPCPhase {
    /// The phase's values, oldest first.
    var values: [Double] = []
    /// `valueSums[n]`: the sum of the first n values.
    var valueSums: [Double] = [0]
    /// `rangeSums[n]`: the sum of the first n moving ranges (|x₁ − x₀|, …).
    var rangeSums: [Double] = [0]
    /// `cohortSums[n]`: the sum of the known counts (above 0) a percentage is of, over the first
    /// n values' periods (`chance_floor`).
    var cohortSums: [Double] = [0]
    /// `cohortCounts[n]`: how many of the first n values' periods have such a count.
    var cohortCounts: [Int] = [0]
    /// The lag-1 autocorrelation and the factor that widens the limits, once known.
    var correlation: (r: Double, factor: Double)?

    /// The periods `recentCohort` looks at: the baseline's last year of months.
    static let cohortWindow = 12

    /// The mean known count a percentage is of over the last `cohortWindow` of the first
    /// `count` periods, when it is known for at least half of them; nil otherwise. Half, so one
    /// stray count of 1 among none cannot set the floor (review helper-45: chance's sd 49 points,
    /// limits ±147); the recent periods, so a board that starts sending the count after years
    /// without it gets the floor within a year, not once the count covers half its history
    /// (review helper-47: a chart without `baseline_periods` judges against every value so far).
    func recentCohort(upTo count: Int) -> Double? {
        let window = min(Self.cohortWindow, count)
        let from = count - window
        let known = cohortCounts[count] - cohortCounts[from]
        guard known > 0, 2 * known >= window else { return nil }
        return (cohortSums[count] - cohortSums[from]) / Double(known)
    }

    /// Adds the next value, with the count it is a percentage of for its period when known.
    mutating func append(_ x: Double, cohort: Double? = nil) {
        if let last = values.last { rangeSums.append(rangeSums[rangeSums.count - 1] + abs(x - last)) }
        valueSums.append(valueSums[valueSums.count - 1] + x)
        values.append(x)
        cohortSums.append(cohortSums[cohortSums.count - 1] + (cohort ?? 0))
        cohortCounts.append(cohortCounts[cohortCounts.count - 1] + (cohort == nil ? 0 : 1))
    }
}
