import VigilCore

/// A breakdown of the alert's indicator at its period (e.g. plans by category), suppressed as needed.
public struct BreakdownTable: Sendable {
    /// The dimension's title.
    public var dimension: String
    /// The period's label.
    public var period: String
    /// Cells as displayed.
    public var cells: [(label: String, text: String)]
    /// The total as displayed.
    public var total: String

    static func make(
        record: AlertRecord, indicator: Indicator, catalogue: Catalogue, dataset: Dataset, period text: String,
        control: DisclosureControl
    ) -> BreakdownTable? {
        guard !indicator.dimensions.isEmpty, let period = Period(parsing: text) else { return nil }
        let own = Breakdown(key: record.breakdown).pairs.first?.dimension
        let keys = dataset.keys(indicator: indicator.id)
        let candidates = own.map { [$0] } ?? indicator.dimensions
        for dimension in candidates {
            // In the catalogue's order of values (0 to 4, 5 to 9, ...), never alphabetical.
            let order = catalogue.dimensions[dimension]?.values ?? []
            let rank = { (value: String) in order.firstIndex(of: value) ?? order.count }
            let parts = keys.filter { $0.breakdown.pairs.count == 1 && $0.breakdown.pairs[0].dimension == dimension }
                .sorted { a, b in
                    let x = a.breakdown.pairs[0].value
                    let y = b.breakdown.pairs[0].value
                    return (rank(x), x) < (rank(y), y)
                }
                .compactMap { key in
                    dataset.point(key, period).map {
                        (
                            label: key.breakdown.pairs[0].value.replacingUnderscores,
                            text: control.display($0.number, unit: indicator.unit, series: key, period: period)
                        )
                    }
                }
            guard !parts.isEmpty else { continue }
            let total = SeriesKey(indicator: indicator.id)
            return BreakdownTable(
                dimension: catalogue.dimensions[dimension]?.title ?? dimension, period: period.label, cells: parts,
                total: control.display(dataset.point(total, period)?.number, unit: indicator.unit, series: total, period: period))
        }
        return nil
    }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
