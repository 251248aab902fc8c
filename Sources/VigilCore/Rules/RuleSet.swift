import Yams

/// Parses and validates rule files against the catalogue, reporting every error with its position.
public enum RuleSet {
    /// Parses one rule file; errors go to `diagnostics` and invalid rules are left out.
    public static func parse(yaml text: String, file: String, catalogue: Catalogue, diagnostics: Diagnostics) -> [Rule] {
        parseEntries(yaml: text, file: file, catalogue: catalogue, diagnostics: diagnostics).compactMap(\.rule)
    }

    /// Every rule entry with its id and position, valid or not (so duplicate ids are reported even
    /// when one of the rules has other errors).
    static func parseEntries(yaml text: String, file: String, catalogue: Catalogue, diagnostics: Diagnostics)
        -> [(id: String?, location: SourceLocation, rule: Rule?)]
    {
        parseFile(yaml: text, file: file, catalogue: catalogue, diagnostics: diagnostics).entries
    }

    /// A rule file's entries and its `not_watched` mapping (indicator → reason), if any.
    static func parseFile(yaml text: String, file: String, catalogue: Catalogue, diagnostics: Diagnostics)
        -> (entries: [(id: String?, location: SourceLocation, rule: Rule?)], notWatched: YAMLNode?)
    {
        guard let root = YAMLNode.parse(text, file: file, diagnostics: diagnostics),
            let fields = YAMLFields(root, "a rule file", allowed: ["rules", "not_watched"]),
            let list = fields["not_watched"] != nil && fields["rules"] == nil
                ? [] : fields.required("rules", in: "a rule file")?.sequence("rules")
        else { return ([], nil) }
        let entries = list.map { node -> (id: String?, location: SourceLocation, rule: Rule?) in
            var id: String?
            if case .mapping(let mapping) = node.node { id = mapping["id"]?.string }
            return (id, node.location, parseRule(node, catalogue))
        }
        return (entries, fields["not_watched"])
    }

    /// Parses rule files and checks that rule ids are unique across them.
    ///
    /// - Throws: `VigilErrors` with every problem found.
    public static func parse(files: [(path: String, text: String)], catalogue: Catalogue) throws -> [Rule] {
        let diagnostics = Diagnostics()
        let rules = parse(files: files, catalogue: catalogue, diagnostics: diagnostics)
        try diagnostics.throwIfAny()
        return rules
    }

    /// Parses rule files into `diagnostics`.
    public static func parse(files: [(path: String, text: String)], catalogue: Catalogue, diagnostics: Diagnostics) -> [Rule] {
        parsePack(files: files, catalogue: catalogue, diagnostics: diagnostics).rules
    }

    /// Parses rule files into `diagnostics`: the rules, and the indicators the files leave
    /// unwatched on purpose (`not_watched: {indicator: reason}`), checked against the catalogue.
    public static func parsePack(files: [(path: String, text: String)], catalogue: Catalogue, diagnostics: Diagnostics)
        -> (rules: [Rule], notWatched: [String: String])
    {
        var rules: [Rule] = []
        var seen: [String: SourceLocation] = [:]
        var reasons: [String: String] = [:]
        var excused: [String: SourceLocation] = [:]
        for file in files {
            let parsed = parseFile(yaml: file.text, file: file.path, catalogue: catalogue, diagnostics: diagnostics)
            for entry in parsed.notWatched?.mapping("not_watched") ?? [] {
                guard catalogue.indicator(entry.key) != nil else {
                    entry.keyNode.error(
                        "not_watched names unknown indicator '\(entry.key)'; expected an id from the catalogue", code: .rule)
                    continue
                }
                guard let reason = entry.value.string("the reason it is not watched") else { continue }
                if let first = excused[entry.key] {
                    entry.keyNode.error("'\(entry.key)' is already listed as not watched at \(first)", code: .rule)
                    continue
                }
                excused[entry.key] = entry.keyNode.location
                reasons[entry.key] = reason
            }
            for entry in parsed.entries {
                if let id = entry.id {
                    if let first = seen[id] {
                        diagnostics.error(.rule, "duplicate rule id '\(id)'; first defined at \(first)", at: entry.location)
                        continue
                    }
                    seen[id] = entry.location
                }
                if let rule = entry.rule { rules.append(rule) }
            }
        }
        return (rules, reasons)
    }

