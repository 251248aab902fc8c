/// Computes derived indicators (percentages, rates, rolling sums, period sums) from a dataset.
///
/// Pure: `derive(catalogue:from:)` returns a new dataset with every derived series recomputed from
/// scratch, so a revised input always updates what depends on it.
public enum Deriver {
    /// Returns `dataset` with all derived series (re)computed, in dependency order.
    public static func derive(catalogue: Catalogue, from dataset: Dataset) -> Dataset {
        derive(catalogue: catalogue, from: dataset, only: nil)
    }

    /// Derives only `only` (and the derived indicators they are computed from); nil derives all.
    public static func derive(catalogue: Catalogue, from dataset: Dataset, only: Set<String>?) -> Dataset {
        var needed = only
        if var wanted = only {
            // Inputs of a needed derived indicator are needed too (in reverse dependency order).
            for indicator in catalogue.derivedInDependencyOrder.reversed() where wanted.contains(indicator.id) {
                wanted.formUnion(indicator.derivation?.inputs ?? [])
            }
            needed = wanted
        }
        var result = dataset
        for indicator in catalogue.derivedInDependencyOrder {
            guard let derivation = indicator.derivation else { continue }
            if let needed, !needed.contains(indicator.id) { continue }
            for key in result.keys(indicator: indicator.id) { result.removeAll(key) }
            // A result beyond the largest possible value (a count over a tiny one: 1 ÷ 1e-308 is
            // infinite) is no value, as it would be if supplied: statistics over the series stay
            // finite, and its alerts readable. (NaN fails the comparison too.)
            result.upsert(
                contentsOf: compute(indicator, derivation, result, catalogue).filter {
                    $0.value.number.map { abs($0) <= ObservedValue.largestMagnitude } ?? true
                })
        }
        return result
    }

    private static func compute(_ indicator: Indicator, _ derivation: Derivation, _ data: Dataset, _ catalogue: Catalogue)
        -> [Observation]
    {
        switch derivation {
        case .ratio(let n, let d): return combine(indicator, data, n, d) { $1 == 0 ? nil : $0 / $1 }
        case .percent(let n, let d): return combine(indicator, data, n, d) { $1 == 0 ? nil : 100 * $0 / $1 }
        case .difference(let a, let b): return combine(indicator, data, a, b) { $0 - $1 }
        case .ratePer10k(let n, let population):
            return ratePer10k(indicator, data, numerator: n, population: population)
        case .rollingSum(let input, let count): return rolling(indicator, data, input, count) { $0.reduce(0, +) }
        case .rollingMean(let input, let count):
            return rolling(indicator, data, input, count) { $0.reduce(0, +) / Double($0.count) }
        case .periodSum(let input): return periodSum(indicator, data, input)
        }
    }

    private static func combine(
        _ indicator: Indicator, _ data: Dataset, _ left: String, _ right: String, _ op: (Double, Double) -> Double?
    ) -> [Observation] {
        var out: [Observation] = []
        for key in data.keys(indicator: left) {
            let rightKey = SeriesKey(indicator: right, breakdown: key.breakdown)
            for point in data.points(key) {
                guard let other = data.point(rightKey, point.period) else { continue }
                let sources = Array(Set(point.sources + other.sources)).sorted()
                let value: ObservedValue
                if let a = point.number, let b = other.number {
                    guard let result = op(a, b) else { continue }
                    value = .number(result)
                } else {
                    value = .marker(point.number == nil ? point.value.description : other.value.description)
                }
                out.append(
                    Observation(
                        series: SeriesKey(indicator: indicator.id, breakdown: key.breakdown), period: point.period, value: value,
                        sources: sources))
            }
        }
        return out
    }

    /// The population figure for `period`: the one at or holding it, else the latest that ended
    /// by its end. Found by binary search when the figures' periods follow each other without
    /// overlapping (review helper-18: a linear search per point made 46,300 daily population
    /// snapshots against 520 weekly plans take 69 s of the hourly evaluation); else, for
    /// periods of mixed kinds, by the same rule read in order.
    /// `ordered`: whether the figures' periods follow each other without overlapping (checked
    /// once per series by `followEachOther`).
    static func populationFor(_ period: Period, in points: [SeriesPoint], ordered: Bool) -> SeriesPoint? {
        guard ordered else {
            return points.first { $0.period == period || $0.period.contains(period) }
                ?? points.last { $0.period.end <= period.end }
        }
        // The last figure starting by the period's start is the only one that can hold it.
        let starting = points.partition { $0.period.start <= period.start }
        if starting > 0, points[starting - 1].period == period || points[starting - 1].period.contains(period) {
            return points[starting - 1]
        }
        let ended = points.partition { $0.period.end <= period.end }
        return ended > 0 ? points[ended - 1] : nil
    }

