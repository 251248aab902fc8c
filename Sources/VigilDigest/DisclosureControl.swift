import VigilCore

/// Disclosure control for digests shared beyond the board (DfE convention): counts of 1 to 5 are
/// shown as `c`; so is a percentage, ratio or rate whose numerator is such a count (its published
/// denominator would give it back); and where parts of a breakdown and their total are published,
/// more cells are hidden until the hidden parts together exceed 5 (secondary suppression), so
/// that no hidden count can be worked out by subtraction. Zeros are shown.
///
/// The cells to hide are decided once, from the whole dataset the digest is built from, so every
/// place that shows a cell (tables, alert cards, charts, their text) hides the same ones: a
/// table's secondarily hidden part was once shown by its own alert card, giving the primary back.
public struct DisclosureControl: Sendable {
    /// Whether suppression is on.
    public var enabled: Bool
    /// The cells hidden besides counts of 1 to 5: a series at a period.
    private var hidden: Set<Cell> = []
    /// The numbers of those cells, by series: an alert's expected figure (an earlier value, the
    /// start of a run, a breakdown's total) equal to one is hidden with it.
    private var hiddenNumbers: [SeriesKey: Set<Double>] = [:]
    /// Series with any hidden cell (small or hidden to protect one): a mean over them, drawn or
    /// quoted, could give one back.
    private var seriesWithHidden: Set<SeriesKey> = []
    /// Percentages, ratios and rates of a count.
    private var ofCounts: Set<String> = []
    /// Count breakdowns with a hidden cell, by indicator, dimension and period: a part of that
    /// dimension alone, or the total.
    private var breakdownsWithHidden: Set<String> = []
    /// Most unknowns (hidden or missing cells of one indicator at one period) the audit solves for
    /// (`auditSmallCells`); larger tables have every cell beside a hidden small count hidden.
    var auditLimit = 64

    struct Cell: Hashable {
        var series: SeriesKey
        var period: Period
    }

    /// A control without a dataset: counts of 1 to 5 only.
    public init(enabled: Bool) { self.enabled = enabled }

    /// The control for a digest built from `dataset` (supplied and derived series).
    public init(enabled: Bool, dataset: Dataset, catalogue: Catalogue) {
        self.enabled = enabled
        guard enabled else { return }
        ofCounts = Set(
            catalogue.indicators.filter { Self.countNumerator($0, catalogue) != nil || $0.ofCount != nil }.map(\.id))
        for key in dataset.keys where catalogue.indicator(key.indicator)?.unit == .count {
            for point in dataset.points(key) {
                if case .number(let n) = point.value, isSmall(n, unit: .count) { seriesWithHidden.insert(key) }
            }
        }
        // Twice: a derived count hidden in the second step can need parts hidden beside it.
        for _ in 0..<2 {
            for indicator in catalogue.indicators where indicator.unit == .count && !indicator.dimensions.isEmpty {
                hideSecondaryCells(indicator, dataset, catalogue)
            }
            hideDerivedFromHidden(dataset, catalogue)
            hideSuppliedRatesOfSmallCounts(dataset, catalogue)
        }
        for indicator in catalogue.indicators where indicator.unit == .count && !indicator.dimensions.isEmpty {
            for key in dataset.keys(indicator: indicator.id) where key.breakdown.pairs.count <= 1 {
                for point in dataset.points(key) {
                    guard case .number(let n) = point.value, hides(key, point.period, value: n, unit: .count) else { continue }
                    for dimension in key.breakdown.pairs.first.map({ [$0.dimension] }) ?? indicator.dimensions {
                        breakdownsWithHidden.insert("\(indicator.id)\u{0}\(dimension)\u{0}\(point.period)")
                    }
                }
            }
        }
    }

    /// Whether a cell of `indicator`'s breakdown by `dimension` at `period` is hidden (a part of
    /// that dimension alone, or the total): a breakdown check's sum and total would then give
    /// hidden counts back.
    public func hidesAnyCell(of indicator: String, dimension: String, at period: Period) -> Bool {
        enabled && breakdownsWithHidden.contains("\(indicator)\u{0}\(dimension)\u{0}\(period)")
    }

    /// Hides a cell and remembers its number.
    mutating func hide(_ series: SeriesKey, _ period: Period, _ value: Double) {
        hidden.insert(Cell(series: series, period: period))
        hiddenNumbers[series, default: []].insert(value)
        seriesWithHidden.insert(series)
    }

    /// Whether means over `series` (a baseline, a process centre line and its limits) must not
    /// be shown: it has a hidden cell, which the mean and the shown cells would give back.
    public func hidesMeans(of series: SeriesKey) -> Bool { enabled && seriesWithHidden.contains(series) }

    /// An alert's expected figure for display: `c` when it is a count of 1 to 5 or equals a cell of
    /// the same series that is hidden (an earlier value, the start of a run, the total).
    /// A mean (`isMean`: a spike's or SPC rule's usual level) is hidden when the series has any
    /// hidden cell.
    public func displayExpected(_ value: Double?, unit: IndicatorUnit, series: SeriesKey, isMean: Bool = false) -> String {
        guard let value else { return "–" }
        let hide =
            isSmall(value, unit: unit) || (enabled && hiddenNumbers[series]?.contains(value) == true)
            || (isMean && hidesMeans(of: series))
        return hide ? "c" : unit.format(value)
    }

    /// The count a percentage, ratio or rate is of, when its numerator is a count.
    static func countNumerator(_ indicator: Indicator, _ catalogue: Catalogue) -> String? {
        let numerator: String
        switch indicator.derivation {
        case .percent(let n, _), .ratio(let n, _), .ratePer10k(let n, _): numerator = n
        default: return nil
        }
        return catalogue.indicator(numerator)?.unit == .count ? numerator : nil
    }

