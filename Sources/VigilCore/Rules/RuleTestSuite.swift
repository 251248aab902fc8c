/// Rule unit tests (like `promtool test rules`): input series and the alert events expected.
///
/// Each test runs the real engine and state machine from an empty state. For every rule named in
/// `expect`, the firing/resolved/retracted events must be exactly those expected; rules listed in
/// `expect_silent` must raise nothing. Format: `docs/rules.md`.
public struct RuleTestSuite: Sendable {
    /// One test case.
    public struct Case: Sendable {
        /// Name.
        public var name: String
        /// Evaluation date.
        public var date: CivilDate
        /// Input observations.
        public var input: [Observation]
        /// Expected events.
        public var expected: [Expectation]
        /// Rules that must raise nothing.
        public var silent: [String]
        /// Where it is defined.
        public var location: SourceLocation
    }

    /// One expected event.
    public struct Expectation: Sendable {
        /// Rule id.
        public var rule: String
        /// firing, resolved or retracted.
        public var event: AlertEvent.Kind
        /// Period text.
        public var period: String
        /// Breakdown.
        public var breakdown: [String: String]
        /// Expected observed value, if given.
        public var value: Double?
        /// Expected comparison value, if given.
        public var expected: Double?
    }

    /// The outcome of one case.
    public struct Result: Sendable {
        /// The case's name.
        public var name: String
        /// Failure descriptions (empty when it passed).
        public var failures: [String]
        /// Whether it passed.
        public var passed: Bool { failures.isEmpty }
    }

    /// The test cases.
    public var cases: [Case]

    /// Parses a test file; errors go to `diagnostics`.
    public static func parse(yaml text: String, file: String, catalogue: Catalogue, diagnostics: Diagnostics) -> RuleTestSuite {
        guard let root = YAMLNode.parse(text, file: file, diagnostics: diagnostics),
            let f = YAMLFields(root, "a rule test file", allowed: ["evaluation_date", "tests"])
        else { return RuleTestSuite(cases: []) }
        let defaultDate = f["evaluation_date"].flatMap(date) ?? CivilDate(year: 2100, month: 1, day: 1)!
        let cases = (f.required("tests", in: "a rule test file")?.sequence("tests") ?? []).compactMap { node -> Case? in
            guard let t = YAMLFields(node, "a test", allowed: ["name", "evaluation_date", "input", "expect", "expect_silent"])
            else { return nil }
            var input: [Observation] = []
            for series in t.required("input", in: "a test")?.sequence("input series") ?? [] {
                guard let s = YAMLFields(series, "an input series", allowed: ["indicator", "breakdown", "values"]),
                    let id = s.required("indicator", in: "an input series")?.string("indicator")
                else { continue }
                guard catalogue.indicator(id) != nil else {
                    s["indicator"]?.error("unknown indicator '\(id)'", code: .ruleTest)
                    continue
                }
                let breakdown = Breakdown(strings(s["breakdown"]))
                for entry in s.required("values", in: "an input series")?.mapping("values (period: value)") ?? [] {
                    guard let period = Period(parsing: entry.key) else {
                        entry.keyNode.error("'\(entry.key)' is not a period", code: .ruleTest)
                        continue
                    }
                    let value: ObservedValue
                    if case .scalar(let scalar) = entry.value.node, ObservedValue.markers[scalar.string] != nil {
                        value = .marker(scalar.string)
                    } else if let number = entry.value.double("value") {
                        value = .number(number)
                    } else {
                        continue
                    }
                    input.append(
                        Observation(
                            series: SeriesKey(indicator: id, breakdown: breakdown), period: period, value: value,
                            sources: ["test"]))
                }
            }
            let expected = (t["expect"]?.sequence("expected events") ?? []).compactMap { e -> Expectation? in
                guard
                    let x = YAMLFields(
                        e, "an expected event", allowed: ["rule", "event", "period", "breakdown", "value", "expected"]),
                    let rule = x.required("rule", in: "an expected event")?.string("rule"),
                    let period = x.required("period", in: "an expected event")?.string("period")
                else { return nil }
                let event = x["event"].flatMap { Catalogue.parseEnum($0, AlertEvent.Kind.self, "event") } ?? .firing
                return Expectation(
                    rule: rule, event: event, period: period, breakdown: strings(x["breakdown"]),
                    value: x["value"]?.double("value"), expected: x["expected"]?.double("expected"))
            }
            if t["expect"] == nil && t["expect_silent"] == nil {
                node.error("a test needs 'expect' or 'expect_silent', or it could never fail", code: .ruleTest)
            }
            return Case(
                name: t["name"]?.string("name") ?? "test at \(node.location)",
                date: t["evaluation_date"].flatMap(date) ?? defaultDate,
                input: input, expected: expected, silent: t["expect_silent"]?.strings("rule ids") ?? [], location: node.location)
        }
        return RuleTestSuite(cases: cases)
    }

    private static func date(_ node: YAMLNode) -> CivilDate? {
        guard let text = node.string("date"), let p = Period(parsing: text), p.periodicity == .snapshot else {
            node.error("expected a date like 2013-04-30", code: .ruleTest)
            return nil
        }
        return p.start
    }

    private static func strings(_ node: YAMLNode?) -> [String: String] {
        guard let node else { return [:] }
        var out: [String: String] = [:]
        for entry in node.mapping("breakdown") ?? [] { out[entry.key] = entry.value.string("breakdown value") }
        return out
    }

    /// Runs every case with the given catalogue and rules.
    public func run(catalogue: Catalogue, rules: [Rule]) -> [Result] {
        let known = Set(rules.map(\.id))
        return cases.map { testCase in
            var failures: [String] = []
            for rule in Set(testCase.expected.map(\.rule) + testCase.silent) where !known.contains(rule) {
                failures.append("\(testCase.location): unknown rule '\(rule)'")
            }
            let evaluation = Engine(catalogue: catalogue, rules: rules).evaluate(Dataset(testCase.input), at: testCase.date)
            var machine = AlertStateMachine()
            var events = machine.reconcile(evaluation, rules: rules, catalogue: catalogue)
            let watched = Set(testCase.expected.map(\.rule))
            for expectation in testCase.expected {
                if let index = events.firstIndex(where: { matches($0, expectation) }) {
                    events.remove(at: index)
                } else {
                    let got = events.filter { $0.rule == expectation.rule }.map {
                        "\($0.event.rawValue) \($0.period) value \($0.value.map(JSONWriter.format) ?? "null") expected \($0.expected.map(JSONWriter.format) ?? "null")"
                    }
                    failures.append(
                        "expected \(expectation.event.rawValue) of '\(expectation.rule)' at \(expectation.period)\(expectation.value.map { " with value \(JSONWriter.format($0))" } ?? ""); got: \(got.isEmpty ? "nothing" : got.joined(separator: "; "))"
                    )
                }
            }
            for event in events where watched.contains(event.rule) || testCase.silent.contains(event.rule) {
                failures.append("unexpected \(event.event.rawValue) of '\(event.rule)' at \(event.period): \(event.explanation)")
            }
            return Result(name: testCase.name, failures: failures)
        }
    }

    private func matches(_ event: AlertEvent, _ x: Expectation) -> Bool {
        guard event.rule == x.rule, event.event == x.event, event.period == x.period, event.breakdown == x.breakdown else {
            return false
        }
        if let v = x.value, abs((event.value ?? .nan) - v) > 0.05 || event.value == nil { return false }
        if let e = x.expected, abs((event.expected ?? .nan) - e) > 0.05 || event.expected == nil { return false }
        return true
    }
}