    /// Whether each point's period ends before the next one's starts.
    static func followEachOther(_ points: [SeriesPoint]) -> Bool {
        var k = 1
        while k < points.count {
            guard points[k - 1].period.end < points[k].period.start else { return false }
            k += 1
        }
        return true
    }

    private static func ratePer10k(_ indicator: Indicator, _ data: Dataset, numerator: String, population: String)
        -> [Observation]
    {
        var out: [Observation] = []
        for key in data.keys(indicator: numerator) {
            let populationPoints = data.points(SeriesKey(indicator: population, breakdown: key.breakdown))
            let ordered = followEachOther(populationPoints)
            for point in data.points(key) {
                guard let pop = populationFor(point.period, in: populationPoints, ordered: ordered) else { continue }
                let sources = Array(Set(point.sources + pop.sources)).sorted()
                let value: ObservedValue
                if let n = point.number, let p = pop.number {
                    guard p > 0 else { continue }
                    value = .number(10_000 * n / p)
                } else {
                    value = .marker(point.number == nil ? point.value.description : pop.value.description)
                }
                out.append(
                    Observation(
                        series: SeriesKey(indicator: indicator.id, breakdown: key.breakdown), period: point.period, value: value,
                        sources: sources))
            }
        }
        return out
    }

    private static func rolling(
        _ indicator: Indicator, _ data: Dataset, _ input: String, _ count: Int, _ op: ([Double]) -> Double
    )
        -> [Observation]
    {
        var out: [Observation] = []
        for key in data.keys(indicator: input) {
            let points = data.points(key)
            let byPeriod = Dictionary(points.map { ($0.period, $0) }, uniquingKeysWith: { a, _ in a })
            for point in points {
                var window: [SeriesPoint] = [point]
                var cursor = point.period
                while window.count < count, let previous = cursor.previous, let p = byPeriod[previous] {
                    window.append(p)
                    cursor = previous
                }
                guard window.count == count else { continue }
                let sources = Array(Set(window.flatMap(\.sources))).sorted()
                let numbers = window.compactMap(\.number)
                let value: ObservedValue = numbers.count == count ? .number(op(numbers)) : .marker("c")
                out.append(
                    Observation(
                        series: SeriesKey(indicator: indicator.id, breakdown: key.breakdown), period: point.period, value: value,
                        sources: sources))
            }
        }
        return out
    }

    private static func periodSum(_ indicator: Indicator, _ data: Dataset, _ input: String) -> [Observation] {
        var out: [Observation] = []
        for key in data.keys(indicator: input) {
            let points = data.points(key)
            guard let first = points.first, let last = points.last else { continue }
            var target = enclosing(first.period, indicator.periodicity)
            while let current = target, current.start <= last.period.end {
                let inside = points.filter { current.contains($0.period) }
                let expected = subPeriods(of: current, first.period.periodicity)
                if inside.count == expected {
                    let numbers = inside.compactMap(\.number)
                    let value: ObservedValue = numbers.count == inside.count ? .number(numbers.reduce(0, +)) : .marker("c")
                    let sources = Array(Set(inside.flatMap(\.sources))).sorted()
                    out.append(
                        Observation(
                            series: SeriesKey(indicator: indicator.id, breakdown: key.breakdown), period: current, value: value,
                            sources: sources))
                }
                target = current.next
            }
        }
        return out
    }

    /// The period of `periodicity` that contains `period` (none for snapshots).
    static func enclosing(_ period: Period, _ periodicity: Periodicity) -> Period? {
        periodicity == .snapshot ? nil : Period.containing(period.start, periodicity)
    }

    private static func subPeriods(of period: Period, _ periodicity: Periodicity) -> Int {
        var count = 0
        var cursor = enclosing(Period.snapshot(period.start), periodicity)
        while let current = cursor, period.contains(current) {
            count += 1
            cursor = current.next
        }
        return count
    }
}