    /// Whether `indicator` is a percentage, ratio or rate of a count (its text could name one).
    public func madeFromCounts(_ indicator: String) -> Bool { ofCounts.contains(indicator) }

    /// Whether a value must be hidden for being a count of 1 to 5 (primary suppression).
    public func isSmall(_ value: Double?, unit: IndicatorUnit) -> Bool {
        guard enabled, unit == .count, let value else { return false }
        return value >= 1 && value <= 5
    }

    /// Whether `series`' value at `period` must be hidden: a count of 1 to 5, a figure that
    /// would give one back, or a cell hidden so that none can be worked out by subtraction.
    public func hides(_ series: SeriesKey, _ period: Period?, value: Double?, unit: IndicatorUnit) -> Bool {
        guard enabled else { return false }
        if isSmall(value, unit: unit) { return true }
        guard let period else { return false }
        return hidden.contains(Cell(series: series, period: period))
    }

    /// A value for display: the unit's format, `c` when suppressed, `–` when missing.
    public func display(_ value: Double?, unit: IndicatorUnit, series: SeriesKey? = nil, period: Period? = nil) -> String {
        guard let value else { return "–" }
        let hide = series.map { hides($0, period, value: value, unit: unit) } ?? isSmall(value, unit: unit)
        return hide ? "c" : unit.format(value)
    }

    /// Secondary suppression for one count indicator. Each series with a breakdown is a part of
    /// the series with one of its dimensions left out: a single dimension's parts add up to the
    /// total, a cross-tabulation's cells (age band by gender) to each of their marginals. For each
    /// period, in every such group whose margin is shown, either no part is hidden or at least two
    /// are, together more than 5 (one hidden part alone is its margin less the others); a hidden
    /// margin needs a hidden part. Repeated until nothing changes, because a cell hidden for one
    /// group changes the others it belongs to.
    private mutating func hideSecondaryCells(_ indicator: Indicator, _ dataset: Dataset, _ catalogue: Catalogue) {
        // The indicator's numbers by series and period, read once. (Read in a plain loop: reading
        // `point(_:_:)?.number` inside this function's closures crashed the release compiler,
        // Swift 6.3.1's CopyPropagation.)
        var numbers: [SeriesKey: [Period: Double]] = [:]
        var periods = Set<Period>()
        // Parts the partner sent as `c`: a reader knows each is at least 1.
        var markedSmall: [Period: Set<SeriesKey>] = [:]
        for key in dataset.keys(indicator: indicator.id) {
            for point in dataset.points(key) {
                if case .number(let n) = point.value {
                    numbers[key, default: [:]][point.period] = n
                    periods.insert(point.period)
                } else if case .marker("c") = point.value {
                    markedSmall[point.period, default: []].insert(key)
                }
            }
        }
        let groups = DisclosureControl.relations(indicator, keys: numbers.keys, catalogue)
        // The groups each cell is in: after a cell is hidden, only those can come out otherwise.
        var groupsOf: [SeriesKey: [Int]] = [:]
        for (index, group) in groups.enumerated() {
            for key in [group.margin] + group.parts { groupsOf[key, default: []].append(index) }
        }
        for period in periods.sorted() {
            // The cells chosen by value, each with those it was chosen over: a reader who knows
            // the algorithm knows it was the smallest (`pinned` reads that too).
            var choices: [Choice] = []
            // Passes over the groups in order until one hides nothing. A group none of whose
            // cells was hidden since it was last looked at would come out as it did then (safe):
            // it is passed over, which hides exactly what looking at it again would (a full
            // cross-tabulation of 25,920 series took several passes of 100,000 groups for each
            // period, review helper-19).
            var dirty = [Bool](repeating: true, count: groups.count)
            func hideCell(_ key: SeriesKey, _ value: Double) {
                hide(key, period, value)
                for index in groupsOf[key] ?? [] { dirty[index] = true }
            }
            var changed = true
            while changed {
                changed = false
                for (index, group) in groups.enumerated() where dirty[index] {
                    dirty[index] = false
                    guard let marginValue = numbers[group.margin]?[period] else { continue }
                    var parts: [(key: SeriesKey, value: Double)] = []
                    for key in group.parts { if let n = numbers[key]?[period] { parts.append((key, n)) } }
                    let hiddenParts = parts.filter { hides($0.key, period, value: $0.value, unit: .count) }
                    let marginHidden = hides(group.margin, period, value: marginValue, unit: .count)
                    let hiddenSum = hiddenParts.reduce(0) { $0 + $1.value }
                    let safe =
                        marginHidden ? !hiddenParts.isEmpty : (hiddenParts.isEmpty || (hiddenParts.count >= 2 && hiddenSum > 5))
                    if safe { continue }
                    let visible = parts.filter { !hides($0.key, period, value: $0.value, unit: .count) && $0.value > 0 }
                    if let smallest = visible.min(by: { ($0.value, "\($0.key)") < ($1.value, "\($1.key)") }) {
                        hideCell(smallest.key, smallest.value)
                        choices.append(Choice(chosen: smallest.key, over: visible.map(\.key).filter { $0 != smallest.key }))
                    } else if !marginHidden {
                        hideCell(group.margin, marginValue)
                    } else {
                        continue
                    }
                    changed = true
                }
            }
            auditSmallCells(numbers, groups, at: period, markedSmall: markedSmall[period] ?? [], choices: choices)
        }
    }
}
