/// The readers of the rule kinds that judge a value against the variation of earlier ones.
extension RuleParameterReader {
    /// `spike`: a recent, seasonal or automatic baseline, its k and its floors.
    func spike() -> RuleKind {
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
    }

    /// `spc`: the tests, the baseline and its phases, and the limits' floors.
    func spc() -> RuleKind {
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
    }

    /// `cusum`: k, h, the baseline and its floors.
    func cusum() -> RuleKind {
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
    }
}
