import VigilCore

extension DisclosureControl {
    /// Hides every derived figure one of whose inputs is hidden: a percentage, ratio or rate of a
    /// hidden count (or of a small denominator), a difference with a hidden side, a period or
    /// rolling sum or mean over a hidden month. Shown, each would give the hidden cell back from
    /// the cells around it (review: a financial year's total less eleven shown months gave the
    /// twelfth). Twice, for a derived figure read by another.
    mutating func hideDerivedFromHidden(_ dataset: Dataset, _ catalogue: Catalogue) {
        for _ in 0..<2 {
            for indicator in catalogue.indicators {
                guard let derivation = indicator.derivation else { continue }
                for key in dataset.keys(indicator: indicator.id) {
                    for point in dataset.points(key) {
                        guard case .number(let value) = point.value,
                            !hides(key, point.period, value: value, unit: indicator.unit),
                            inputHidden(derivation, key.breakdown, point.period, dataset, catalogue)
                        else { continue }
                        hide(key, point.period, value)
                    }
                }
            }
        }
    }

    /// Hides each supplied percentage, rate or ratio that stands for a count of 1 to 5 of the
    /// count it is of (`of_count`: its figure at the period, the period holding it, or else the
    /// latest before), or whose count is hidden (review: 2.3% of 216 MARAC cases can only be 5).
    /// Without a figure for the count nothing can be judged, and the figure is shown.
    mutating func hideSuppliedRatesOfSmallCounts(_ dataset: Dataset, _ catalogue: Catalogue) {
        for indicator in catalogue.indicators where indicator.derivation == nil {
            guard let count = indicator.ofCount else { continue }
            let scale: Double =
                switch indicator.unit {
                case .percent: 100
                case .ratePer10k: 10_000
                default: 1
                }
            for key in dataset.keys(indicator: indicator.id) {
                let counts = dataset.points(SeriesKey(indicator: count, breakdown: key.breakdown))
                for point in dataset.points(key) {
                    guard case .number(let value) = point.value,
                        let base = counts.first(where: { $0.period == point.period || $0.period.contains(point.period) })
                            ?? counts.last(where: { $0.period.end <= point.period.end }),
                        case .number(let denominator) = base.value
                    else { continue }
                    let implied = value * denominator / scale
                    let countKey = SeriesKey(indicator: count, breakdown: key.breakdown)
                    if (implied >= 0.5 && implied < 5.5) || hides(countKey, base.period, value: denominator, unit: .count) {
                        hide(key, point.period, value)
                    }
                }
            }
        }
    }

    /// Whether an input cell of the derived figure for `breakdown` at `period` is hidden.
    private func inputHidden(
        _ derivation: Derivation, _ breakdown: Breakdown, _ period: Period, _ dataset: Dataset, _ catalogue: Catalogue
    ) -> Bool {
        /// The input's cells (series, period, number) of `indicator` that `filter` picks.
        func hiddenIn(_ indicator: String, _ picks: ([SeriesPoint]) -> [SeriesPoint]) -> Bool {
            let unit = catalogue.indicator(indicator)?.unit ?? .count
            let key = SeriesKey(indicator: indicator, breakdown: breakdown)
            for point in picks(dataset.points(key)) {
                if case .number(let n) = point.value, hides(key, point.period, value: n, unit: unit) { return true }
            }
            return false
        }
        let samePeriod = { (points: [SeriesPoint]) in points.filter { $0.period == period } }
        switch derivation {
        case .ratio(let n, let d), .percent(let n, let d), .ratePer10k(let n, let d):
            // A small denominator gives a count back too (1 of 3 is 33.3%).
            // A hidden denominator too (review: 6 at 75.0% gave a total hidden beside small
            // parts back as 8).
            if catalogue.indicator(d)?.unit == .count,
                let denominator = dataset.point(SeriesKey(indicator: d, breakdown: breakdown), period),
                case .number(let value) = denominator.value,
                hides(SeriesKey(indicator: d, breakdown: breakdown), period, value: value, unit: .count)
            {
                return true
            }
            return hiddenIn(n, samePeriod)
        case .difference(let a, let b):
            return hiddenIn(a, samePeriod) || hiddenIn(b, samePeriod)
        case .periodSum(let input):
            return hiddenIn(input) { $0.filter { $0.period.start >= period.start && $0.period.end <= period.end } }
        case .rollingSum(let input, let periods), .rollingMean(let input, let periods):
            return hiddenIn(input) { points in
                guard let last = points.lastIndex(where: { $0.period == period }) else { return [] }
                return Array(points[max(0, last - periods + 1)...last])
            }
        }
    }
}
