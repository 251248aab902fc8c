/// What a rule concluded about one series at one period.
public struct Finding: Hashable, Sendable {
    /// Whether the condition holds.
    public enum Status: String, Hashable, Sendable {
        /// The condition holds (counts towards `for`, keeps an alert firing).
        case breach
        /// The condition does not hold (resolves a firing alert).
        case clear
        /// Cannot judge, or inside a hysteresis band: state unchanged.
        case hold
    }

    /// The period judged.
    public var period: Period
    /// The conclusion.
    public var status: Status
    /// The observed value, if numeric.
    public var value: Double?
    /// The value it was judged against (threshold, target, benchmark, baseline mean, earlier value).
    public var expected: Double?
    /// Severity of a breach.
    public var severity: Severity
    /// Plain-English evidence, e.g. "79.3 per 10,000 is 7.2% above the target of 74.0 per 10,000 for 2012/13".
    ///
    /// Written when read: a rule judges every period of its series at each evaluation, but only
    /// the few findings that become alert events are ever put into words.
    public var explanation: String {
        get { explain() }
        set { explain = { newValue } }
    }
    private var explain: @Sendable () -> String
    /// Other periods whose values were used as evidence.
    public var basis: [Period]
    /// `concern`, `improvement` or `neutral`, where the kind says (SPC, spikes, changes).
    public var signal: String?
    /// Centre line and limits, for charts of SPC and spike rules.
    public var limits: Limits?
    /// Why the rule did not judge this period, when it did not (a `hold` for too little history,
    /// or a `clear` below a floor, which lets an alert resolve without claiming all is well).
    public var unjudged: Unjudged?

    /// Why a rule could not judge a period: what a board's paper says instead of "all clear".
    public enum Unjudged: String, Hashable, Sendable, CaseIterable {
        /// Too few earlier values yet: a baseline, a reference window, process limits, last year.
        case history
        /// Figures too small for the rule to tell a change from chance (a floor on the mean, the
        /// count or the denominator).
        case small
        /// The value is withheld or not available (a marker such as `c`).
        case withheld
        /// No target or benchmark covers the period.
        case reference
        /// A derived indicator some of whose inputs have figures but not all, so it has none
        /// (said by the digest of a rule with no findings; no evaluator writes it).
        case inputs

        /// For a chair: "too little history yet".
        public var words: String {
            switch self {
            case .history: return "too little history yet"
            case .small: return "figures too small to judge"
            case .withheld: return "values withheld"
            case .reference: return "no target or benchmark for the period"
            case .inputs: return "not all the figures it is computed from received"
            }
        }
    }

    /// Equal when every field is, the explanations compared as text.
    public static func == (lhs: Finding, rhs: Finding) -> Bool {
        lhs.period == rhs.period && lhs.status == rhs.status && lhs.value == rhs.value && lhs.expected == rhs.expected
            && lhs.severity == rhs.severity && lhs.basis == rhs.basis && lhs.signal == rhs.signal
            && lhs.limits == rhs.limits && lhs.unjudged == rhs.unjudged && lhs.explanation == rhs.explanation
    }

    /// Hashes every field, the explanation as text.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(period)
        hasher.combine(status)
        hasher.combine(value)
        hasher.combine(expected)
        hasher.combine(severity)
        hasher.combine(explanation)
        hasher.combine(basis)
        hasher.combine(signal)
        hasher.combine(limits)
        hasher.combine(unjudged)
    }

    /// Centre line and limits.
    public struct Limits: Hashable, Sendable {
        /// Centre (mean) line.
        public var mean: Double
        /// Lower limit.
        public var lower: Double
        /// Upper limit.
        public var upper: Double
    }

    /// Creates a finding.
    public init(
        period: Period, status: Status, value: Double? = nil, expected: Double? = nil, severity: Severity = .warning,
        explanation: @autoclosure @escaping @Sendable () -> String, basis: [Period] = [], signal: String? = nil,
        limits: Limits? = nil, unjudged: Unjudged? = nil
    ) {
        self.period = period
        self.status = status
        self.value = value
        self.expected = expected
        self.severity = severity
        self.explain = explanation
        self.basis = basis
        self.signal = signal
        self.limits = limits
        self.unjudged = unjudged
    }
}

