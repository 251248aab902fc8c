/// One alert event: the public contract written to alert files, the journal and `--format json`.
///
/// Documented in `docs/alerts.md`. One JSON object per line; keys are stable.
public struct AlertEvent: Hashable, Sendable, Codable {
    /// What happened to the alert.
    public enum Kind: String, Hashable, Sendable, Codable {
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

    enum CodingKeys: String, CodingKey {
        case id, event, rule, kind, indicator, indicatorTitle = "indicator_title", breakdown, period, periodLabel = "period_label"
        case since, value, expected, unit, severity, priority, priorityTitle = "priority_title", message, explanation, action
        case signal, ruleHash = "rule_hash", sources, evaluatedAt = "evaluated_at"
    }
}

extension Severity: Codable {}

extension AlertEvent {
    /// The event as one line of JSON with keys in contract order (no trailing newline).
    public var jsonLine: String {
        var w = JSONWriter()
        w.field("id", id)
        w.field("event", event.rawValue)
        w.field("rule", rule)
        w.field("kind", kind)
        w.field("indicator", indicator)
        w.field("indicator_title", indicatorTitle)
        w.object("breakdown", breakdown)
        w.field("period", period)
        w.field("period_label", periodLabel)
        w.field("since", since)
        w.number("value", value)
        w.number("expected", expected)
        w.field("unit", unit)
        w.field("severity", severity.rawValue)
        w.number("priority", Double(priority))
        w.field("priority_title", priorityTitle)
        w.field("message", message)
        w.field("explanation", explanation)
        w.field("action", action)
        w.field("signal", signal)
        w.field("rule_hash", ruleHash)
        w.array("sources", sources)
        w.field("evaluated_at", evaluatedAt)
        return w.finish()
    }
}

/// Writes one JSON object with keys in the order given.
struct JSONWriter {
    private var text = "{"
    private var first = true

    private mutating func key(_ k: String) {
        if !first { text += "," }
        first = false
        text += JSONWriter.quote(k) + ":"
    }

    mutating func field(_ k: String, _ value: String?) {
        key(k)
        text += value.map(JSONWriter.quote) ?? "null"
    }

    mutating func number(_ k: String, _ value: Double?) {
        key(k)
        text += value.map(JSONWriter.format) ?? "null"
    }

    mutating func object(_ k: String, _ value: [String: String]) {
        key(k)
        text += "{" + value.sorted { $0.key < $1.key }.map { JSONWriter.quote($0.key) + ":" + JSONWriter.quote($0.value) }.joined(separator: ",") + "}"
    }

    mutating func array(_ k: String, _ value: [String]) {
        key(k)
        text += "[" + value.map(JSONWriter.quote).joined(separator: ",") + "]"
    }

    mutating func raw(_ k: String, _ json: String) {
        key(k)
        text += json
    }

    func finish() -> String { text + "}" }

    static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        let rounded = (value * 1e6).rounded() / 1e6
        return "\(rounded)"
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