    private static let ruleKeys: Set<String> = [
        "id", "kind", "indicator", "breakdown", "severity", "priority", "for", "params", "message", "action", "description",
    ]

    private static func parseRule(_ node: YAMLNode, _ catalogue: Catalogue) -> Rule? {
        let errorsBefore = node.diagnostics.errors.count
        guard let f = YAMLFields(node, "a rule", allowed: ruleKeys), let id = f.required("id", in: "a rule")?.string("rule id")
        else { return nil }
        let what = "rule '\(id)'"
        if !Catalogue.isIdentifier(id, extra: "-") {
            f["id"]?.error("rule id '\(id)' must be lower-case letters, digits, '-' and '_'", code: .rule)
        }
        let kindNode = f.required("kind", in: what)
        let kindName = kindNode?.string("kind")
        let indicatorNode = f.required("indicator", in: what)
        var indicator: Indicator?
        if let indicatorId = indicatorNode?.string("indicator id") {
            indicator = catalogue.indicator(indicatorId)
            if indicator == nil {
                indicatorNode?.error(
                    "\(what) watches unknown indicator '\(indicatorId)'; expected an id from the catalogue", code: .rule)
            }
        }
        let severity = f["severity"].flatMap { Catalogue.parseEnum($0, Severity.self, "severity") } ?? .warning
        var priority = f["priority"]?.int("priority")
        if priority == nil, let indicator, let first = indicator.priorities.first { priority = first }
        if let p = priority, catalogue.priority(p) == nil {
            f["priority"]?.error(
                "priority \(p) is not one of the board's priorities (\(catalogue.priorities.map { String($0.id) }.joined(separator: ", ")))",
                code: .rule)
        }
        if priority == nil && f["priority"] == nil && indicator != nil {
            node.error("\(what) needs a 'priority' (its indicator lists none)", code: .rule)
        }
        let forPeriods = f["for"]?.int("for (periods)") ?? 1
        if forPeriods < 1 || forPeriods > 120 { f["for"]?.error("'for' must be between 1 and 120 periods", code: .rule) }
        var selector = BreakdownSelector.total
        if let b = f["breakdown"], let entries = b.mapping("breakdown selector") {
            var constraints: [String: String] = [:]
            for entry in entries {
                guard let value = entry.value.string("breakdown value") else { continue }
                if let indicator, !indicator.dimensions.contains(entry.key) {
                    entry.keyNode.error(
                        "'\(indicator.id)' has no '\(entry.key)' breakdown; its dimensions are: \(indicator.dimensions.isEmpty ? "none" : indicator.dimensions.joined(separator: ", "))",
                        code: .rule)
                } else if value != "*", let allowed = catalogue.dimensions[entry.key]?.values, !allowed.isEmpty,
                    !allowed.contains(value)
                {
                    entry.value.error(
                        "'\(value)' is not a \(entry.key); expected '*' or one of: \(allowed.joined(separator: ", "))",
                        code: .rule)
                }
                constraints[entry.key] = value
            }
            selector = BreakdownSelector(constraints: constraints)
        }
        guard let kindName, let indicator else { return nil }
        let params = f["params"]
        guard
            let kind = RuleParameters.parse(
                kind: kindName, kindNode: kindNode!, params: params, indicator: indicator, rule: node,
                ofCount: indicator.ofCount.flatMap(catalogue.indicator))
        else { return nil }
        let message = f["message"]?.string("message")
        let action = f["action"]?.string("action")
        for (template, key) in [(message, "message"), (action, "action")] {
            guard let template else { continue }
            for name in AlertEventFactory.unknownPlaceholders(template) {
                f[key]?.error(
                    "unknown placeholder {{\(name)}} in the \(key); expected one of: \(AlertEventFactory.placeholders.joined(separator: ", "))",
                    code: .rule)
            }
        }
        guard let priority else { return nil }
        guard node.diagnostics.errors.count == errorsBefore else { return nil }
        // The hash covers the definition as written (canonical YAML), not Swift's printout of it.
        let canonical = try? Yams.serialize(node: node.node, sortKeys: true)
        return Rule(
            id: id, kind: kind, indicator: indicator.id, selector: selector, severity: severity, priority: priority,
            forPeriods: max(1, forPeriods), message: message, action: action, location: node.location,
            hash: canonical.map { SHA256.hex($0) })
    }
}
