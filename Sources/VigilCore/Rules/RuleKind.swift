/// What a rule looks for, with its parameters. Semantics: `docs/rules.md`.
public enum RuleKind: Hashable, Sendable, CustomStringConvertible {
    /// Value at or beyond fixed warning/critical levels.
    case threshold(Threshold)
    /// Worse than the indicator's target by more than a tolerance.
    case target(Reference)
    /// Worse than the statistical neighbours' average or England's value by more than a tolerance.
    case benchmark(Reference)
    /// Moved against the previous period or the same period last year.
    case change(Change)
    /// Unusually far from a baseline (EARS-style or seasonal).
    case spike(Spike)
    /// Statistical process control (XmR, NHS Making Data Count).
    case spc(SPC)
    /// A sustained departure from a frozen reference level (Page's CUSUM).
    case cusum(CUSUM)
    /// N consecutive rises or falls.
    case trend(Trend)
    /// Outside a credible [low, high] range.
    case band(Band)
    /// Data-quality checks.
    case quality(Quality)
    /// No value N days after a period ended.
    case overdue(Overdue)

    /// The kind's name as written in rule files.
    public var name: String {
        switch self {
        case .threshold: return "threshold"
        case .target: return "target"
        case .benchmark: return "benchmark"
        case .change: return "change"
        case .spike: return "spike"
        case .spc: return "spc"
        case .cusum: return "cusum"
        case .trend: return "trend"
        case .band: return "band"
        case .quality: return "quality"
        case .overdue: return "overdue"
        }
    }

    /// Canonical text of the kind and its parameters (used in the rule hash).
    public var description: String {
        switch self {
        case .threshold(let p): return "threshold\(p)"
        case .target(let p): return "target\(p)"
        case .benchmark(let p): return "benchmark\(p)"
        case .change(let p): return "change\(p)"
        case .spike(let p): return "spike\(p)"
        case .spc(let p): return "spc\(p)"
        case .cusum(let p): return "cusum\(p)"
        case .trend(let p): return "trend\(p)"
        case .band(let p): return "band\(p)"
        case .quality(let p): return "quality\(p)"
        case .overdue(let p): return "overdue\(p)"
        }
    }

    /// Fixed levels.
    public struct Threshold: Hashable, Sendable {
        /// `up`: fires at or above the levels; `down`: at or below.
        public var direction: Direction
        /// Warning level.
        public var warning: Double?
        /// Critical level.
        public var critical: Double?
        /// Once firing, the value must get past this level (not just back past the warning level) to resolve.
        public var recovery: Double?
        /// A derived percentage whose denominator is below this is held, not judged.
        public var minDenominator: Double?
        /// Percentages with their counts: a value past a level must also be past it beyond chance
        /// (`TwoProportions.pValue(of:against:up:)`, one-sided p at or below this) to start an
        /// alert or raise it to critical; a firing alert goes on at any value past its level, as
        /// without the test, and clears at the recovery level. Where the counts are not known it
        /// is judged as it stands and says so. Not with `minDenominator`. Nil: no test.
        public var binomialP: Double? = nil
    }

    /// The benchmarks a catalogue carries.
    public enum Benchmark: String, Hashable, Sendable, CaseIterable {
        /// The statistical neighbours' average (`statistical_neighbours`).
        case statisticalNeighbours = "statistical_neighbours"
        /// England's value (`england`).
        case england
    }

    /// Against a target or benchmark.
    public struct Reference: Hashable, Sendable {
        /// Which benchmark; nil for the target.
        public var against: Benchmark?
        /// Tolerance in percent of the reference (fires when worse by more than this).
        public var tolerancePercent: Double?
        /// Tolerance in points (the indicator's unit).
        public var tolerancePoints: Double?
        /// Use the latest earlier reference when the period has none.
        public var useLatest: Bool
        /// Direction; default the indicator's bad direction.
        public var direction: Direction
    }

