import VigilCore

extension DisclosureControl {
    /// One relation a reader of the digest knows between an indicator's cells at a period: the
    /// parts add up to the margin. Every part the catalogue lists is in it, with a figure or not.
    typealias Group = (margin: SeriesKey, parts: [SeriesKey])

    /// A cell hidden because it was the smallest of `over` (by value, then by name): a reader who
    /// knows the algorithm knows it was no larger than each of them.
    struct Choice {
        var chosen: SeriesKey
        var over: [SeriesKey]
    }

    /// The relations between `indicator`'s series (`keys`, those with figures):
    /// - a series with one of its dimensions left out is the sum of that dimension's parts (a
    ///   breakdown's parts add up to the total; a cross-tabulation's cells to each marginal);
    /// - a subtotal dimension's value is the sum of the values it groups of the other dimension
    ///   (`ethnic_group=white` is `white_british` + `white_irish` + `white_other` of `ethnicity`),
    ///   when the catalogue declares it (review: a reader with both tables took the ethnic group's
    ///   white less two shown parts and had white Irish's 1).
    static func relations(_ indicator: Indicator, keys: some Collection<SeriesKey>, _ catalogue: Catalogue) -> [Group] {
        // By margin and dimension, named (for their order) once each at the end: a name made for
        // every series and dimension was a third of a full cross-tabulation's cost (25,920
        // series, review helper-19).
        var byRelation: [Relation: Set<SeriesKey>] = [:]
        for key in keys {
            for pair in key.breakdown.pairs {
                let margin = SeriesKey(indicator: indicator.id, breakdown: key.breakdown.removing(pair.dimension))
                let relation = Relation(margin: margin, dimension: pair.dimension)
                if byRelation[relation] == nil {
                    let listed = catalogue.dimensions[pair.dimension]?.values ?? []
                    byRelation[relation] = Set(parts(of: margin, pair.dimension, listed))
                }
                // A part the catalogue does not list (none, for a validated feed) is in it too.
                byRelation[relation]!.insert(key)
            }
        }
        var byName: [String: (margin: SeriesKey, parts: Set<SeriesKey>)] = [:]
        for (relation, parts) in byRelation { byName["\(relation.margin) by \(relation.dimension)"] = (relation.margin, parts) }
        for dimension in indicator.dimensions {
            guard let subtotals = catalogue.dimensions[dimension]?.subtotals, indicator.dimensions.contains(subtotals.of)
            else { continue }
            for key in keys {
                guard let group = key.breakdown.values[dimension], let members = subtotals.groups[group] else { continue }
                let rest = SeriesKey(indicator: indicator.id, breakdown: key.breakdown.removing(dimension))
                guard rest.breakdown.values[subtotals.of] == nil else { continue }
                byName["\(key) as \(subtotals.of)"] = (key, Set(parts(of: rest, subtotals.of, members)))
            }
        }
        return byName.keys.sorted().map { name in
            let group = byName[name]!
            return (group.margin, group.parts.map { ("\($0)", $0) }.sorted { $0.0 < $1.0 }.map(\.1))
        }
    }

    /// A relation's margin and the dimension its parts differ in.
    private struct Relation: Hashable {
        let margin: SeriesKey
        let dimension: String
    }

    /// The series `rest` plus `dimension` at each of `values`.
    private static func parts(of rest: SeriesKey, _ dimension: String, _ values: [String]) -> [SeriesKey] {
        values.map { SeriesKey(indicator: rest.indicator, breakdown: rest.breakdown.setting(dimension, to: $0)) }
    }
}
