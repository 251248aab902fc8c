/// One alert event: the public contract written to alert files, the journal and `--format json`.
///
/// Documented in `docs/alerts.md`. One JSON object per line; keys are stable.
public struct AlertEvent: Hashable, Sendable, Codable {
    /// What happened to the alert.
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        /// The condition has held for `for` periods.
        case firing
        /// The condition no longer holds (or an overdue value arrived).
        case resolved
        /// Revised data shows the alert should never have fired.
        case retracted
    }

    /// Stable id: the same event from the same data always has the same id.
    public var id: String
    /// firing, resolved or retracted.
    public var event: Kind
    /// Rule id.
    public var rule: String
    /// Rule kind (threshold, target, …).
    public var kind: String
    /// Indicator id.
    public var indicator: String
    /// Indicator title.
    public var indicatorTitle: String
    /// Breakdown (empty for totals).
    public var breakdown: [String: String]
    /// The period the event is about (canonical text).
    public var period: String
    /// The period for people.
    public var periodLabel: String
    /// First period of the episode.
    public var since: String
    /// Observed value (nil when censored or not applicable).
    public var value: Double?
    /// What it was judged against.
    public var expected: Double?
    /// Indicator unit.
    public var unit: String
    /// info, warning or critical.
    public var severity: Severity
    /// Board priority 1–7.
    public var priority: Int
    /// Board priority wording.
    public var priorityTitle: String
    /// One readable line with the evidence.
    public var message: String
    /// The evaluator's explanation.
    public var explanation: String
    /// Suggested action, if the rule gives one.
    public var action: String?
    /// concern, improvement or neutral, where known.
    public var signal: String?
    /// SHA-256 of the rule definition.
    public var ruleHash: String
    /// SHA-256 of the source files behind the evidence.
    public var sources: [String]
    /// The evaluation date (YYYY-MM-DD).
    public var evaluatedAt: String

    /// Creates an event (normally done by the alert state machine).
    public init(
        id: String, event: Kind, rule: String, kind: String, indicator: String, indicatorTitle: String,
        breakdown: [String: String], period: String, periodLabel: String, since: String, value: Double?, expected: Double?,
        unit: String, severity: Severity, priority: Int, priorityTitle: String, message: String, explanation: String,
        action: String?, signal: String?, ruleHash: String, sources: [String], evaluatedAt: String
    ) {
        self.id = id
        self.event = event
        self.rule = rule
        self.kind = kind
        self.indicator = indicator
        self.indicatorTitle = indicatorTitle
        self.breakdown = breakdown
        self.period = period
        self.periodLabel = periodLabel
        self.since = since
        self.value = value
        self.expected = expected
        self.unit = unit
        self.severity = severity
        self.priority = priority
        self.priorityTitle = priorityTitle
        self.message = message
        self.explanation = explanation
        self.action = action
        self.signal = signal
        self.ruleHash = ruleHash
        self.sources = sources
        self.evaluatedAt = evaluatedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, event, rule, kind, indicator
        case indicatorTitle = "indicator_title"
        case breakdown, period
        case periodLabel = "period_label"
        case since, value, expected, unit, severity, priority
        case priorityTitle = "priority_title"
        case message, explanation, action
        case signal
        case ruleHash = "rule_hash"
        case sources
        case evaluatedAt = "evaluated_at"
    }
}

extension Severity: Codable {}

extension AlertEvent {
    /// An event's plain message, "<title> (<breakdown>), <period label>: <explanation>", as the
    /// factory words a finding without a rule template (and the digest words a finding it
    /// takes as evidence).
    public static func plainMessage(title: String, breakdown: Breakdown, period: Period, explanation: String) -> String {
        "\(title)\(breakdown.isTotal ? "" : " (\(breakdown.label))"), \(period.label): \(explanation)"
    }

    /// The event as one line of JSON with keys in contract order (no trailing newline).
    public var jsonLine: String { json(exactNumbers: false) }

    /// The event as JSON with its numbers exact (the store's alert records keep them so, and
    /// read them back equal).
    var exactJSON: String { json(exactNumbers: true) }

    private func json(exactNumbers: Bool) -> String {
        var w = JSONWriter(exactNumbers: exactNumbers)
        w.string("id", id)
        w.string("event", event.rawValue)
        w.string("rule", rule)
        w.string("kind", kind)
        w.string("indicator", indicator)
        w.string("indicator_title", indicatorTitle)
        w.object("breakdown", breakdown)
        w.string("period", period)
        w.string("period_label", periodLabel)
        w.string("since", since)
        w.number("value", value)
        w.number("expected", expected)
        w.string("unit", unit)
        w.string("severity", severity.rawValue)
        w.number("priority", Double(priority))
        w.string("priority_title", priorityTitle)
        w.string("message", message)
        w.string("explanation", explanation)
        w.string("action", action)
        w.string("signal", signal)
        w.string("rule_hash", ruleHash)
        w.strings("sources", sources)
        w.string("evaluated_at", evaluatedAt)
        return w.finish()
    }
}