    /// Period-on-period change.
    public struct Change: Hashable, Sendable {
        /// `previous` or `last_year`.
        public var compare: String
        /// Minimum relative change in percent.
        public var percent: Double?
        /// Minimum absolute change.
        public var absolute: Double?
        /// At least one of the current and compared values must reach this, or the period is not
        /// judged (and counts as clear): small numbers never alert.
        public var minCount: Double
        /// Watched direction.
        public var direction: Direction
        /// With `last_year`: compare the mean of the values stored for the `window` periods ending
        /// at the judged one with the mean of those a year earlier (1: the periods themselves).
        public var window: Int = 1
        /// Counts: the change must also be beyond chance, the conditional test of the two counts
        /// (`TwoCounts`) giving a one-sided p at or below this, so a rule works at any board's
        /// size instead of behind a fixed `min_count` (review helper-36). Nil: no test.
        public var poissonP: Double? = nil
        /// Percentages with their counts (derived, or supplied with `of_count`): the change must
        /// also be beyond chance for two proportions (`TwoProportions`), one-sided p at or below
        /// this; where the counts are not known the change is judged without and says so. Nil: no
        /// test.
        public var binomialP: Double? = nil
        /// With `poisson_p`: the counts' over-dispersion (variance ÷ mean, at least 1) is
        /// estimated from up to this many values before the judged periods (a yearly total's from
        /// the periods it sums: `CountSpread`) and both counts are divided by it before the test
        /// (quasi-Poisson), so counts that vary more than chance need a larger change. Nil: Poisson.
        public var dispersionPeriods: Int? = nil
    }

    /// Consecutive movement.
    public struct Trend: Hashable, Sendable {
        /// Number of consecutive strict steps.
        public var periods: Int
        /// Watched direction.
        public var direction: Direction
        /// The run must also have moved by at least this percentage of its first value: a stock
        /// whose quarters share most of their children drifts up three quarters running by chance
        /// several times a decade; a real rise moves it by a fifth. Nil: any run.
        public var minChangePercent: Double? = nil
    }

    /// A credible range.
    public struct Band: Hashable, Sendable {
        /// Lowest credible value.
        public var low: Double?
        /// Highest credible value.
        public var high: Double?
        /// Where the range comes from, for the explanation.
        public var basis: String?
        /// A derived percentage whose denominator is below this is held, not judged.
        public var minDenominator: Double?
        /// Percentages with their counts: a value outside the range must also be beyond chance
        /// against the bound it crossed (`TwoProportions.pValue(of:against:up:)`, one-sided p at
        /// or below this), a funnel plot's test; where the counts are not known it is judged as it
        /// stands and says so. Not with `minDenominator`. Nil: no test.
        public var binomialP: Double? = nil
    }

    /// The data-quality checks.
    public enum Check: String, Hashable, Sendable, CaseIterable {
        /// The breakdowns of a period add up to its total (`breakdown_sum`).
        case breakdownSum = "breakdown_sum"
        /// A sudden fall to a fraction of the recent median (`collapse`).
        case collapse
        /// A value the indicator cannot take (`impossible`).
        case impossible
        /// A period of another length than the indicator's (`mixed_periods`).
        case mixedPeriods = "mixed_periods"
        /// A month that looks like the financial year to date (`cumulative`).
        case cumulative
        /// The same figure period after period on a count that varies (`flatline`).
        case flatline
    }

    /// Data quality.
    public struct Quality: Hashable, Sendable {
        /// What is checked.
        public var check: Check
        /// Dimensions to check (breakdown_sum); empty = every declared dimension.
        public var dimensions: [String]
        /// Allowed difference for breakdown_sum.
        public var tolerance: Double
        /// Recent periods for the collapse median.
        public var periods: Int
        /// Collapse when the value is at most this fraction of the recent median.
        public var fraction: Double
        /// Recent median must be at least this for a collapse to count.
        public var minMedian: Double
    }

    /// Overdue feeds.
    public struct Overdue: Hashable, Sendable {
        /// Days after the period's end.
        public var days: Int
        /// How long a gap (a period missing before the latest value) is chased: days after the
        /// gap's period ends; 0 chases none.
        public var gapDays: Int

        /// The default for `gap_days`: two years, as long as a gap keeps a year-on-year rule silent.
        public static let defaultGapDays = 730

        /// When a period's value is due: `days` after the period ends.
        public func due(_ period: Period) -> CivilDate { period.end.adding(days: days) }

        /// Creates the parameters.
        public init(days: Int, gapDays: Int = Overdue.defaultGapDays) {
            self.days = days
            self.gapDays = gapDays
        }
    }
}
