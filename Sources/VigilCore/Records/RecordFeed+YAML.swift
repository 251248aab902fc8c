extension RecordFeed {
    /// Parses record feed definitions (`records.d/*.yaml`), validated against the catalogue.
    public static func parse(yaml text: String, file: String, catalogue: Catalogue, diagnostics: Diagnostics) -> [RecordFeed] {
        guard let root = YAMLNode.parse(text, file: file, diagnostics: diagnostics),
            let f = YAMLFields(root, "a record feed file", allowed: ["record_feeds"]),
            let list = f.required("record_feeds", in: "a record feed file")?.sequence("record feeds")
        else { return [] }
        return list.compactMap { parseFeed($0, catalogue) }
    }

    private static func parseFeed(_ node: YAMLNode, _ catalogue: Catalogue) -> RecordFeed? {
        let before = node.diagnostics.errors.count
        guard let f = YAMLFields(node, "a record feed", allowed: ["id", "partner", "columns", "outputs", "description"]),
            let id = f.required("id", in: "a record feed")?.string("id"),
            let partner = f.required("partner", in: "a record feed")?.string("partner")
        else { return nil }
        if catalogue.partner(partner) == nil { f["partner"]?.error("unknown partner '\(partner)'") }
        var columns: [RecordColumn] = []
        for entry in f.required("columns", in: "a record feed")?.mapping("columns") ?? [] {
            guard
                let c = YAMLFields(
                    entry.value, "column '\(entry.key)'", allowed: ["type", "required", "values", "true", "false", "map"]),
                let kind = c.required("type", in: "column '\(entry.key)'").flatMap({
                    Catalogue.parseEnum($0, RecordColumn.Kind.self, "column type")
                })
            else { continue }
            var column = RecordColumn(name: entry.key, kind: kind, required: c["required"]?.bool("required") ?? true)
            column.values = c["values"]?.strings("values") ?? []
            if kind == .enum && column.values.isEmpty { entry.value.error("an enum column needs 'values'") }
            column.trueValues = c["true"]?.strings("true values") ?? ["Y"]
            column.falseValues = c["false"]?.strings("false values") ?? ["N"]
            for m in c["map"]?.mapping("map") ?? [] { column.map[m.key] = m.value.string("mapped value") }
            columns.append(column)
        }
        let index = Dictionary(columns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        func column(_ n: YAMLNode?, _ what: String, kinds: [RecordColumn.Kind]? = nil, why: String = "") -> Int? {
            guard let n, let name = n.string(what) else { return nil }
            guard let i = index[name] else {
                n.error("'\(name)' is not a column of this feed")
                return nil
            }
            if let kinds, !kinds.contains(columns[i].kind) {
                n.error(
                    "'\(name)' is \(columns[i].kind.withArticle) column; \(what) needs \(kinds.map(\.rawValue).joined(separator: " or "))\(why)"
                )
            }
            return i
        }
        var outputs: [Output] = []
        let keys: Set<String> = ["indicator", "measure", "of", "period", "start", "end", "snapshots", "where", "dimensions"]
        for o in f.required("outputs", in: "a record feed")?.sequence("outputs") ?? [] {
            guard let g = YAMLFields(o, "an output", allowed: keys),
                let ind = g.required("indicator", in: "an output")?.string("indicator"),
                let measureName = g.required("measure", in: "an output")?.string("measure")
            else { continue }
            guard let indicator = catalogue.indicator(ind) else {
                g["indicator"]?.error("unknown indicator '\(ind)'")
                continue
            }
            if !indicator.partners.contains(partner) { g["indicator"]?.error("partner '\(partner)' may not supply '\(ind)'") }
            let measure: Measure
            switch measureName {
            case "count": measure = .count
            case "distinct":
                measure = .distinct(column: column(g.required("of", in: "a distinct output"), "of", kinds: [.id, .string]) ?? 0)
            case "sum": measure = .sum(column: column(g.required("of", in: "a sum output"), "of", kinds: [.int]) ?? 0)
            case "distribution":
                measure = .distribution(
                    column: column(g.required("of", in: "a distribution output"), "of", kinds: [.id, .string]) ?? 0)
            case "active":
                if indicator.periodicity != .snapshot {
                    g["indicator"]?.error("an 'active' output needs a snapshot indicator; '\(ind)' is \(indicator.periodicity)")
                }
                let snapshots = g["snapshots"].flatMap { Catalogue.parseEnum($0, Periodicity.self, "snapshots") } ?? .quarter
                measure = .active(
                    start: column(g.required("start", in: "an active output"), "start", kinds: [.date, .datetime]) ?? 0,
                    end: column(g["end"], "end", kinds: [.date, .datetime]), snapshots: snapshots)
            default:
                g["measure"]?.error("unknown measure '\(measureName)'; expected count, distinct, sum, distribution or active")
                continue
            }
            var period: Int?
            if case .active = measure {
            } else {
                period = column(g.required("period", in: "an output"), "period", kinds: [.date, .datetime])
                if indicator.periodicity == .snapshot {
                    g["indicator"]?.error("'\(ind)' is a snapshot indicator; use measure 'active'")
                }
            }
            var filters: [Filter] = []
            for w in g["where"]?.mapping("where") ?? [] {
                guard let i = index[w.key] else {
                    w.keyNode.error("'\(w.key)' is not a column of this feed")
                    continue
                }
                if case .mapping = w.value.node,
                    let d = YAMLFields(w.value, "a filter", allowed: ["not_blank", "lasted_years_from"])
                {
                    if d["not_blank"]?.bool("not_blank") == true { filters.append(.notBlank(column: i)) }
                    if let from = column(d["lasted_years_from"], "lasted_years_from", kinds: [.date, .datetime]) {
                        filters.append(.lastedYears(from: from, to: i, years: 2))
                    }
                } else if let values = w.value.strings("filter values") {
                    if [.enum, .string, .bool].contains(columns[i].kind) {
                        filters.append(.oneOf(column: i, values: values))
                    } else {
                        w.keyNode.error(
                            "'\(w.key)' is \(columns[i].kind.withArticle) column; filter values need a bool, enum or string column"
                        )
                    }
                }
            }
            var dims: [(String, Int)] = []
            for d in g["dimensions"]?.mapping("dimensions") ?? [] {
                if !indicator.dimensions.contains(d.key) { d.keyNode.error("'\(ind)' has no '\(d.key)' breakdown") }
                // Only a closed list: a breakdown's values reach alerts, the journal and digests,
                // and a free-text cell (a child's reference) must never become one.
                if let i = column(
                    d.value, "dimension column", kinds: [.enum],
                    why:
                        " (a closed list of values: a free-text cell, such as a child's reference, must never become a breakdown value)"
                ) {
                    // Stored as the catalogue's values only, as the aggregate path requires.
                    let allowed = catalogue.dimensions[d.key]?.values ?? []
                    for raw in columns[i].values {
                        let stored = columns[i].map[raw] ?? raw
                        guard !allowed.contains(stored) else { continue }
                        d.value.error(
                            "'\(columns[i].name)' value '\(raw)' is stored as '\(stored)', which is not a \(d.key); expected one of: "
                                + allowed.joined(separator: ", "))
                        break
                    }
                    dims.append((d.key, i))
                }
            }
            if case .distribution = measure, indicator.dimensions.isEmpty {
                g["indicator"]?.error("a distribution output needs an indicator with a count dimension (e.g. incident_count)")
            }
            outputs.append(
                Output(
                    indicator: ind, measure: measure, periodColumn: period, filters: filters,
                    dimensions: dims.map { (dimension: $0.0, column: $0.1) }))
        }
        guard node.diagnostics.errors.count == before else { return nil }
        return RecordFeed(id: id, partner: partner, columns: columns, outputs: outputs)
    }
}