/// Everything a rule may look at: the catalogue, the data, and the evaluation date.
///
/// A class, so that each finding's explanation (written only when read) holds the context by one
/// reference rather than a copy of the catalogue, data and indicator.
public final class RuleContext: Sendable {
    /// The catalogue.
    public let catalogue: Catalogue
    /// Current data (with derived series).
    public let dataset: Dataset
    /// The evaluation date (only `overdue` uses it).
    public let evaluationDate: CivilDate
    /// The rule's indicator.
    public let indicator: Indicator

    /// Creates a context.
    public init(catalogue: Catalogue, dataset: Dataset, evaluationDate: CivilDate, indicator: Indicator) {
        self.catalogue = catalogue
        self.dataset = dataset
        self.evaluationDate = evaluationDate
        self.indicator = indicator
    }

    /// Formats a value in the indicator's unit.
    func format(_ value: Double) -> String { indicator.unit.format(value) }

    /// For a percentage Vigil derives, the counts it is made of at a period of a series.
    func share(_ series: SeriesKey, _ period: Period) -> (numerator: Double, denominator: Double)? {
        guard case .percent(let numerator, let denominator) = indicator.derivation,
            let n = dataset.point(SeriesKey(indicator: numerator, breakdown: series.breakdown), period)?.number,
            let d = dataset.point(SeriesKey(indicator: denominator, breakdown: series.breakdown), period)?.number
        else { return nil }
        return (n, d)
    }

    /// A value with its counts when it is a percentage Vigil derives ("26.7% (8 of 30)").
    func valueWithCounts(_ v: Double, _ series: SeriesKey, _ period: Period) -> String {
        guard let counts = share(series, period) else { return format(v) }
        return "\(format(v)) (\(formatNumber(counts.numerator, decimals: 0)) of \(formatNumber(counts.denominator, decimals: 0)))"
    }

    /// When `minimum` is set and a derived percentage's denominator is below it, the 95% Wilson
    /// score interval of the percentage (too few to judge, unless the whole interval is on the
    /// safe side); else nil. Without `minimum` nothing is looked up: the hot path.
    func smallShare(_ series: SeriesKey, _ period: Period, minimum: Double?) -> (low: Double, high: Double)? {
        guard let minimum, let counts = share(series, period), counts.denominator < minimum - RuleEvaluator.epsilon,
            counts.denominator > 0
        else { return nil }
        // Wilson (1927): centre (p + z²/2n) ÷ (1 + z²/n), half-width z √(p(1−p)/n + z²/4n²) ÷ (1 + z²/n).
        let n = counts.denominator
        let p = min(1, max(0, counts.numerator / n))
        let z2 = 1.959_963_985 * 1.959_963_985
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = (z2.squareRoot() * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot()) / (1 + z2 / n)
        return (max(0, centre - half) * 100, min(1, centre + half) * 100)
    }

    /// The hold finding for a percentage of too few: its counts, and why it is not judged.
    func tooFew(_ point: SeriesPoint, _ v: Double, _ series: SeriesKey, _ minimum: Double) -> Finding {
        Finding(
            period: point.period, status: .hold, value: v,
            explanation:
                "\(self.valueWithCounts(v, series, point.period)): a percentage of fewer than \(formatNumber(minimum, decimals: 0)) is too uncertain to judge against these levels",
            unjudged: .small)
    }

    /// Formats a difference as points or percentage points.
    func formatPoints(_ value: Double) -> String {
        indicator.unit == .percent ? formatNumber(value, decimals: 1) + " percentage points" : indicator.unit.format(value)
    }

    /// `concern`, `improvement` or `neutral` for a movement in a direction.
    func signal(for delta: Double) -> String {
        switch indicator.polarity {
        case .neutral: return "neutral"
        case .higherIsWorse: return delta > 0 ? "concern" : "improvement"
        case .lowerIsWorse: return delta < 0 ? "concern" : "improvement"
        }
    }
}

/// Mean and sample standard deviation.
func meanAndSD(_ values: [Double]) -> (mean: Double, sd: Double) {
    let mean = values.reduce(0, +) / Double(values.count)
    guard values.count > 1 else { return (mean, 0) }
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    return (mean, variance.squareRoot())
}

/// Median of a non-empty list.
func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

func percentText(_ value: Double) -> String { formatNumber(value, decimals: 1) + "%" }
