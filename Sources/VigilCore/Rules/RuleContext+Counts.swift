extension RuleContext {
    /// The count a percentage is of, when its counts can be known: a derived one's denominator, a
    /// supplied one's `of_count`; nil for anything else (`binomial_p` needs one).
    static func count(of indicator: Indicator) -> String? {
        if case .percent(_, let denominator) = indicator.derivation { return denominator }
        return indicator.unit == .percent && indicator.derivation == nil ? indicator.ofCount : nil
    }

    /// The words a finding held within chance by `binomial_p` says (`change`: two proportions;
    /// `threshold` and `band`: one against a level or bound), which a retraction looks for.
    static let withinChanceWords = (
        two: "within chance for percentages of", one: "within chance for a percentage of",
        variable: "within chance for counts this size and this variable", counts: "within chance for counts this size"
    )

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
        let successes = value / 100 * trials
        // One period's count must be able to make the percentage, within one percentage point
        // (rounded, rounded twice or truncated to a whole percent: review helper-49, 23 of 26
        // sent as 89% was refused at half a point): 52% "of 1" would hold any fall within chance
        // (review helper-48, a partner sending both).
        if periods.count == 1, abs(successes - successes.rounded()) > 0.01 * trials + 1e-9 {
            throw .noWholeCount(trials)
        }
        return .init(successes: successes, trials: trials)
    }
}

/// Why a percentage's movement could not be tested against chance: the words the finding adds.
enum ChanceUntested: Error {
    /// The count it is a percentage of is not known (not sent, 0 or a marker) for a side.
    case unknown
    /// The percentage is outside 0–100%: no counts could make it.
    case impossible
    /// No whole number of one period's count (this) makes the percentage, within one percentage
    /// point (52% of 1).
    case noWholeCount(Double)

    /// The caveat the finding's explanation ends with: `change` compares periods, `threshold`
    /// and `band` judge one (`onePeriod`; review helper-48: "the periods compared" read oddly on
    /// a month judged against a level).
    func caveat(onePeriod: Bool = false) -> String {
        switch self {
        case .unknown:
            "; not tested against chance: the count it is a percentage of is not known for \(onePeriod ? "this period" : "the periods compared")"
        case .impossible: "; not tested against chance: a percentage outside 0–100% has no counts that could make it"
        case .noWholeCount(let count):
            "; not tested against chance: no whole number of a count of \(formatNumber(count, decimals: 0)) makes this percentage"
        }
    }
}
