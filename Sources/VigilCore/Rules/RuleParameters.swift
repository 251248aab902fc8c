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
            "threshold": ["above", "below", "recovery", "min_denominator", "binomial_p"],
            "target": ["tolerance_pct", "tolerance_points", "use_latest", "direction"],
            "benchmark": ["against", "tolerance_pct", "tolerance_points", "use_latest", "direction"],
            "change": [
                "compare", "percent", "absolute", "min_count", "direction", "window", "poisson_p", "binomial_p",
                "dispersion_periods",
            ],
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
        let reader = RuleParameterReader(
            kind: kind, p: p, node: node, rule: rule, indicator: indicator, ofCount: ofCount)
        switch kind {
        case "threshold": return reader.threshold()
        case "target", "benchmark": return reader.reference()
        case "change": return reader.change()
        case "spike": return reader.spike()
        case "spc": return reader.spc()
        case "cusum": return reader.cusum()
        case "trend": return reader.trend()
        case "band": return reader.band()
        case "quality": return reader.quality()
        default: return reader.overdue()
        }
    }
}
