/// The readers of the rule kinds that compare a value with a level, a reference or an earlier
/// value, and of the data checks.
extension RuleParameterReader {
    /// `threshold`: exactly one of `above` or `below`, with a warning or a critical level.
    func threshold() -> RuleKind? {
        let above = p?["above"]
        let below = p?["below"]
        if (above == nil) == (below == nil) {
            node.error("a threshold rule needs exactly one of params.above or params.below", code: .rule)
            return nil
        }
        let levelsNode = (above ?? below)!
        guard let levels = YAMLFields(levelsNode, "threshold levels", allowed: ["warning", "critical"]) else { return nil }
        let warning = levels["warning"]?.double("warning level")
        let critical = levels["critical"]?.double("critical level")
        if warning == nil && critical == nil {
            levelsNode.error("threshold levels need a warning or a critical value", code: .rule)
        }
        let up = above != nil
        if let w = warning, let c = critical, up ? c < w : c > w {
            levelsNode.error(
                "the critical level \(c) must be \(up ? "at or above" : "at or below") the warning level \(w)", code: .rule)
        }
        let recovery = number("recovery")
        if let r = recovery, let w = warning ?? critical, up ? r > w : r < w {
            p?["recovery"]?.error(
                "recovery \(r) must be on the safe side of the level \(w) (\(up ? "below" : "above") it)", code: .rule)
        }
        let binomialP = binomialP()
        let minimum = minDenominator()
        eitherMinDenominatorOrBinomialP(minimum, binomialP)
        return .threshold(
            .init(
                direction: up ? .up : .down, warning: warning, critical: critical, recovery: recovery,
                minDenominator: minimum, binomialP: binomialP))
    }

    /// `target` and `benchmark`: a tolerance and the reference values the catalogue must hold.
    func reference() -> RuleKind {
        let against =
            kind == "benchmark"
            ? choice("against", RuleKind.Benchmark.allCases.map(\.rawValue), nil).flatMap(RuleKind.Benchmark.init(rawValue:))
            : nil
        let pct = number("tolerance_pct")
        let points = number("tolerance_points")
        if pct != nil && points != nil { node.error("give tolerance_pct or tolerance_points, not both", code: .rule) }
        if let t = pct ?? points, t < 0 { node.error("a tolerance cannot be negative", code: .rule) }
        let values =
            kind == "target" ? indicator.targets : against == .england ? indicator.england : indicator.statisticalNeighbours
        if values.isEmpty {
            rule.error(
                "indicator '\(indicator.id)' has no \(kind == "target" ? "targets" : against?.rawValue ?? "benchmark") values in the catalogue, so this rule could never fire",
                code: .rule)
        }
        let reference = RuleKind.Reference(
            against: against, tolerancePercent: pct, tolerancePoints: points,
            useLatest: p?["use_latest"]?.bool("use_latest") ?? false, direction: direction(.worse))
        return kind == "target" ? .target(reference) : .benchmark(reference)
    }

    /// `change`: against the previous period or the same period last year, by a percent or an amount.
    func change() -> RuleKind {
        let compare = choice("compare", ["previous", "last_year"], nil) ?? "previous"
        let percent = number("percent")
        let absolute = number("absolute")
        if percent == nil && absolute == nil {
            node.error("a change rule needs params.percent or params.absolute (or both)", code: .rule)
        }
        let window = int("window", 1, min: 1, max: 12)
        if window > 1 && compare != "last_year" {
            p?["window"]?.error("window needs compare: last_year (the same periods a year earlier)", code: .rule)
        } else if let perYear = indicator.periodicity.periodsPerYear, window > perYear {
            // A longer window would take in the year before on both sides (review helper-32).
            p?["window"]?.error(
                "window must be at most \(perYear) for indicator '\(indicator.id)' (\(perYear) period\(perYear == 1 ? "" : "s") a year)",
                code: .rule)
        }
        let poissonP = number("poisson_p")
        if let q = poissonP, q <= 0 || q >= 0.5 {
            p?["poisson_p"]?.error("poisson_p must be between 0 and 0.5", code: .rule)
        }
        if poissonP != nil && indicator.unit != .count {
            p?["poisson_p"]?.error(
                "poisson_p compares counts; '\(indicator.id)' is a \(indicator.unit.rawValue)", code: .rule)
        }
        let binomialP = binomialP()
        var dispersionPeriods: Int?
        if p?["dispersion_periods"] != nil {
            dispersionPeriods = int("dispersion_periods", 24, min: 6, max: 120)
            if poissonP == nil {
                p?["dispersion_periods"]?.error("dispersion_periods needs poisson_p (the chance test it widens)", code: .rule)
            }
        }
        return .change(
            .init(
                compare: compare, percent: percent, absolute: absolute, minCount: number("min_count") ?? 0,
                direction: direction(.worse), window: window, poissonP: poissonP, binomialP: binomialP,
                dispersionPeriods: dispersionPeriods))
    }

