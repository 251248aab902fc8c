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
        var byName: [String: (margin: SeriesKey, parts: Set<SeriesKey>)] = [:]
        for key in keys {
            for pair in key.breakdown.pairs {
                var rest = key.breakdown.values
                rest[pair.dimension] = nil
                let margin = SeriesKey(indicator: indicator.id, breakdown: Breakdown(rest))
                let name = "\(margin) by \(pair.dimension)"
                if byName[name] == nil {
                    let listed = catalogue.dimensions[pair.dimension]?.values ?? []
                    byName[name] = (margin, Set(parts(of: rest, pair.dimension, listed, indicator)))
                }
                // A part the catalogue does not list (none, for a validated feed) is in it too.
                byName[name]!.parts.insert(key)
            }
        }
        for dimension in indicator.dimensions {
            guard let subtotals = catalogue.dimensions[dimension]?.subtotals, indicator.dimensions.contains(subtotals.of)
            else { continue }
            for key in keys {
                guard let group = key.breakdown.values[dimension], let members = subtotals.groups[group] else { continue }
                var rest = key.breakdown.values
                rest[dimension] = nil
                guard rest[subtotals.of] == nil else { continue }
                byName["\(key) as \(subtotals.of)"] = (key, Set(parts(of: rest, subtotals.of, members, indicator)))
            }
        }
        return byName.keys.sorted().map { name in
            let group = byName[name]!
            return (group.margin, group.parts.sorted { "\($0)" < "\($1)" })
        }
    }

    /// The series `rest` plus `dimension` at each of `values`.
    private static func parts(of rest: [String: String], _ dimension: String, _ values: [String], _ indicator: Indicator)
        -> [SeriesKey]
    {
        values.map { value in
            var pairs = rest
            pairs[dimension] = value
            return SeriesKey(indicator: indicator.id, breakdown: Breakdown(pairs))
        }
    }
}
