/// Totals a return sent by category implies.
extension Dataset {
    /// The dataset with, for each indicator whose breakdowns add up to its total (a
    /// `breakdown_sum` rule declares it: `sums`, indicator → dimensions), the total of every period
    /// that has no total row but a number for every value of one of those dimensions: their sum,
    /// from their files.
    ///
    /// Review helper-25: a partner that switched from totals to categories silenced every rule on
    /// the total (a 70% rise in children on plans, and the digest green). A period with a value
    /// missing or withheld (`c`) in every such dimension still has no total: it is not known.
    public func fillingTotals(_ sums: [String: [String]], catalogue: Catalogue) -> Dataset {
        var added: [Observation] = []
        for (indicator, dimensions) in sums.sorted(by: { $0.key < $1.key }) {
            let keys = keys(indicator: indicator)
            guard keys.count > 1 else { continue }
            let total = SeriesKey(indicator: indicator)
            var known = Set(points(total).map(\.period))
            for dimension in dimensions {
                guard let values = catalogue.dimensions[dimension]?.values, !values.isEmpty else { continue }
                var sum: [Period: Double] = [:]
                var count: [Period: Int] = [:]
                var sources: [Period: Set<String>] = [:]
                for key in keys where key.breakdown.pairs.count == 1 && key.breakdown.pairs[0].dimension == dimension {
                    guard values.contains(key.breakdown.pairs[0].value) else { continue }
                    for point in points(key) where !known.contains(point.period) {
                        guard let number = point.number else {
                            count[point.period] = -values.count  // withheld: never complete
                            continue
                        }
                        sum[point.period, default: 0] += number
                        count[point.period, default: 0] += 1
                        sources[point.period, default: []].formUnion(point.sources)
                    }
                }
                for (period, n) in count where n == values.count {
                    added.append(
                        Observation(
                            series: total, period: period, value: .number(sum[period]!),
                            sources: sources[period, default: []].sorted()))
                    known.insert(period)
                }
            }
        }
        guard !added.isEmpty else { return self }
        var result = self
        result.upsert(contentsOf: added)
        return result
    }
}
