extension RuleContext {
    /// Whether a percentage's counts can be known: derived from two counts, or supplied with the
    /// count it is of (`of_count`).
    static func hasCounts(_ indicator: Indicator) -> Bool {
        if case .percent = indicator.derivation { return true }
        return indicator.unit == .percent && indicator.derivation == nil && indicator.ofCount != nil
    }

    /// The counts behind this rule's percentage at a period of a series, for the chance test of two
    /// proportions: a derived percentage's numerator and denominator; a supplied one's `of_count`
    /// as the trials and the percentage of it as the successes. Nil when a count was not sent.
    func proportion(_ series: SeriesKey, _ period: Period) -> TwoProportions.Counts? {
        if let counts = share(series, period) {
            return counts.denominator > 0 ? .init(successes: counts.numerator, trials: counts.denominator) : nil
        }
        guard indicator.unit == .percent, indicator.derivation == nil, let of = indicator.ofCount,
            let value = dataset.point(series, period)?.number,
            let trials = dataset.point(SeriesKey(indicator: of, breakdown: series.breakdown), period)?.number,
            trials > 0
        else { return nil }
        return .init(successes: value / 100 * trials, trials: trials)
    }

    /// The counts behind the mean of a percentage over some periods: the mean of the successes and
    /// of the trials (a cohort counted once, not once a month: the same children are in each
    /// month's figure). Nil when any period's counts were not sent.
    func proportion(_ series: SeriesKey, _ periods: [Period]) -> TwoProportions.Counts? {
        guard !periods.isEmpty else { return nil }
        var successes = 0.0
        var trials = 0.0
        for period in periods {
            guard let counts = proportion(series, period) else { return nil }
            successes += counts.successes
            trials += counts.trials
        }
        let n = Double(periods.count)
        return .init(successes: successes / n, trials: trials / n)
    }
}
