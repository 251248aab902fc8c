extension RuleEvaluator {
    /// `cusum`: Page's cumulative sum of standardised departures from a reference level.
    ///
    /// The reference (mean and sd) comes from up to `periods` numeric values before the judged
    /// one, after `guard` values (at least `minPeriods`, or the finding holds); it is frozen while
    /// a departure lasts, so a slow climb cannot drag its own baseline along. Upward: S = max(0,
    /// S + z − k); downward likewise with −z. A watched sum at or above `h` is a breach. After
    /// `maxRun` periods away the new level becomes the reference (the sums restart), so a lasting
    /// change alerts once and then resolves. Once in alarm, a sum back under `h` holds while the
    /// value is still beyond the reference mean: the alert resolves at the first value back at or
    /// past the mean, not when the departure merely eases, and the sums restart there, so one
    /// departure is one alert.
    static func cusum(_ p: RuleKind.CUSUM, _ rule: Rule, _ points: [SeriesPoint], _ c: RuleContext) -> [Finding] {
        let direction = p.direction.resolved(c.indicator.polarity)
        var up = 0.0
        var down = 0.0
        var run = 0
        var alarmed = false
        var reference: (mean: Double, sd: Double, basis: [Period], note: String)?
        var findings: [Finding] = []
        // The sum is written to the decision interval's own precision (h 4.25: two decimals), so a
        // sum just short of it never reads as equal to it.
        let places = (p.h * 10).rounded() == p.h * 10 ? 1 : 2
        for (i, point) in points.enumerated() {
            guard let v = point.number else {
                findings.append(censored(point))
                continue
            }
            if up == 0 && down == 0 {
                // A fresh reference from the values before, after the guard.
                var window: [SeriesPoint] = []
                var j = i - 1 - p.guardPeriods
                while j >= 0 && window.count < p.periods {
                    if points[j].number != nil { window.append(points[j]) }
                    j -= 1
                }
                guard window.count >= p.minPeriods else {
                    let have = window.count
                    reference = nil
                    findings.append(
                        Finding(
                            period: point.period, status: .hold, value: v,
                            explanation: "only \(have) reference values; \(p.minPeriods) needed", unjudged: .history))
                    continue
                }
                let (mean, rawSD) = meanAndSD(window.compactMap(\.number))
                if let floor = p.minMean, mean < floor - epsilon {
                    reference = nil
                    findings.append(
                        Finding(
                            period: point.period, status: .hold, value: v,
                            explanation:
                                "a reference mean of \(c.format(mean)) is below \(c.format(floor)): a sustained change in counts this small is not judged",
                            unjudged: .small))
                    continue
                }
                var sd = max(rawSD, p.minSD, p.poissonFloor ? max(0, mean).squareRoot() : 0)
                var note = ""
                if let n = p.dispersionPeriods {
                    // Quasi-Poisson: sd = √(φ × mean), φ from a longer history than the window.
                    let estimate = dispersion(points, before: i - p.guardPeriods, count: n)
                    sd = max(p.minSD, (estimate.value * max(0, mean)).squareRoot())
                    note = ", dispersion \(formatNumber(estimate.value, decimals: 1)) from \(estimate.values) values"
                }
                if let z = p.autocorrelationZ, let widened = correlationWidening(window.compactMap(\.number), z: z) {
                    sd *= widened.factor
                    note +=
                        ", month-to-month correlation \(formatNumber(widened.r, decimals: 2)), so the scale is widened ×\(formatNumber(widened.factor, decimals: 2))"
                }
                reference = (mean, sd, window.map(\.period).sorted(), note)
            }
            guard let ref = reference else { continue }
            let z = (v - ref.mean) / ref.sd
            // Winsorised: one extreme period adds at most `maxZ` (Hawkins and Olwell 1998).
            let counted = p.maxZ.map { min(max(z, -$0), $0) } ?? z
            up = max(0, up + counted - p.k)
            down = max(0, down - counted - p.k)
            run = up > 0 || down > 0 ? run + 1 : 0
            // Put into words only if the finding's explanation is read.
            let capped = counted != z
            let head: @Sendable () -> String = {
                "\(c.format(v)) against a reference mean of \(c.format(ref.mean)) (sd \(formatNumber(ref.sd, decimals: 1)), \(ref.basis.count) values \(ref.basis.first!)–\(ref.basis.last!)\(ref.note))"
                    + (capped
                        ? ", a departure of \(formatNumber(abs(z), decimals: 1)) sd counted as \(formatNumber(abs(counted), decimals: 1))"
                        : "")
            }
            let watchedUp = direction.watches(1) ? up : 0
            let watchedDown = direction.watches(-1) ? down : 0
            let sum = max(watchedUp, watchedDown)
            let side = watchedUp >= watchedDown ? "above" : "below"
            if run > p.maxRun {
                up = 0
                down = 0
                run = 0
                alarmed = false
                findings.append(
                    Finding(
                        period: point.period, status: .clear, value: v, expected: ref.mean,
                        explanation: head() + ": the level has stayed away for \(p.maxRun) periods and becomes the reference"))
                continue
            }
            let periods = run
            let breach = sum >= p.h - epsilon
            // Once in alarm, a sum that eases under h holds the alert while the value is still on
            // the alarm's side of the reference; a value back at or past the mean ends it (review
            // helper-24: holding until the sum reached 0 kept it firing 9 months at the mean).
            let easing = !breach && alarmed && sum > 0 && (side == "above" ? z > 0 : z < 0)
            // The alarm's end restarts the sums, the usual reset after a CUSUM signal (review
            // helper-27: a sum left at 4.4 by one month below the mean fired again the month
            // after, the same departure announced two or three times).
            let ended = alarmed && !breach && !easing
            alarmed = breach || easing
            if ended {
                up = 0
                down = 0
                run = 0
            }
            let alarm = formatNumber(p.h, decimals: places)
            let text: @Sendable () -> String = {
                head()
                    + ": cumulative departure \(formatNumber(sum, decimals: places)) sd \(side) over \(periods) period\(periods == 1 ? "" : "s")"
                    + (easing
                        ? ", under the alarm at \(alarm) but not back to the reference level; the alert stays until it is"
                        : ended
                            ? " (alarm at \(alarm)); back at or past the reference mean, so the alert ends and the sums restart"
                            : " (alarm at \(alarm))")
            }
            findings.append(
                Finding(
                    period: point.period, status: breach ? .breach : easing ? .hold : .clear, value: v, expected: ref.mean,
                    severity: rule.severity,
                    explanation: text(), signal: breach ? c.signal(for: side == "above" ? 1 : -1) : nil))
        }
        return findings
    }

    /// A reference window's lag-1 autocorrelation r, when it exceeds z standard errors (z ÷ √n),
    /// and the factor √((1 + r) ÷ (1 − r)), r at most 0.6, by which sums of departures that
    /// correlated grow faster than independent ones (review helper-29: on helper-27's boards with
    /// AR(1) months the `cusum` false alarms at means of 50–200 ran 0.069 a series-year against
    /// 0.023 for independent months; widened, 0.057, for 1–1.5 points of detection).
    static func correlationWidening(_ values: [Double], z: Double) -> (r: Double, factor: Double)? {
        guard let r = significantAutocorrelation(values, z: z) else { return nil }
        let capped = min(r, 0.6)
        return (r, ((1 + capped) / (1 - capped)).squareRoot())
    }
}
