import Foundation
import Testing
import VigilCore
import VigilStore

@testable import VigilDigest

/// Secondary suppression read the way someone with the published digest would: every cell shown
/// is a known number, every breakdown's parts add up to their margin, and a hidden count of 1 to 5
/// must never be the only value those equations allow.
struct DisclosureControlTests {
    static let genders = ["female", "male", "unknown", "not_stated"]
    static let ages = ["under_1", "1_to_4", "5_to_9", "10_to_15"]
    static let period = Period.month(2013, 3)

    /// A cross-tabulation of gender by age (`cells[gender][age]`), with both sets of marginal
    /// totals and the grand total, as a partner's file gives them.
    static func table(_ cells: [[Double]]) -> (dataset: Dataset, catalogue: Catalogue, values: [SeriesKey: Double]) {
        let ages = Array(Self.ages.prefix(cells[0].count))
        let genders = Array(Self.genders.prefix(cells.count))
        var values: [SeriesKey: Double] = [:]
        func key(_ pairs: [String: String]) -> SeriesKey { SeriesKey(indicator: "p.children", breakdown: Breakdown(pairs)) }
        for (g, gender) in genders.enumerated() {
            for (a, age) in ages.enumerated() { values[key(["gender": gender, "age": age])] = cells[g][a] }
            values[key(["gender": gender])] = cells[g].reduce(0, +)
        }
        for (a, age) in ages.enumerated() { values[key(["age": age])] = cells.map { $0[a] }.reduce(0, +) }
        values[key([:])] = cells.flatMap { $0 }.reduce(0, +)
        let dataset = Dataset(values.map { Observation(series: $0.key, period: period, value: .number($0.value)) })
        let catalogue = Catalogue(
            priorities: [], partners: [],
            dimensions: [
                Dimension(id: "gender", title: "Gender", values: genders), Dimension(id: "age", title: "Age", values: ages),
            ],
            indicators: [Indicator(id: "p.children", title: "Children", periodicity: .month, dimensions: ["gender", "age"])])
        return (dataset, catalogue, values)
    }

