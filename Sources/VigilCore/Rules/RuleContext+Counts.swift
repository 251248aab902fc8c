extension RuleContext {
    /// The count a percentage is of, when its counts can be known: a derived one's denominator, a
    /// supplied one's `of_count`; nil for anything else (`binomial_p` needs one).
    static func count(of indicator: Indicator) -> String? {
        if case .percent(_, let denominator) = indicator.derivation { return denominator }
        return indicator.unit == .percent && indicator.derivation == nil ? indicator.ofCount : nil
    }

    /// The words a finding held within chance by `binomial_p` says (`change`: two proportions;
    /// `band`: one against a bound), which a retraction looks for.
    static let withinChanceWords = (two: "within chance for percentages of", one: "within chance for a percentage of")

    /// The counts behind a percentage `value` (the mean over `periods` when it is a window's): the
    /// trials are the mean of the count it is of over those of the periods where that count is
    /// known and above 0 (a cohort counted once, not once a month; a month without it, late or
    /// not sent, is passed over), the successes `value` ÷ 100 × the trials, so the test's
    /// direction is the movement's. Throws `ChanceUntested` saying why not.
    func proportion(_ value: Double, _ series: SeriesKey, _ periods: [Period]) throws(ChanceUntested)
        -> TwoProportions.Counts
    {
        guard value >= 0 && value <= 100 else { throw .impossible }
        guard let count = Self.count(of: indicator) else { throw .unknown }
        let key = SeriesKey(indicator: count, breakdown: series.breakdown)
        let known = periods.compactMap { dataset.point(key, $0)?.number }.filter { $0 > 0 }
        guard !known.isEmpty else { throw .unknown }
        let trials = known.reduce(0, +) / Double(known.count)
        return .init(successes: value / 100 * trials, trials: trials)
    }
}

/// Why a percentage's movement could not be tested against chance: the words the finding adds.
enum ChanceUntested: Error {
    /// The count it is a percentage of is not known (not sent, 0 or a marker) for a side.
    case unknown
    /// The percentage is outside 0–100%: no counts could make it.
    case impossible

    /// The caveat the finding's explanation ends with.
    var caveat: String {
        switch self {
        case .unknown: "; not tested against chance: the count it is a percentage of is not known for the periods compared"
        case .impossible: "; not tested against chance: a percentage outside 0–100% has no counts that could make it"
        }
    }
}
