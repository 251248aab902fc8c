/// How serious an alert is; maps to journal priorities (critical → 2, warning → 4, info → 6).
public enum Severity: String, Hashable, Sendable, CaseIterable, Comparable {
    /// For awareness.
    case info
    /// Needs attention.
    case warning
    /// Needs action now.
    case critical

    private var rank: Int { self == .info ? 0 : self == .warning ? 1 : 2 }
    /// Orders the values.
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Which direction of movement a rule watches.
public enum Direction: String, Hashable, Sendable, CaseIterable {
    /// Rises only.
    case up
    /// Falls only.
    case down
    /// Either way.
    case both
    /// The indicator's bad direction (from its polarity; both when neutral).
    case worse

    /// Resolves `worse` against a polarity.
    public func resolved(_ polarity: Polarity) -> Direction {
        guard self == .worse else { return self }
        switch polarity {
        case .higherIsWorse: return .up
        case .lowerIsWorse: return .down
        case .neutral: return .both
        }
    }

    /// Whether a signed movement is watched.
    public func watches(_ delta: Double) -> Bool {
        switch self {
        case .up: return delta > 0
        case .down: return delta < 0
        case .both, .worse: return delta != 0
        }
    }
}

/// Which breakdowns of an indicator a rule applies to.
public struct BreakdownSelector: Hashable, Sendable, CustomStringConvertible {
    /// Dimension → required value, or `*` for every value. Empty selects the total only.
    public var constraints: [String: String]

    /// The total only.
    public static let total = BreakdownSelector(constraints: [:])

    /// Creates a selector.
    public init(constraints: [String: String]) { self.constraints = constraints }

    /// Whether a series' breakdown is selected: exactly the constrained dimensions, values matching.
    public func matches(_ breakdown: Breakdown) -> Bool {
        // A breakdown's dimensions are distinct: as many as constrained, each constrained, is
        // the same set (read from the pairs: a dictionary and two sets per series and rule were
        // a tenth of a file's cost on a store of 25,920 series, review helper-19).
        guard breakdown.pairs.count == constraints.count else { return false }
        return breakdown.pairs.allSatisfy { pair in
            guard let wanted = constraints[pair.dimension] else { return false }
            return wanted == "*" || wanted == pair.value
        }
    }

    /// `total` or `category=*`.
    public var description: String {
        constraints.isEmpty
            ? "total" : constraints.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }
}

/// A validated rule, ready to evaluate.
public struct Rule: Hashable, Sendable, Identifiable {
    /// Unique id, e.g. `lac-rate-above-target`.
    public var id: String
    /// What the rule looks for, with its parameters.
    public var kind: RuleKind
    /// The indicator it watches.
    public var indicator: String
    /// Which breakdowns.
    public var selector: BreakdownSelector
    /// Severity when it fires (a threshold's critical level can raise it).
    public var severity: Severity
    /// The board priority the alert is reported under.
    public var priority: Int
    /// Consecutive periods the condition must hold before the alert fires (default 1).
    public var forPeriods: Int
    /// Message template (see `docs/rules.md`); nil uses the kind's explanation.
    public var message: String?
    /// Suggested action template.
    public var action: String?
    /// SHA-256 of the rule's canonical definition (its YAML with sorted keys, when loaded from a file).
    public var hash: String
    /// Where the rule is defined.
    public var location: SourceLocation?

    /// Creates a rule. `hash` is the definition's hash when the caller has one (a rule file's is
    /// of its canonical YAML); without it, one is computed from the fields (a printout of the
    /// kind's parameters, which takes reflection: a rule file does not pay for it).
    public init(
        id: String, kind: RuleKind, indicator: String, selector: BreakdownSelector = .total, severity: Severity = .warning,
        priority: Int, forPeriods: Int = 1, message: String? = nil, action: String? = nil, location: SourceLocation? = nil,
        hash: String? = nil
    ) {
        self.id = id
        self.kind = kind
        self.indicator = indicator
        self.selector = selector
        self.severity = severity
        self.priority = priority
        self.forPeriods = forPeriods
        self.message = message
        self.action = action
        self.location = location
        self.hash =
            hash
            ?? SHA256.hex(
                "\(id)|\(Rule.printout(kind))|\(indicator)|\(selector)|\(severity.rawValue)|\(priority)|\(forPeriods)|\(message ?? "")|\(action ?? "")"
            )
    }

    /// How `"\(kind)"` prints a kind, the part of a field hash that takes reflection. The return
    /// schedule's `overdue` rules (a few dozen, made at every start) are spelled out instead, with
    /// the same text, so their hashes, which firing alerts record, stay as they were
    /// (`RuleHashTests` compares both spellings). `gap_days` is printed only when it is not the
    /// default, so the rules written before it keep their hashes.
    static func printout(_ kind: RuleKind) -> String {
        if case .overdue(let p) = kind {
            let gaps = p.gapDays == RuleKind.Overdue.defaultGapDays ? "" : ", gapDays: \(p.gapDays)"
            return "overdueOverdue(days: \(p.days)\(gaps))"
        }
        return "\(kind)"
    }
}
