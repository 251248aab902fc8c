extension Catalogue {
    /// Parses and validates a catalogue from YAML text, reporting every error with its position.
    ///
    /// - Throws: `VigilErrors` listing all problems found.
    public static func parse(yaml text: String, file: String) throws -> Catalogue {
        let diagnostics = Diagnostics()
        let catalogue = parse(yaml: text, file: file, diagnostics: diagnostics)
        try diagnostics.throwIfAny()
        return catalogue!
    }

    /// Parses a catalogue, recording errors in `diagnostics`; nil only when the file is unusable.
    public static func parse(yaml text: String, file: String, diagnostics: Diagnostics) -> Catalogue? {
        guard let root = YAMLNode.parse(text, file: file, diagnostics: diagnostics),
            let fields = YAMLFields(root, "the catalogue", allowed: ["priorities", "partners", "dimensions", "indicators"])
        else { return nil }
        let priorities = (fields.required("priorities", in: "the catalogue")?.sequence("priorities") ?? []).compactMap(
            parsePriority)
        let partners = (fields.required("partners", in: "the catalogue")?.sequence("partners") ?? []).compactMap(parsePartner)
        let dimensionEntries = (fields["dimensions"]?.mapping("dimensions") ?? []).compactMap(parseDimension)
        let dimensions = dimensionEntries.map(\.dimension)
        validateSubtotals(dimensionEntries)
        let indicatorNodes = fields.required("indicators", in: "the catalogue")?.sequence("indicators") ?? []
        let parsed = indicatorNodes.compactMap { node in parseIndicator(node).map { (node, $0) } }
        validate(parsed, priorities: priorities, partners: partners, dimensions: dimensions)
        return Catalogue(priorities: priorities, partners: partners, dimensions: dimensions, indicators: parsed.map(\.1))
    }

    private static func parsePriority(_ node: YAMLNode) -> Priority? {
        guard let f = YAMLFields(node, "a priority", allowed: ["id", "title"]),
            let id = f.required("id", in: "a priority")?.int("priority id"),
            let title = f.required("title", in: "a priority")?.string("priority title")
        else { return nil }
        return Priority(id: id, title: title)
    }

    private static func parsePartner(_ node: YAMLNode) -> Partner? {
        guard let f = YAMLFields(node, "a partner", allowed: ["id", "name", "returns"]),
            let id = f.required("id", in: "a partner")?.string("partner id")
        else { return nil }
        if !isIdentifier(id, extra: "-") { node.error("partner id '\(id)' must be lower-case letters, digits and '-'") }
        var returns: [Periodicity: Int] = [:]
        for entry in f["returns"]?.mapping("returns (periodicity: days after the period ends)") ?? [] {
            guard let periodicity = Periodicity(rawValue: entry.key), periodicity != .snapshot else {
                entry.keyNode.error(
                    "returns: '\(entry.key)' is not a regular periodicity; expected one of: month, quarter, financial_half_year, financial_year"
                )
                continue
            }
            guard let days = entry.value.int("days after the period ends") else { continue }
            if days < 0 { entry.value.error("returns: days must be at least 0") }
            returns[periodicity] = max(0, days)
        }
        return Partner(id: id, name: f["name"]?.string("partner name") ?? id, returns: returns)
    }

    /// A parsed dimension, with the nodes of its subtotals for validation: the section, and each
    /// group's name and list.
    typealias ParsedDimension = (
        dimension: Dimension, subtotals: YAMLNode?, groups: [(group: String, name: YAMLNode, list: YAMLNode)]
    )

    private static func parseDimension(_ entry: (key: String, keyNode: YAMLNode, value: YAMLNode)) -> ParsedDimension? {
        guard let f = YAMLFields(entry.value, "dimension '\(entry.key)'", allowed: ["title", "values", "subtotals"]) else {
            return nil
        }
        if !isIdentifier(entry.key, extra: "_") {
            entry.keyNode.error("dimension name '\(entry.key)' must be lower-case letters, digits and '_'")
        }
        // A closed list, always: a free-text breakdown value could be a child's name or reference,
        // and breakdown values reach alerts, the journal and digests.
        let values = f["values"]?.strings("dimension values") ?? []
        if values.isEmpty {
            (f["values"] ?? entry.value).error(
                "dimension '\(entry.key)' needs 'values', the closed list a partner may send"
                    + " (free text could carry a child's identifier into alerts)")
        }
        var dimension = Dimension(id: entry.key, title: f["title"]?.string("dimension title") ?? entry.key, values: values)
        var nodes: [(group: String, name: YAMLNode, list: YAMLNode)] = []
        if let node = f["subtotals"],
            let s = YAMLFields(node, "subtotals of dimension '\(entry.key)'", allowed: ["of", "groups"])
        {
            let of = s.required("of", in: "subtotals of dimension '\(entry.key)'")?.string("the dimension added up")
            var groups: [String: [String]] = [:]
            for group in s.required("groups", in: "subtotals of dimension '\(entry.key)'")?.mapping("subtotal groups") ?? [] {
                groups[group.key] = group.value.strings("the values a subtotal adds up") ?? []
                nodes.append((group.key, group.keyNode, group.value))
            }
            if let of { dimension.subtotals = Dimension.Subtotals(of: of, groups: groups) }
        }
        return (dimension, f["subtotals"], nodes)
    }

    /// Subtotals name another declared dimension, their own values as groups, and values of that
    /// dimension, each in one group at most.
    private static func validateSubtotals(_ entries: [ParsedDimension]) {
        let byId = Dictionary(entries.map { ($0.dimension.id, $0.dimension) }, uniquingKeysWith: { a, _ in a })
        for (dimension, node, groupNodes) in entries {
            guard let subtotals = dimension.subtotals, let node else { continue }
            let name = "dimension '\(dimension.id)'"
            guard let of = byId[subtotals.of], of.id != dimension.id else {
                node.error(
                    subtotals.of == dimension.id
                        ? "\(name): subtotals must add up another dimension's values, not its own"
                        : "\(name): subtotals of '\(subtotals.of)', which is not declared under dimensions")
                continue
            }
            var seen: [String: String] = [:]
            // In the file's order, so a value listed twice is reported where it is repeated.
            for (group, nameNode, listNode) in groupNodes {
                if !dimension.values.contains(group) {
                    nameNode.error(
                        "\(name): subtotal '\(group)' is not one of its values (\(dimension.values.joined(separator: ", ")))")
                }
                for value in subtotals.groups[group] ?? [] {
                    if !of.values.contains(value) {
                        listNode.error("\(name): subtotal '\(group)' adds up '\(value)', which is not a value of '\(of.id)'")
                    } else if let other = seen[value] {
                        listNode.error(
                            "\(name): subtotal '\(group)' adds up '\(value)', which subtotal '\(other)' adds up already")
                    }
                    seen[value] = seen[value] ?? group
                }
            }
        }
    }

    static func isIdentifier(_ text: String, extra: Character) -> Bool {
        !text.isEmpty && text.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == extra || $0 == "_" }
    }

    private static let indicatorKeys: Set<String> = [
        "id", "title", "description", "unit", "periodicity", "polarity", "partners", "priorities", "dimensions",
        "targets", "statistical_neighbours", "england", "seasonality", "source", "derived", "due_days", "of_count",
        "plausible",
    ]

    private static func parseIndicator(_ node: YAMLNode) -> Indicator? {
        guard let f = YAMLFields(node, "an indicator", allowed: indicatorKeys),
            let id = f.required("id", in: "an indicator")?.string("indicator id")
        else { return nil }
        let what = "indicator '\(id)'"
        if !isIdentifier(id, extra: ".") {
            f["id"]?.error("indicator id '\(id)' must be lower-case letters, digits, '.' and '_'")
        }
        let periodicity = f.required("periodicity", in: what).flatMap { parseEnum($0, Periodicity.self, "periodicity") }
        let unit = f.required("unit", in: what).flatMap { parseEnum($0, IndicatorUnit.self, "unit") }
        let polarity = f["polarity"].flatMap { parseEnum($0, Polarity.self, "polarity") } ?? .neutral
        guard let periodicity, let unit else { return nil }
        var indicator = Indicator(
            id: id, title: f.required("title", in: what)?.string("title") ?? id, unit: unit, periodicity: periodicity,
            polarity: polarity)
        indicator.description = f["description"]?.string("description")
        indicator.source = f["source"]?.string("source")
        indicator.partners = f["partners"]?.strings("partner ids") ?? []
        indicator.priorities = f["priorities"]?.ints("priority numbers") ?? []
        indicator.dimensions = f["dimensions"]?.strings("dimension names") ?? []
        indicator.targets = f["targets"].map { parseReferences($0, "targets") } ?? [:]
        indicator.statisticalNeighbours = f["statistical_neighbours"].map { parseReferences($0, "statistical_neighbours") } ?? [:]
        indicator.england = f["england"].map { parseReferences($0, "england") } ?? [:]
        if let seasonal = f["seasonality"],
            let s = YAMLFields(seasonal, "seasonality", allowed: ["expected_low_months", "reason"])
        {
            let months = s.required("expected_low_months", in: "seasonality")?.ints("months 1–12") ?? []
            if months.contains(where: { !(1...12).contains($0) }) { seasonal.error("expected_low_months must be months 1–12") }
            indicator.seasonality = Seasonality(
                expectedLowMonths: Set(months), reason: s["reason"]?.string("reason") ?? "expected seasonal low")
        }
        if let derived = f["derived"] { indicator.derivation = parseDerivation(derived) }
        indicator.ofCount = f["of_count"]?.string("the count indicator it is of")
        if let due = f["due_days"] {
            indicator.dueDays = due.int("due_days (days after the period ends)")
            if let d = indicator.dueDays, d < 0 { due.error("due_days must be at least 0") }
            if periodicity == .snapshot { due.error("due_days needs a regular periodicity; '\(id)' is reported as snapshots") }
        }
        if let node = f["plausible"] { indicator.plausible = parsePlausible(node, unit: unit) }
        return indicator
    }

    /// `plausible: {min: 20, max: 100}`: at least one end, min below max, a percentage's within 0–100.
    private static func parsePlausible(_ node: YAMLNode, unit: IndicatorUnit) -> PlausibleRange? {
        guard let f = YAMLFields(node, "plausible", allowed: ["min", "max"]) else { return nil }
        let range = PlausibleRange(min: f["min"]?.double("plausible min"), max: f["max"]?.double("plausible max"))
        if range.min == nil && range.max == nil {
            node.error("plausible needs min, max or both")
            return nil
        }
        if let lo = range.min, let hi = range.max, lo >= hi {
            node.error("plausible min \(PlausibleRange.text(lo)) must be below max \(PlausibleRange.text(hi))")
            return nil
        }
        if unit == .percent, [range.min, range.max].contains(where: { $0.map { $0 < 0 || $0 > 100 } ?? false }) {
            node.error("a percentage's plausible range must lie within 0 to 100")
            return nil
        }
        return range
    }

    static func parseEnum<E: RawRepresentable & CaseIterable>(_ node: YAMLNode, _ type: E.Type, _ what: String) -> E?
    where E.RawValue == String {
        guard let text = node.string(what) else { return nil }
        if let value = E(rawValue: text) { return value }
        let allowed = E.allCases.map(\.rawValue).joined(separator: ", ")
        node.error("unknown \(what) '\(text)'; expected one of: \(allowed)")
        return nil
    }

    private static func parseReferences(_ node: YAMLNode, _ what: String) -> [Period: Double] {
        var values: [Period: Double] = [:]
        for entry in node.mapping(what) ?? [] {
            guard let period = Period(parsing: entry.key) else {
                entry.keyNode.error("'\(entry.key)' in \(what) is not a period (e.g. 2012/13, 2013-03, 2013-03-31)")
                continue
            }
            if let value = entry.value.double("\(what) value") { values[period] = value }
        }
        return values
    }

    private static func parseDerivation(_ node: YAMLNode) -> Derivation? {
        let keys: Set<String> = ["kind", "numerator", "denominator", "population", "input", "periods", "minuend", "subtrahend"]
        guard let f = YAMLFields(node, "derived", allowed: keys), let kind = f.required("kind", in: "derived")?.string("kind")
        else { return nil }
        func text(_ key: String) -> String? { f.required(key, in: "a \(kind) derivation")?.string(key) }
        func count() -> Int? {
            guard let n = f.required("periods", in: "a \(kind) derivation")?.int("periods") else { return nil }
            if n < 1 { f["periods"]?.error("periods must be at least 1") }
            return n
        }
        switch kind {
        case "ratio": return zip2(text("numerator"), text("denominator")).map { .ratio(numerator: $0, denominator: $1) }
        case "percent": return zip2(text("numerator"), text("denominator")).map { .percent(numerator: $0, denominator: $1) }
        case "rate_per_10k": return zip2(text("numerator"), text("population")).map { .ratePer10k(numerator: $0, population: $1) }
        case "difference": return zip2(text("minuend"), text("subtrahend")).map { .difference(minuend: $0, subtrahend: $1) }
        case "rolling_sum": return zip2(text("input"), count()).map { .rollingSum(input: $0, periods: $1) }
        case "rolling_mean": return zip2(text("input"), count()).map { .rollingMean(input: $0, periods: $1) }
        case "period_sum": return text("input").map { .periodSum(input: $0) }
        default:
            f["kind"]?.error(
                "unknown derivation kind '\(kind)'; expected one of: ratio, percent, rate_per_10k, rolling_sum, rolling_mean, difference, period_sum"
            )
            return nil
        }
    }

    private static func validate(
        _ parsed: [(YAMLNode, Indicator)], priorities: [Priority], partners: [Partner], dimensions: [Dimension]
    ) {
        let priorityIds = Set(priorities.map(\.id))
        let partnerIds = Set(partners.map(\.id))
        let dimensionIds = Set(dimensions.map(\.id))
        var seen: [String: YAMLNode] = [:]
        let byId = Dictionary(parsed.map { ($0.1.id, $0.1) }, uniquingKeysWith: { a, _ in a })
        for (node, indicator) in parsed {
            if seen[indicator.id] != nil { node.error("duplicate indicator id '\(indicator.id)'") }
            seen[indicator.id] = node
            for p in indicator.priorities where !priorityIds.contains(p) {
                node.error("indicator '\(indicator.id)' names priority \(p), which is not in the catalogue's priorities")
            }
            for p in indicator.partners where !partnerIds.contains(p) {
                node.error("indicator '\(indicator.id)' names partner '\(p)', which is not in the catalogue's partners")
            }
            for d in indicator.dimensions where !dimensionIds.contains(d) {
                node.error("indicator '\(indicator.id)' names dimension '\(d)', which is not declared under dimensions")
            }
            if let count = indicator.ofCount {
                if indicator.derivation != nil || ![.percent, .ratePer10k, .ratio].contains(indicator.unit) {
                    node.error(
                        "indicator '\(indicator.id)': of_count is for a supplied percentage, rate or ratio (derived ones know their counts)"
                    )
                } else if byId[count]?.unit != .count {
                    node.error(
                        byId[count] == nil
                            ? "indicator '\(indicator.id)': of_count names '\(count)', which is not in the catalogue"
                            : "indicator '\(indicator.id)': of_count names '\(count)', which is not a count")
                }
            }
            guard let derivation = indicator.derivation else { continue }
            if !indicator.partners.isEmpty {
                node.error("derived indicator '\(indicator.id)' is computed by Vigil, so it must not list partners")
            }
            for input in derivation.inputs {
                guard let source = byId[input] else {
                    node.error("derived indicator '\(indicator.id)' reads '\(input)', which is not in the catalogue")
                    continue
                }
                if case .periodSum = derivation {
                    if source.periodicity == .snapshot
                        || !(source.periodicity.periodsPerYear ?? 0 > indicator.periodicity.periodsPerYear ?? 0)
                    {
                        node.error(
                            "period_sum '\(indicator.id)' needs an input with shorter periods than \(indicator.periodicity); '\(input)' is \(source.periodicity)"
                        )
                    }
                } else if source.periodicity != indicator.periodicity,
                    !(input == derivation.inputs.last && isPopulation(derivation))
                {
                    node.error(
                        "derived indicator '\(indicator.id)' is \(indicator.periodicity) but its input '\(input)' is \(source.periodicity)"
                    )
                }
            }
            if dependsOn(indicator.id, start: indicator.id, byId: byId, depth: 0) {
                node.error("derived indicator '\(indicator.id)' depends on itself")
            }
        }
    }

    private static func isPopulation(_ derivation: Derivation) -> Bool {
        if case .ratePer10k = derivation { return true }
        return false
    }

    private static func dependsOn(_ target: String, start: String, byId: [String: Indicator], depth: Int) -> Bool {
        guard depth < 64, let inputs = byId[start]?.derivation?.inputs else { return false }
        return inputs.contains { $0 == target || dependsOn(target, start: $0, byId: byId, depth: depth + 1) }
    }
}

func zip2<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
