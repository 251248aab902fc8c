/// Parses and validates each rule kind's `params`, reporting wrong types, unknown keys and
/// impossible combinations at their position.
enum RuleParameters {
    static let kinds = [
        "threshold", "target", "benchmark", "change", "spike", "spc", "cusum", "trend", "band", "quality", "overdue",
    ]

    /// `ofCount`: the indicator a supplied percentage's `of_count` names, if any (`binomial_p`
    /// tests against it).
    static func parse(
        kind: String, kindNode: YAMLNode, params: YAMLNode?, indicator: Indicator, rule: YAMLNode, ofCount: Indicator? = nil
    ) -> RuleKind? {
        let allowed: [String: Set<String>] = [
            "threshold": ["above", "below", "recovery", "min_denominator"],
            "target": ["tolerance_pct", "tolerance_points", "use_latest", "direction"],
            "benchmark": ["against", "tolerance_pct", "tolerance_points", "use_latest", "direction"],
            "change": ["compare", "percent", "absolute", "min_count", "direction", "window", "poisson_p", "binomial_p"],
            "spike": [
                "baseline", "periods", "min_periods", "guard", "years", "window", "k", "min_sd", "direction", "seasonal",
                "poisson_floor", "min_relative_change", "poisson_p", "dispersion_periods", "baseline_error",
            ],
            "spc": [
                "baseline_periods", "shift_length", "trend_length", "tests", "signal", "min_points", "rebase",
                "improvement_severity", "min_mean", "chance_floor", "autocorrelation_z",
            ],
            "cusum": [
                "periods", "min_periods", "guard", "k", "h", "min_sd", "poisson_floor", "max_run", "direction",
                "dispersion_periods", "min_mean", "autocorrelation_z", "max_z",
            ],
            "trend": ["periods", "direction", "min_change_pct"],
            "band": ["low", "high", "basis", "min_denominator", "binomial_p"],
            "quality": ["check", "dimensions", "tolerance", "periods", "fraction", "min_median"],
            "overdue": ["days", "gap_days"],
        ]
        guard let keys = allowed[kind] else {
            kindNode.error("unknown rule kind '\(kind)'; expected one of: \(kinds.joined(separator: ", "))", code: .rule)
            return nil
        }
        let node = params ?? rule
        let p: YAMLFields?
        if let params {
            p = YAMLFields(params, "\(kind) params", allowed: keys)
        } else {
            p = nil
        }
        func number(_ key: String) -> Double? { p?[key]?.double(key) }
        func int(_ key: String, _ fallback: Int, min: Int, max: Int = 120) -> Int {
            guard let n = p?[key]?.int(key) else { return fallback }
            if n < min { p?[key]?.error("\(key) must be at least \(min)", code: .rule) }
            if n > max { p?[key]?.error("\(key) must be at most \(max)", code: .rule) }
            return Swift.min(Swift.max(n, min), max)
        }
        func direction(_ fallback: Direction) -> Direction {
            p?["direction"].flatMap { Catalogue.parseEnum($0, Direction.self, "direction") } ?? fallback
        }
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
        // The counts behind a percentage, for `key`: a derived percentage's, or a supplied one's
        // `of_count` supplied with it. The count must come with the percentage: supplied, for the
        // same periods, by the one partner that sends it (review helper-40: a derived count was
        // not derived for a file's evaluation; helper-41: a second partner's count decided, and
        // its receipt carried, the first partner's alert).
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
        // `binomial_p` (change, band): a chance test on the counts behind a percentage.
        func binomialP() -> Double? {
            let q = number("binomial_p")
            if let q, q <= 0 || q >= 0.5 {
                p?["binomial_p"]?.error("binomial_p must be between 0 and 0.5", code: .rule)
            }
            if q != nil { countsBehindPercentage("binomial_p", "tests a percentage against chance") }
            return q
        }
        // `chance_floor` (spc): a count's, or a percentage's with its counts.
        func chanceFloor() -> Bool {
            guard p?["chance_floor"]?.bool("chance_floor") == true else { return false }
            if indicator.unit != .count {
                countsBehindPercentage("chance_floor", "needs a count or a percentage with its counts")
            }
            return true
        }
        // `autocorrelation_z` on `spc`: r comes from the values before the rule first judges, or
        // from the baseline, so one of them must be set.
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
        // `autocorrelation_z` (spc, cusum): standard errors of lag-1 autocorrelation.
        func autocorrelationZ() -> Double? {
            let z = number("autocorrelation_z")
            if let z, z < 0 || z > 5 {
                p?["autocorrelation_z"]?.error("autocorrelation_z must be from 0 to 5 (standard errors)", code: .rule)
            }
            return z
        }
        // A percentage Vigil derives knows its counts; any other value has none to compare.
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
        switch kind {
        case "threshold":
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
            return .threshold(
                .init(
                    direction: up ? .up : .down, warning: warning, critical: critical, recovery: recovery,
                    minDenominator: minDenominator()))
        case "target", "benchmark":
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
        case "change":
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
            return .change(
                .init(
                    compare: compare, percent: percent, absolute: absolute, minCount: number("min_count") ?? 0,
                    direction: direction(.worse), window: window, poissonP: poissonP, binomialP: binomialP))
        case "spike":
            let baseline = choice("baseline", ["recent", "seasonal", "auto"], "recent") ?? "recent"
            let periods = int("periods", 7, min: 1)
            let minPeriods = int("min_periods", min(3, periods), min: 1)
            if minPeriods > periods && baseline != "seasonal" {
                p?["min_periods"]?.error("min_periods (\(minPeriods)) cannot exceed periods (\(periods))", code: .rule)
            }
            if baseline != "recent" && indicator.periodicity == .snapshot {
                node.error("a seasonal baseline needs a regular periodicity, not snapshots", code: .rule)
            }
            let k = number("k") ?? 3.09
            if k <= 0 { p?["k"]?.error("k must be positive", code: .rule) }
            let seasonal = p?["seasonal"]?.bool("seasonal") ?? false
            if seasonal && indicator.seasonality == nil {
                p?["seasonal"]?.error("indicator '\(indicator.id)' declares no seasonality in the catalogue", code: .rule)
            }
            let poissonP = number("poisson_p")
            if let q = poissonP, q <= 0 || q >= 0.5 {
                p?["poisson_p"]?.error("poisson_p must be a probability above 0 and below 0.5", code: .rule)
            }
            let minRelative = number("min_relative_change") ?? 0
            if minRelative < 0 || minRelative >= 10 {
                p?["min_relative_change"]?.error("min_relative_change must be a fraction from 0 to 10 (0.4 = 40%)", code: .rule)
            }
            return .spike(
                .init(
                    baseline: baseline, periods: periods, minPeriods: minPeriods, guardPeriods: int("guard", 0, min: 0),
                    years: int("years", 3, min: 1, max: 20), window: int("window", 1, min: 0, max: 6), k: k,
                    minSD: number("min_sd") ?? 1,
                    direction: direction(.worse), seasonal: seasonal,
                    poissonFloor: p?["poisson_floor"]?.bool("poisson_floor") ?? false, minRelativeChange: minRelative,
                    poissonP: poissonP,
                    dispersionPeriods: p?["dispersion_periods"] == nil ? nil : int("dispersion_periods", 24, min: 6, max: 120),
                    baselineError: p?["baseline_error"]?.bool("baseline_error") ?? false))
        case "spc":
            let all = ["outside_limits", "shift", "trend", "two_of_three"]
            let tests = p?["tests"]?.strings("tests") ?? all
            for t in tests where !all.contains(t) {
                p?["tests"]?.error("unknown SPC test '\(t)'; expected: \(all.joined(separator: ", "))", code: .rule)
            }
            let baseline = p?["baseline_periods"]?.int("baseline_periods")
            if let b = baseline, b < 6 { p?["baseline_periods"]?.error("baseline_periods must be at least 6", code: .rule) }
            var rebase: [CivilDate] = []
            if let rebaseNode = p?["rebase"] {
                let entries: [YAMLNode]
                if case .scalar = rebaseNode.node {
                    entries = [rebaseNode]
                } else {
                    entries = rebaseNode.sequence("rebase") ?? []
                }
                for entry in entries {
                    guard let text = entry.string("a rebase date") else { continue }
                    guard let period = Period(parsing: text) else {
                        entry.error("rebase '\(text)' is not a period or date; expected e.g. 2013-01 or 2013-01-01", code: .rule)
                        continue
                    }
                    rebase.append(period.start)
                }
                if rebase != rebase.sorted() { rebaseNode.error("rebase dates must be in order, earliest first", code: .rule) }
            }
            let improvementSeverity =
                p?["improvement_severity"].flatMap { Catalogue.parseEnum($0, Severity.self, "improvement_severity") } ?? .info
            return .spc(
                .init(
                    baselinePeriods: baseline, shiftLength: int("shift_length", 7, min: 2),
                    trendLength: int("trend_length", 7, min: 2),
                    tests: tests, signal: choice("signal", ["concern", "improvement", "any"], "concern") ?? "concern",
                    minPoints: p?["min_points"] == nil ? nil : int("min_points", 6, min: 6), rebase: rebase.sorted(),
                    improvementSeverity: improvementSeverity, minMean: number("min_mean"),
                    chanceFloor: chanceFloor(), autocorrelationZ: spcAutocorrelationZ()))
        case "cusum":
            let k = number("k") ?? 0.5
            if k < 0 { p?["k"]?.error("k must be at least 0", code: .rule) }
            let h = number("h") ?? 4
            if h <= 0 { p?["h"]?.error("h must be positive", code: .rule) }
            let periods = int("periods", 12, min: 3)
            let minPeriods = int("min_periods", periods, min: 3)
            if minPeriods > periods {
                p?["min_periods"]?.error("min_periods (\(minPeriods)) cannot exceed periods (\(periods))", code: .rule)
            }
            let autocorrelationZ = autocorrelationZ()
            let maxZ = number("max_z")
            if let maxZ, maxZ <= max(0, k) {
                p?["max_z"]?.error(
                    "max_z must be greater than k (\(formatNumber(k, decimals: 2))): no period could add to the sums", code: .rule
                )
            }
            return .cusum(
                .init(
                    periods: periods, minPeriods: min(minPeriods, periods), guardPeriods: int("guard", 2, min: 0), k: max(0, k),
                    h: h, minSD: number("min_sd") ?? 1,
                    poissonFloor: p?["poisson_floor"]?.bool("poisson_floor") ?? false,
                    maxRun: int("max_run", periods, min: 1), direction: direction(.worse),
                    dispersionPeriods: p?["dispersion_periods"] == nil ? nil : int("dispersion_periods", 24, min: 6, max: 120),
                    minMean: number("min_mean"), autocorrelationZ: autocorrelationZ, maxZ: maxZ))
        case "trend":
            guard p?["periods"] != nil else {
                node.error("a trend rule needs params.periods (consecutive rises or falls)", code: .rule)
                return nil
            }
            let minChange = number("min_change_pct")
            if let m = minChange, m <= 0 { p?["min_change_pct"]?.error("min_change_pct must be positive", code: .rule) }
            return .trend(.init(periods: int("periods", 3, min: 1), direction: direction(.worse), minChangePercent: minChange))
        case "band":
            let low = number("low")
            let high = number("high")
            if low == nil && high == nil { node.error("a band rule needs params.low or params.high", code: .rule) }
            if let l = low, let h = high, l >= h { node.error("band low \(l) must be below high \(h)", code: .rule) }
            let binomialP = binomialP()
            let minimum = minDenominator()
            if binomialP != nil && minimum != nil {
                // The hold would come first and keep a small MARAC's rate, however far outside the
                // range, from ever being judged (review helper-41).
                p?["binomial_p"]?.error(
                    "give min_denominator or binomial_p, not both (the chance test already allows for a small denominator)",
                    code: .rule)
            }
            return .band(
                .init(
                    low: low, high: high, basis: p?["basis"]?.string("basis"), minDenominator: minimum,
                    binomialP: binomialP))
        case "quality":
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
        default:  // overdue
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
}