    /// The hidden series whose value the published figures determine: unknowns are the hidden
    /// series, equations are "parts along one dimension add up to their margin" (Gaussian
    /// elimination; an unknown is determined when no solution of the homogeneous system moves it).
    static func determined(hidden: Set<SeriesKey>, values: [SeriesKey: Double]) -> Set<SeriesKey> {
        let unknowns = hidden.sorted()
        let column = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($0.element, $0.offset) })
        var rows: [[Double]] = []
        for key in values.keys where !key.breakdown.isTotal {
            for pair in key.breakdown.pairs {
                var rest = key.breakdown.values
                rest[pair.dimension] = nil
                let margin = SeriesKey(indicator: key.indicator, breakdown: Breakdown(rest))
                let parts = values.keys.filter { other in
                    var otherRest = other.breakdown.values
                    guard otherRest[pair.dimension] != nil else { return false }
                    otherRest[pair.dimension] = nil
                    return otherRest == rest
                }
                var row = [Double](repeating: 0, count: unknowns.count)
                for part in parts { if let c = column[part] { row[c] += 1 } }
                if let c = column[margin] { row[c] -= 1 }
                rows.append(row)
            }
        }
        // Reduced row echelon form; free columns span the solutions that leave the knowns fixed.
        var pivots: [Int] = []
        var r = 0
        for c in 0..<unknowns.count where r < rows.count {
            guard let p = (r..<rows.count).first(where: { abs(rows[$0][c]) > 1e-9 }) else { continue }
            rows.swapAt(r, p)
            let lead = rows[r][c]
            rows[r] = rows[r].map { $0 / lead }
            for i in 0..<rows.count where i != r && abs(rows[i][c]) > 1e-9 {
                let f = rows[i][c]
                rows[i] = zip(rows[i], rows[r]).map { $0 - f * $1 }
            }
            pivots.append(c)
            r += 1
        }
        let free = Set(0..<unknowns.count).subtracting(pivots)
        var out = Set<SeriesKey>()
        for (i, c) in pivots.enumerated() where free.allSatisfy({ abs(rows[i][$0]) < 1e-9 }) { out.insert(unknowns[c]) }
        return out
    }

    /// The hidden series whose value a reader can pin down as a whole number, knowing the shown
    /// figures, that parts add up to their margins, that every `c` stands for at least 1 (zeros
    /// are shown) and every part without a figure for at least 0 (`lower`, by series). Checked
    /// independently of the engine, by cycles: in the table laid out with its margins, negated, as
    /// a grid whose rows and columns all add up to zero, two whole-number solutions differ by a sum
    /// of alternating cycles, each of which can be added alone (conformal decomposition). So a
    /// hidden cell can take another value exactly when some alternating cycle of unknown cells
    /// through it, moved by 1 either way, keeps every unknown at or above its lower bound.
    static func pinned(hidden: Set<SeriesKey>, values: [SeriesKey: Double], lower: [SeriesKey: Double] = [:]) -> Set<SeriesKey> {
        let rows = genders.count + 1
        let columns = ages.count + 1
        var value = [[Double?]](repeating: [Double?](repeating: nil, count: columns), count: rows)
        var floor = value
        var keys: [[SeriesKey?]] = [[SeriesKey?]](repeating: [SeriesKey?](repeating: nil, count: columns), count: rows)
        for key in hidden {
            let g = key.breakdown.values["gender"].map { genders.firstIndex(of: $0)! } ?? genders.count
            let a = key.breakdown.values["age"].map { ages.firstIndex(of: $0)! } ?? ages.count
            value[g][a] = values[key]
            floor[g][a] = lower[key] ?? 1
            keys[g][a] = key
        }
        // A margin moves against the cells it adds up.
        func sign(_ g: Int, _ a: Int) -> Double { (g == genders.count) != (a == ages.count) ? -1 : 1 }
        // Whether a cycle from (g0, a0), its first step `step` (in the grid's signs), can close.
        func cycle(_ g0: Int, _ a0: Int, _ step: Double) -> Bool {
            func fits(_ g: Int, _ a: Int, _ change: Double) -> Bool {
                guard let v = value[g][a] else { return false }
                return v + sign(g, a) * change >= floor[g][a]!
            }
            // At row g, having entered it by a cell whose change was `entered`; rows and columns used.
            func walk(_ g: Int, _ entered: Double, _ usedRows: Set<Int>, _ usedColumns: Set<Int>) -> Bool {
                for a in 0..<columns where !usedColumns.contains(a) || a == a0 {
                    guard fits(g, a, -entered) else { continue }
                    if a == a0 { if g != g0 { return true } else { continue } }
                    for next in 0..<rows where !usedRows.contains(next) && fits(next, a, entered) {
                        if walk(next, entered, usedRows.union([next]), usedColumns.union([a])) { return true }
                    }
                }
                return false
            }
            return fits(g0, a0, step) && walk(g0, step, [g0], [a0])
        }
        var out = Set<SeriesKey>()
        for g in 0..<rows {
            for a in 0..<columns where keys[g][a] != nil && !cycle(g, a, 1) && !cycle(g, a, -1) { out.insert(keys[g][a]!) }
        }
        return out
    }

    /// The hidden series, and those of them that are counts of 1 to 5 a reader can still pin down.
    static func suppress(_ cells: [[Double]]) -> (hidden: Set<SeriesKey>, exposed: [String]) {
        let (dataset, catalogue, values) = table(cells)
        let control = DisclosureControl(enabled: true, dataset: dataset, catalogue: catalogue)
        let hidden = Set(values.filter { control.hides($0.key, period, value: $0.value, unit: .count) }.keys)
        let exposed = pinned(hidden: hidden, values: values).filter { values[$0]! >= 1 && values[$0]! <= 5 }
        return (hidden, exposed.map { "\($0)" }.sorted())
    }

    /// The checker itself: with only the small cell hidden, the published marginal gives it back.
    @Test func theCheckerFindsACellGivenBackByItsMarginal() {
        let (_, _, values) = Self.table([[3, 47], [37, 13]])
        let small = SeriesKey(indicator: "p.children", breakdown: Breakdown(["gender": "female", "age": "under_1"]))
        #expect(Self.determined(hidden: [small], values: values) == [small])
    }

    /// The checker itself: in `8, c / c, 0` with every margin but the total of 10 hidden, the
    /// equations leave one figure free, but each `c` being at least 1 leaves the free one no room.
    @Test func theCheckerPinsWhatTheBoundsLeaveNoRoomFor() {
        let (_, _, values) = Self.table([[8, 1], [1, 0]])
        let hidden = Set(values.keys.filter { values[$0] == 1 || values[$0] == 9 })
        #expect(hidden.count == 6)
        #expect(Self.determined(hidden: hidden, values: values).isEmpty)
        #expect(Self.pinned(hidden: hidden, values: values) == hidden)
        // With the 8 hidden too, the 1s can move (8 to 7, the 1s to 2): nothing is pinned.
        let eight = SeriesKey(indicator: "p.children", breakdown: Breakdown(["gender": "female", "age": "under_1"]))
        #expect(Self.pinned(hidden: hidden.union([eight]), values: values).isEmpty)
    }

    /// A hidden `8, c / c, 0` table of four small parts once had both `c` pinned to 1 by the
    /// bounds alone (review helper-15): the audit now bounds each hidden count as well.
    @Test func aCountPinnedByTheBoundsIsHidden() {
        #expect(Self.suppress([[8, 1], [1, 0]]).exposed == [])
        #expect(Self.suppress([[8, 1, 0], [1, 0, 0], [0, 0, 0]]).exposed == [])
    }

    /// Review: cross-tabulated cells were not grouped with their marginals, so a female under-1
    /// count of 3 was hidden while female (50) and female 1–4 (47) were shown.
    @Test func aSmallCrossTabulatedCellCannotBeWorkedOutFromItsMarginals() {
        let (hidden, exposed) = Self.suppress([[3, 47], [37, 13]])
        #expect(exposed == [])
        #expect(hidden.count == 4, "the smallest rectangle of cells around the 3: \(hidden.sorted())")
    }

    /// Review: the group rule alone left a hidden 3 determined in this table (rows 0 and 1 add to
    /// the total less row 2; column 1's other cells are shown), so the published figures are now
    /// also solved as a reader would, and one more cell is hidden while a small count is fixed.
    @Test func aCountGivenBackBySeveralMarginsTogetherIsHidden() {
        #expect(Self.suppress([[0, 3, 0], [0, 7, 3], [10, 20, 20]]).exposed == [])
    }

    /// Review: a part sent as `c` (or blank) made "the parts present add up to the margin" false,
    /// so the audit took its margin for determined and hid the table almost whole, one elimination
    /// per cell. A part without a number is an unknown to the reader too.
    @Test func aPartWithoutANumberIsAnUnknownNotAWholeTableHidden() {
        let cells: [[Double]] = [[10, 20, 15, 30], [0, 3, 0, 0], [12, 18, 25, 9], [7, 14, 21, 28]]
        var (dataset, catalogue, values) = Self.table(cells)
        let marker = SeriesKey(indicator: "p.children", breakdown: Breakdown(["gender": "male", "age": "1_to_4"]))
        dataset.remove(marker, Self.period)
        let control = DisclosureControl(enabled: true, dataset: dataset, catalogue: catalogue)
        let hidden = Set(
            values.filter { $0.key != marker && control.hides($0.key, Self.period, value: $0.value, unit: .count) }.keys)
        // Before: 21 of the 24 published figures hidden, the total among them.
        #expect(hidden.count < 20, "\(hidden.sorted())")
        // The partner's own `c` (3) is not given back either: the column's margin and its other
        // parts would, unless one more is hidden.
        let exposed = Self.pinned(hidden: hidden.union([marker]), values: values, lower: [marker: 0]).filter {
            values[$0]! >= 1 && values[$0]! <= 5
        }
        #expect(exposed.isEmpty, "\(exposed)")
    }

    /// Review (helper-16): the report's own child-protection table at 31 March 2013 gave white
    /// Irish's 1 back (the ethnic group White, 195, less white British 159 and white other 35),
    /// and Asian other's 3 likewise: the catalogue now says which ethnicities each group adds up,
    /// and the audit reads those sums as a reader of both tables would. Checked here with the
    /// sums written out by hand: the total is the sum of the ethnicities and of the groups, and
    /// each group the sum of its ethnicities.
    @Test func theEthnicGroupsOfTheShippedReportGiveNoHiddenCountBack() throws {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let catalogue = try Catalogue.parse(
            yaml: String(contentsOfFile: repo + "/config/catalogue.yaml", encoding: .utf8), file: "catalogue.yaml")
        let path = repo + "/config/examples/peterborough-2012-13/childrens-services/cp-plans-2012-13.csv"
        let feed = FeedParser(catalogue: catalogue).parse(
            bytes: Array(try String(contentsOfFile: path, encoding: .utf8).utf8), file: "cp.csv", partner: "childrens-services")
        #expect(feed.errors.isEmpty)
        let store = try Store.inMemory()
        _ = try store.ingest(
            feed, receivedAt: "2013-06-01T00:00:00Z", engine: Engine(catalogue: catalogue, rules: []),
            date: CivilDate(year: 2013, month: 6, day: 1)!)
        let dataset = try store.dataset()
        let control = DisclosureControl(enabled: true, dataset: dataset, catalogue: catalogue)
        let period = try #require(Period(parsing: "2013-03-31"))
        func key(_ pairs: [String: String]) -> SeriesKey { SeriesKey(indicator: "cp.plans", breakdown: Breakdown(pairs)) }
        let subtotals = try #require(catalogue.dimensions["ethnic_group"]?.subtotals)
        let ethnicities = catalogue.dimensions["ethnicity"]!.values.map { key(["ethnicity": $0]) }
        let groups = catalogue.dimensions["ethnic_group"]!.values.map { key(["ethnic_group": $0]) }
        var sums: [(total: SeriesKey, parts: [SeriesKey])] = [(key([:]), ethnicities), (key([:]), groups)]
        for (group, members) in subtotals.groups {
            sums.append((key(["ethnic_group": group]), members.map { key(["ethnicity": $0]) }))
        }
        let value = { (series: SeriesKey) in dataset.point(series, period)?.number }
        #expect(value(key(["ethnicity": "white_irish"])) == 1)
        let unknowns = (ethnicities + groups + [key([:])]).filter { series in
            value(series).map { control.hides(series, period, value: $0, unit: .count) } ?? true
        }
        let column = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
        let equations = sums.map { sum in
            var row = [Double](repeating: 0, count: unknowns.count)
            var constant = 0.0
            for (series, sign) in [(sum.total, -1.0)] + sum.parts.map({ ($0, 1.0) }) {
                if let c = column[series] { row[c] += sign } else { constant -= sign * (value(series) ?? 0) }
            }
            return (coefficients: row, constant: constant)
        }
        let bounds = try #require(CellBounds(equations: equations, lower: unknowns.map { value($0) == nil ? 0 : 1 }))
        var pinned: [String] = []
        for (c, series) in unknowns.enumerated() {
            guard let v = value(series), v >= 1, v <= 5, let range = bounds.range(of: c) else { continue }
            if range.least.rounded(.up) >= range.greatest.rounded(.down) { pinned.append("\(series)=\(Int(v))") }
        }
        #expect(pinned == [])
        #expect(control.hides(key(["ethnicity": "white_irish"]), period, value: 1, unit: .count))
    }

    /// Review (helper-16): a category breakdown that over-counts its total (45 + 3 + 7 against
    /// 10, a common partner error) made the whole period's figures unsolvable, and the audit then
    /// read only the equations everywhere; a reader who sets that breakdown aside still had the
    /// gender by age table's bounds (`8, c / c, 0`: both 1).
    @Test func figuresThatDoNotAddUpInOneBreakdownLeaveTheOthersBoundsRead() throws {
        let cells: [[Double]] = [[8, 1], [1, 0]]
        let (_, crossTab, values) = Self.table(cells)
        #expect(values[SeriesKey(indicator: "p.children")] == 10)
        var observations = values.map { Observation(series: $0.key, period: Self.period, value: .number($0.value)) }
        for (category, n) in [("neglect", 45.0), ("physical", 3), ("sexual", 7)] {
            let key = SeriesKey(indicator: "p.children", breakdown: Breakdown(["category": category]))
            observations.append(Observation(series: key, period: Self.period, value: .number(n)))
        }
        let catalogue = Catalogue(
            priorities: [], partners: [],
            dimensions: Array(crossTab.dimensions.values) + [
                Dimension(id: "category", title: "Category", values: ["neglect", "physical", "sexual"])
            ],
            indicators: [
                Indicator(id: "p.children", title: "Children", periodicity: .month, dimensions: ["gender", "age", "category"])
            ])
        let control = DisclosureControl(enabled: true, dataset: Dataset(observations), catalogue: catalogue)
        let hidden = Set(values.filter { control.hides($0.key, Self.period, value: $0.value, unit: .count) }.keys)
        let exposed = Self.pinned(hidden: hidden, values: values).filter { values[$0]! >= 1 && values[$0]! <= 5 }
        #expect(exposed.isEmpty, "\(exposed.map(\.description).sorted())")
    }

    /// Review (helper-16): a percentage whose denominator was hidden to protect another cell was
    /// shown, and the shown numerator over it gave the denominator back (6 at 75.0% is 8). Any
    /// hidden denominator hides the percentage, not only one of 1 to 5.
    @Test func aPercentageOfAHiddenDenominatorIsHidden() {
        let categories = ["neglect", "physical", "sexual"]
        let catalogue = Catalogue(
            priorities: [], partners: [], dimensions: [Dimension(id: "category", title: "Category", values: categories)],
            indicators: [
                Indicator(id: "d.all", title: "All", periodicity: .month, dimensions: ["category"]),
                Indicator(id: "n.some", title: "Some", periodicity: .month),
                Indicator(
                    id: "n.pct", title: "Share", unit: .percent, periodicity: .month,
                    derivation: .percent(numerator: "n.some", denominator: "d.all")),
            ])
        // Two small parts (together 5, the third not sent): the total of 8 is hidden beside them.
        let figures: [(String, [String: String], Double)] = [
            ("d.all", [:], 8), ("d.all", ["category": "neglect"], 2), ("d.all", ["category": "physical"], 3),
            ("n.some", [:], 6),
        ]
        let supplied = Dataset(
            figures.map {
                Observation(
                    series: SeriesKey(indicator: $0.0, breakdown: Breakdown($0.1)), period: Self.period, value: .number($0.2))
            })
        let dataset = Deriver.derive(catalogue: catalogue, from: supplied)
        let control = DisclosureControl(enabled: true, dataset: dataset, catalogue: catalogue)
        #expect(control.hides(SeriesKey(indicator: "d.all"), Self.period, value: 8, unit: .count))
        let share = dataset.point(SeriesKey(indicator: "n.pct"), Self.period)?.number
        #expect(share == 75)
        #expect(control.hides(SeriesKey(indicator: "n.pct"), Self.period, value: share, unit: .percent))
    }

    /// Review (helper-16): a supplied percentage was never suppressed, and 2.3% of 216 MARAC
    /// cases can only be 5. With `of_count`, one that stands for a count of 1 to 5 is hidden, and
    /// so is its explanation; 25% of 216 is shown.
    @Test func aSuppliedPercentageOfASmallCountIsHidden() {
        var share = Indicator(id: "m.bme_pct", title: "BME share", unit: .percent, periodicity: .financialYear)
        share.ofCount = "m.cases"
        let catalogue = Catalogue(
            priorities: [], partners: [], dimensions: [],
            indicators: [Indicator(id: "m.cases", title: "Cases", periodicity: .financialYear), share])
        let years = [Period.financialYear(2012), Period.financialYear(2013)]
        let figures: [(String, Period, Double)] = [
            ("m.cases", years[0], 216), ("m.bme_pct", years[0], 2.3), ("m.cases", years[1], 216), ("m.bme_pct", years[1], 25),
        ]
        let dataset = Dataset(figures.map { Observation(series: SeriesKey(indicator: $0.0), period: $0.1, value: .number($0.2)) })
        let control = DisclosureControl(enabled: true, dataset: dataset, catalogue: catalogue)
        #expect(control.hides(SeriesKey(indicator: "m.bme_pct"), years[0], value: 2.3, unit: .percent))
        #expect(!control.hides(SeriesKey(indicator: "m.bme_pct"), years[1], value: 25, unit: .percent))
        #expect(control.madeFromCounts("m.bme_pct"))
    }

    /// Random tables of small counts (seeded): 2 × 3, 3 × 3 and 4 × 4, read with the bounds.
    @Test func noSmallCountIsDeterminedInRandomTables() {
        var state: UInt64 = 0x5eed
        func next(_ bound: UInt64) -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double((state >> 33) % bound)
        }
        var exposedTables: [[[Double]]] = []
        for n in 0..<1200 {
            let (rows, columns) = [(2, 3), (3, 3), (4, 4)][n % 3]
            // Every fourth table mostly zeros: a shown zero is what lets the bounds pin a `c`.
            let cells = (0..<rows).map { _ in
                (0..<columns).map { _ in n % 4 == 3 ? (next(2) == 0 ? 0 : next(10)) : next(n % 4 == 1 ? 30 : 12) }
            }
            if !Self.suppress(cells).exposed.isEmpty { exposedTables.append(cells) }
        }
        #expect(exposedTables.isEmpty, "\(exposedTables.prefix(3))")
    }

    @Test(arguments: [
        [[3, 47, 20], [37, 13, 30]], [[1, 2, 40], [30, 30, 30]], [[0, 4, 12], [9, 0, 6]], [[2, 50, 60], [70, 3, 80]],
        [[5, 5, 5], [5, 5, 5]], [[1, 0, 0], [0, 0, 9]], [[12, 30, 2], [40, 1, 60]],
    ])
    func noSmallCountIsDeterminedByWhatIsShown(cells: [[Double]]) {
        #expect(Self.suppress(cells).exposed == [])
    }
}
