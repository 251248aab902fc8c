/// Reads one rule's `params` for its kind: typed values with their defaults and limits, every
/// wrong value reported at its position. The readers of each kind are in
/// `RuleParameterReader+Levels.swift` and `RuleParameterReader+Statistics.swift`.
struct RuleParameterReader {
    /// The rule kind's name, as written.
    let kind: String
    /// The `params` mapping, nil when the rule has none.
    let p: YAMLFields?
    /// Where errors about the parameters as a whole go: `params`, or the rule when it has none.
    let node: YAMLNode
    /// The rule's own node, for errors about the rule as a whole.
    let rule: YAMLNode
    /// The indicator the rule watches.
    let indicator: Indicator
    /// The indicator a supplied percentage's `of_count` names, if any (`binomial_p` and
    /// `chance_floor` test against it).
    let ofCount: Indicator?

    /// A number, if given.
    func number(_ key: String) -> Double? { p?[key]?.double(key) }
    /// An integer within min...max (reported and clamped when outside), or the fallback.
    func int(_ key: String, _ fallback: Int, min: Int, max: Int = 120) -> Int {
        guard let n = p?[key]?.int(key) else { return fallback }
        if n < min { p?[key]?.error("\(key) must be at least \(min)", code: .rule) }
        if n > max { p?[key]?.error("\(key) must be at most \(max)", code: .rule) }
        return Swift.min(Swift.max(n, min), max)
    }
    /// `direction`, or the kind's default.
    func direction(_ fallback: Direction) -> Direction {
        p?["direction"].flatMap { Catalogue.parseEnum($0, Direction.self, "direction") } ?? fallback
    }
    /// One of `options`; a missing key is reported when there is no fallback.
    func choice(_ key: String, _ options: [String], _ fallback: String?) -> String? {
        guard let valueNode = p?[key] else {
            if fallback == nil {
                node.error("\(kind) rule needs params.\(key) (one of: \(options.joined(separator: ", ")))", code: .rule)
            }
            return fallback
        }
        guard let value = valueNode.string(key) else { return nil }
        if !options.contains(value) {
            valueNode.error("unknown \(key) '\(value)'; expected one of: \(options.joined(separator: ", "))", code: .rule)
        }
        return value
    }
    /// The counts behind a percentage, for `key`: a derived percentage's, or a supplied one's
    /// `of_count` supplied with it. The count must come with the percentage: supplied, for the
    /// same periods, by the one partner that sends it (review helper-40: a derived count was
    /// not derived for a file's evaluation; helper-41: a second partner's count decided, and
    /// its receipt carried, the first partner's alert).
    func countsBehindPercentage(_ key: String, _ use: String) {
        if RuleContext.count(of: indicator) == nil {
            p?[key]?.error(
                "\(key) \(use); '\(indicator.id)' is not a percentage with its counts (derived: {kind: percent}, or of_count)",
                code: .rule)
        } else if indicator.derivation == nil, let count = ofCount,
            count.derivation != nil || count.periodicity != indicator.periodicity || indicator.partners.count != 1
                || count.partners != indicator.partners
        {
            p?[key]?.error(
                "\(key) needs of_count '\(count.id)' to be supplied for the same periods (\(indicator.periodicity.rawValue)) by the one partner that sends '\(indicator.id)'",
                code: .rule)
        }
    }
    /// `binomial_p` (threshold, change, band): a chance test on the counts behind a percentage.
    func binomialP() -> Double? {
        let q = number("binomial_p")
        if let q, q <= 0 || q >= 0.5 {
            p?["binomial_p"]?.error("binomial_p must be between 0 and 0.5", code: .rule)
        }
        if q != nil { countsBehindPercentage("binomial_p", "tests a percentage against chance") }
        return q
    }
    /// `chance_floor` (spc): a count's, or a percentage's with its counts.
    func chanceFloor() -> Bool {
        guard p?["chance_floor"]?.bool("chance_floor") == true else { return false }
        if indicator.unit != .count {
            countsBehindPercentage("chance_floor", "needs a count or a percentage with its counts")
        }
        return true
    }
    /// `autocorrelation_z` on `spc`: r comes from the values before the rule first judges, or
    /// from the baseline, so one of them must be set.
    func spcAutocorrelationZ() -> Double? {
        let z = autocorrelationZ()
        let window = p?["baseline_periods"]?.int("baseline_periods") ?? p?["min_points"]?.int("min_points").map { $0 - 1 }
        if z != nil && window == nil {
            p?["autocorrelation_z"]?.error(
                "autocorrelation_z needs min_points or baseline_periods: the correlation is estimated from the values before the rule first judges, or from the baseline",
                code: .rule)
        } else if z != nil, let window, window < 9 {
            // Below 9 values a lag-1 correlation cannot pass even one standard error reliably
            // (its largest value is 0.50 at 5 values, 0.71 at 7: review helper-43).
            p?["autocorrelation_z"]?.error(
                "autocorrelation_z needs at least 9 values to estimate the correlation from (min_points 10 or more, or baseline_periods 9 or more); this rule has \(window)",
                code: .rule)
        }
        return z
    }
    /// `autocorrelation_z` (spc, cusum): standard errors of lag-1 autocorrelation.
    func autocorrelationZ() -> Double? {
        let z = number("autocorrelation_z")
        if let z, z < 0 || z > 5 {
            p?["autocorrelation_z"]?.error("autocorrelation_z must be from 0 to 5 (standard errors)", code: .rule)
        }
        return z
    }
    /// A percentage Vigil derives knows its counts; any other value has none to compare.
    func minDenominator() -> Double? {
        guard let m = number("min_denominator") else { return nil }
        if m <= 0 { p?["min_denominator"]?.error("min_denominator must be positive", code: .rule) }
        if case .percent = indicator.derivation {
        } else {
            p?["min_denominator"]?.error(
                "min_denominator needs an indicator Vigil derives as a percentage; '\(indicator.id)' is not", code: .rule)
        }
        return m
    }
}