    /// `trend`: consecutive rises or falls.
    func trend() -> RuleKind? {
        guard p?["periods"] != nil else {
            node.error("a trend rule needs params.periods (consecutive rises or falls)", code: .rule)
            return nil
        }
        let minChange = number("min_change_pct")
        if let m = minChange, m <= 0 { p?["min_change_pct"]?.error("min_change_pct must be positive", code: .rule) }
        return .trend(.init(periods: int("periods", 3, min: 1), direction: direction(.worse), minChangePercent: minChange))
    }

    /// `band`: an expected range, with a floor or a chance test for a small denominator.
    func band() -> RuleKind {
        let low = number("low")
        let high = number("high")
        if low == nil && high == nil { node.error("a band rule needs params.low or params.high", code: .rule) }
        if let l = low, let h = high, l >= h { node.error("band low \(l) must be below high \(h)", code: .rule) }
        let binomialP = binomialP()
        let minimum = minDenominator()
        eitherMinDenominatorOrBinomialP(minimum, binomialP)
        return .band(
            .init(
                low: low, high: high, basis: p?["basis"]?.string("basis"), minDenominator: minimum,
                binomialP: binomialP))
    }

    /// `min_denominator` and `binomial_p` (threshold, band) are alternatives: the hold would come
    /// first and keep a small MARAC's rate, however far outside the range, from ever being judged
    /// (review helper-41).
    func eitherMinDenominatorOrBinomialP(_ minimum: Double?, _ binomialP: Double?) {
        guard binomialP != nil && minimum != nil else { return }
        p?["binomial_p"]?.error(
            "give min_denominator or binomial_p, not both (the chance test already allows for a small denominator)",
            code: .rule)
    }

    /// `quality`: one data check.
    func quality() -> RuleKind {
        // An unknown or missing check has been reported; `impossible` only keeps the rest of the checks going.
        let check =
            choice("check", RuleKind.Check.allCases.map(\.rawValue), nil).flatMap(RuleKind.Check.init(rawValue:))
            ?? .impossible
        let dimensions = p?["dimensions"]?.strings("dimensions") ?? []
        for d in dimensions where !indicator.dimensions.contains(d) {
            p?["dimensions"]?.error("'\(indicator.id)' has no '\(d)' breakdown", code: .rule)
        }
        if check == .breakdownSum && indicator.dimensions.isEmpty {
            node.error("'\(indicator.id)' has no breakdowns to sum", code: .rule)
        }
        if check == .cumulative && indicator.periodicity != .month {
            node.error(
                "the cumulative check needs a monthly indicator; '\(indicator.id)' is reported \(indicator.periodicity.phrase)",
                code: .rule)
        }
        let fraction = number("fraction") ?? 0.2
        if !(0..<1).contains(fraction) { p?["fraction"]?.error("fraction must be at least 0 and below 1", code: .rule) }
        let periods = int("periods", 4, min: check == .flatline ? 2 : 1)
        return .quality(
            .init(
                check: check, dimensions: dimensions, tolerance: number("tolerance") ?? 0, periods: periods,
                fraction: fraction, minMedian: number("min_median") ?? 10))
    }

    /// `overdue`: days after a supplied feed's period ends.
    func overdue() -> RuleKind? {
        if indicator.periodicity == .snapshot {
            rule.error("an overdue rule needs a regular periodicity; '\(indicator.id)' is reported as snapshots", code: .rule)
        }
        if indicator.derivation != nil {
            rule.error("an overdue rule watches a supplied feed; '\(indicator.id)' is derived", code: .rule)
        }
        guard p?["days"] != nil else {
            node.error("an overdue rule needs params.days (days after the period ends)", code: .rule)
            return nil
        }
        return .overdue(
            .init(
                days: int("days", 30, min: 0, max: 3660),
                gapDays: int("gap_days", RuleKind.Overdue.defaultGapDays, min: 0, max: 3660)))
    }
}
