/// The parameters of the rule kinds that judge a value against the variation of earlier ones.
extension RuleKind {
    /// Departure from a baseline.
    public struct Spike: Hashable, Sendable {
        /// `recent` (the last N periods) or `seasonal` (the same period ± window in previous years).
        public var baseline: String
        /// Periods in a recent baseline.
        public var periods: Int
        /// Fewest baseline values needed to judge.
        public var minPeriods: Int
        /// Periods skipped between the baseline and the current period (EARS C2 uses 2).
        public var guardPeriods: Int
        /// Years of seasonal history.
        public var years: Int
        /// Seasonal window ± periods.
        public var window: Int
        /// Standard deviations from the mean that count as a spike.
        public var k: Double
        /// Floor on the standard deviation.
        public var minSD: Double
        /// Watched direction.
        public var direction: Direction
        /// Ignore dips in the indicator's expected-low months (and leave them out of the baseline).
        public var seasonal: Bool
        /// Counts are Poisson: the standard deviation is at least √mean (small numbers are noisy).
        public var poissonFloor: Bool = false
        /// Smallest change from the baseline mean, as a fraction of it, that can count (0 = any).
        public var minRelativeChange: Double = 0
        /// When set, a value counts only if a Poisson count with the baseline mean would be as far
        /// out (in the watched direction) with at most this probability.
        public var poissonP: Double?
        /// When set, over-dispersion is estimated from up to this many earlier values (variance ÷
        /// mean, at least 1): the sd floor and the exceedance test use a negative binomial with that
        /// variance instead of Poisson.
        public var dispersionPeriods: Int?
        /// Counts: judge against the prediction, not the baseline mean alone: its variance adds the
        /// baseline mean's own (variance ÷ n), as Farrington's algorithm does. False: the mean is
        /// taken as known.
        public var baselineError: Bool = false
    }

    /// XmR special-cause rules.
    public struct SPC: Hashable, Sendable {
        /// Periods used to compute the limits (from the start); nil = all points up to each period.
        public var baselinePeriods: Int?
        /// Run length for a shift.
        public var shiftLength: Int
        /// Run length for a trend.
        public var trendLength: Int
        /// Which tests: outside_limits, shift, trend, two_of_three.
        public var tests: [String]
        /// Alert on concern only (`concern`, the default), on improvement only (`improvement`), or on
        /// both (`any`).
        public var signal: String
        /// Fewest values in the phase before any value is judged (≥ 6); nil = judge as soon as
        /// there are limits.
        public var minPoints: Int?
        /// Dates where the process is known to have changed: each starts a new phase with its own
        /// limits and runs, from the first period starting on or after it.
        public var rebase: [CivilDate] = []
        /// Severity of an alert whose leading cause is an improvement (with `signal: any` or
        /// `improvement`).
        public var improvementSeverity: Severity = .info
        /// Hold while the process mean is below this: on small counts the XmR chart's symmetric
        /// limits sit inside a skewed distribution's upper tail and raise false alarms.
        public var minMean: Double?
        /// Limits no narrower than chance alone would make them (`chance_floor`): the process sd is
        /// at least √mean for a count (a c-chart's) and, for a percentage of a known count n, a
        /// p-chart's with Agresti and Coull's "plus four" (p̃ = (x + 2) ÷ (n + 4), sd
        /// 100 × √(p̃(1 − p̃) ÷ n), one period's). A stock's neighbouring values share most of their
        /// children, so its moving ranges are small and XmR limits too narrow.
        public var chanceFloor: Bool = false
        /// Correlated neighbours (`autocorrelation_z`): when the lag-1 autocorrelation r of the
        /// values before the rule first judges (`minPoints` − 1 of them, or the `baselinePeriods`
        /// values) exceeds this many standard errors (z ÷ √n), the limits' distance from the mean
        /// is divided by √(1 − r′), r′ = min((n r + 1) ÷ (n − 4), 0.9) (r corrected for a short
        /// series): neighbours correlated r differ by σ√(2(1 − r)), not σ√2, so the moving ranges
        /// understate σ. Nil: never.
        public var autocorrelationZ: Double? = nil
    }

    /// Page's cumulative sum against a reference level frozen while a departure lasts.
    public struct CUSUM: Hashable, Sendable {
        /// Values in the reference window.
        public var periods: Int
        /// Fewest reference values to judge with: until `periods` exist, the reference is every
        /// value there is.
        public var minPeriods: Int
        /// Values skipped between the reference window and the first judged value.
        public var guardPeriods: Int
        /// Slack in standard deviations subtracted each period (half the shift to detect).
        public var k: Double
        /// Decision interval: the cumulative sum, in standard deviations, that makes a breach.
        public var h: Double
        /// Floor on the standard deviation.
        public var minSD: Double
        /// Counts: the standard deviation is at least √mean.
        public var poissonFloor: Bool
        /// After this many periods away, the new level becomes the reference.
        public var maxRun: Int
        /// Watched direction.
        public var direction: Direction
        /// Counts: the standard deviation is √(φ × mean), with the over-dispersion φ (at least 1)
        /// estimated from this many values before the judged one, instead of the reference
        /// window's sample sd. Nil: the sample sd.
        public var dispersionPeriods: Int? = nil
        /// Hold while the reference mean is below this: sustained changes in small counts cannot be
        /// told from noise within the false-alarm budget.
        public var minMean: Double? = nil
        /// Correlated months: when the reference window's lag-1 autocorrelation r exceeds this many
        /// standard errors (z ÷ √n), the scale is widened by √((1 + r) ÷ (1 − r)), r at most 0.6,
        /// because sums of correlated departures grow faster than independent ones. Nil: never.
        public var autocorrelationZ: Double? = nil
        /// Each period adds at most this many standard deviations (its departure winsorised), so
        /// one extreme month cannot make a sustained departure on its own (review helper-36: at
        /// five times Peterborough's counts one doubled month was 7–10 sd and fired a "sustained
        /// rise" that stayed 7 months). Nil: no limit.
        public var maxZ: Double? = nil
    }
}
