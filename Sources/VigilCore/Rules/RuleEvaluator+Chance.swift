/// The one-proportion chance test `threshold` and `band` share (`binomial_p`): is a percentage
/// past a level beyond chance for the count it is a percentage of?
extension RuleEvaluator {
    /// What the test says of a value past a level.
    enum OneProportionVerdict: Equatable {
        /// Beyond chance, or no test asked for: judged as it stands.
        case beyond
        /// Within chance: the words a clear finding ends with, after "but ".
        case within(String)
        /// Not tested (the count unknown, or no counts could make the value): judged as it
        /// stands, with this caveat appended.
        case untested(String)
    }

    /// Tests `value` (a percent) past `level` (a percent) in the direction `up` against chance
    /// at one-sided p `limit` (nil: no test), with the counts of `series` in `period`: the score
    /// test of one proportion (`TwoProportions.pValue(of:against:up:)`), a funnel plot's test.
    static func oneProportion(
        _ value: Double, past level: Double, up: Bool, limit: Double?, _ series: SeriesKey, _ period: Period,
        _ c: RuleContext
    ) -> OneProportionVerdict {
        guard let limit else { return .beyond }
        do throws(ChanceUntested) {
            let counts = try c.proportion(value, series, [period])
            let chance = TwoProportions.pValue(of: counts, against: level / 100, up: up)
            guard chance > limit + epsilon else { return .beyond }
            return .within(
                "\(RuleContext.withinChanceWords.one) \(formatNumber(counts.trials, decimals: 0)) (p \(pText(chance, against: limit)), above \(pText(limit, against: chance)))"
            )
        } catch {
            return .untested(error.caveat(onePeriod: true))
        }
    }
}
