import Testing

@testable import VigilCore

/// `Dataset.upsert(contentsOf:)` merges a batch series by series (vigild's copy of the store and
/// every dataset built from a file use it): it must leave exactly what one `upsert` after another
/// leaves, for rows in any order, with repeated keys and with values already held.
@Suite struct DatasetTests {
    private static let series = [
        SeriesKey(indicator: "t.count"),
        SeriesKey(indicator: "t.count", breakdown: Breakdown(["category": "neglect"])),
        SeriesKey(indicator: "t.snap"),
    ]

    private func randomObservations(_ count: Int, _ generator: inout SplitMix64) -> [Observation] {
        let start = CivilDate(year: 2000, month: 1, day: 1)!
        return (0..<count).map { n in
            let period = Period.snapshot(start.adding(days: Int.random(in: 0..<60, using: &generator)))
            let value: ObservedValue = Bool.random(using: &generator) ? .number(Double(n)) : .marker("c")
            return Observation(
                series: Self.series.randomElement(using: &generator)!, period: period, value: value, sources: ["f\(n)"])
        }
    }

    @Test func aBatchLeavesWhatOneUpsertAfterAnotherLeaves() {
        var generator = SplitMix64(seed: 13)
        for round in 0..<300 {
            let held = randomObservations(Int.random(in: 0..<40, using: &generator), &generator)
            var batch = randomObservations(Int.random(in: 0..<80, using: &generator), &generator)
            if round % 3 == 0 { batch.sort { $0.period < $1.period } }
            if round % 3 == 1 { batch.sort { $0.period > $1.period } }
            var one = Dataset()
            for observation in held + batch { one.upsert(observation) }
            var many = Dataset()
            for observation in held { many.upsert(observation) }
            many.upsert(contentsOf: batch)
            for key in Self.series {
                #expect(many.points(key) == one.points(key), "round \(round), \(key)")
            }
            #expect(many.keys(indicator: "t.count") == one.keys(indicator: "t.count"), "round \(round)")
            #expect(Dataset(held + batch).series == one.series, "round \(round)")
        }
    }

    @Test func theLaterOfTwoValuesForOneKeyWins() {
        let key = SeriesKey(indicator: "t.count")
        let march = Period(parsing: "2013-03")!
        let february = Period(parsing: "2013-02")!
        var data = Dataset([Observation(series: key, period: march, value: .number(1))])
        data.upsert(
            contentsOf: [
                Observation(series: key, period: march, value: .number(2)),
                Observation(series: key, period: february, value: .number(5)),
                Observation(series: key, period: march, value: .number(3)),
            ])
        #expect(data.points(key).map(\.number) == [5, 3])
    }

    /// Many new series at once join each indicator's keys in order, beside keys already held
    /// (one merge, not one insertion each: review helper-19's 25,920-series cross-tabulation).
    @Test func newSeriesKeysJoinInOrder() {
        var generator = SplitMix64(seed: 29)
        let categories = ["neglect", "physical", "sexual", "emotional", "multiple", "*"]
        let genders = ["male", "female", "unknown"]
        func key() -> SeriesKey {
            var values: [String: String] = [:]
            if Bool.random(using: &generator) { values["category"] = categories.randomElement(using: &generator)! }
            if Bool.random(using: &generator) { values["gender"] = genders.randomElement(using: &generator)! }
            return SeriesKey(indicator: ["t.count", "t.snap"].randomElement(using: &generator)!, breakdown: Breakdown(values))
        }
        let period = Period.snapshot(CivilDate(year: 2013, month: 3, day: 31)!)
        for _ in 0..<200 {
            var dataset = Dataset()
            var all: Set<SeriesKey> = []
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                var batch: [SeriesKey: [SeriesPoint]] = [:]
                for _ in 0..<Int.random(in: 0...12, using: &generator) {
                    let k = key()
                    batch[k] = [SeriesPoint(period: period, value: .number(1), sources: [])]
                    all.insert(k)
                }
                dataset.upsert(contentsOf: batch)
            }
            for indicator in ["t.count", "t.snap"] {
                #expect(dataset.keys(indicator: indicator) == all.filter { $0.indicator == indicator }.sorted())
            }
        }
    }

    /// A return's periods: the total's point where it was sent, else a category's; a period sent
    /// only by category counts (review helper-24: a total row for one year hid categories sent later).
    @Test func aReturnWasSentForEveryPeriodAnySeriesHas() {
        let total = SeriesKey(indicator: "t.count")
        let neglect = SeriesKey(indicator: "t.count", breakdown: Breakdown(["category": "neglect"]))
        let month = { (text: String) in Period(parsing: text)! }
        let data = Dataset([
            Observation(series: neglect, period: month("2013-01"), value: .number(2), sources: ["a"]),
            Observation(series: total, period: month("2013-01"), value: .number(9), sources: ["b"]),
            Observation(series: neglect, period: month("2013-03"), value: .number(4), sources: ["c"]),
            Observation(series: total, period: month("2012-12"), value: .number(7), sources: ["d"]),
        ])
        let sent = data.returnPoints(indicator: "t.count")
        #expect(sent.map(\.period.description) == ["2012-12", "2013-01", "2013-03"])
        #expect(sent.map(\.number) == [7, 9, 4])
        #expect(data.returnPoints(indicator: "t.snap").isEmpty)
        let categoriesOnly = Dataset([Observation(series: neglect, period: month("2013-02"), value: .number(1))])
        #expect(categoriesOnly.returnPoints(indicator: "t.count").map(\.number) == [1])
    }

    /// Review helper-25: a partner switched from totals to categories, and every rule on the
    /// total fell silent through a 70% rise. Where a `breakdown_sum` rule says the breakdowns add
    /// up, a period sent by category only has its total: their sum, when every value of the
    /// dimension is a number; none when one is missing or withheld.
    @Test func aReturnSentByCategoryOnlyHasItsTotalWhereBreakdownsAddUp() throws {
        let threshold = try Fixtures.rule("threshold", "t.snap", params: "{above: {warning: 10}}")
        let sums = try RuleSet.parse(
            files: [
                (
                    "q.yaml",
                    "rules:\n  - id: q1\n    kind: quality\n    indicator: t.snap\n    priority: 2\n    params: {check: breakdown_sum}\n"
                )
            ], catalogue: Fixtures.catalogue)[0]
        let snap = { (date: String, value: Double?, category: String?) in
            Fixtures.observation("t.snap", date, value, category.map { ["category": $0] } ?? [:])
        }
        let data = Dataset([
            snap("2013-03-31", 6, nil), snap("2013-03-31", 2, "neglect"), snap("2013-03-31", 2, "physical"),
            snap("2013-03-31", 1, "sexual"),
            snap("2013-06-30", 5, "neglect"), snap("2013-06-30", 4, "physical"), snap("2013-06-30", 3, "sexual"),
            snap("2013-09-30", 9, "neglect"), snap("2013-09-30", nil, "physical"), snap("2013-09-30", 3, "sexual"),
            snap("2013-12-31", 9, "neglect"), snap("2013-12-31", 3, "sexual"),
        ])
        let date = CivilDate(year: 2014, month: 1, day: 31)!
        let total = SeriesKey(indicator: "t.snap")
        let evaluation = Engine(catalogue: Fixtures.catalogue, rules: [threshold, sums]).evaluate(data, at: date)
        // March keeps its own total (6, not the 5 its categories add to); June is filled in.
        #expect(evaluation.dataset.points(total).map { "\($0.period) \($0.value)" } == ["2013-03-31 6", "2013-06-30 12"])
        #expect(
            evaluation.dataset.point(total, Period(parsing: "2013-06-30")!)?.sources == [
                "sha-t.snap-2013-06-30"
            ])
        #expect(evaluation.episodes.filter { $0.rule == "r1" }.map { "\($0.start)" } == ["2013-06-30"])
        // Without a rule saying the breakdowns add up, nothing is filled in.
        let alone = Engine(catalogue: Fixtures.catalogue, rules: [threshold]).evaluate(data, at: date)
        #expect(alone.dataset.points(total).map(\.period.description) == ["2013-03-31"])
        #expect(alone.episodes.isEmpty)
        // A file's rules that do not read t.snap leave it as sent (vigild evaluates a file's rules
        // on its copy of the whole store: review helper-26); those that do see the total.
        let other = try Fixtures.rule("threshold", "t.count", params: "{above: {warning: 10}}")
        let engine = Engine(catalogue: Fixtures.catalogue, rules: [threshold, sums, other])
        #expect(engine.evaluate(data, at: date, only: [other]).dataset.points(total).count == 1)
        #expect(engine.evaluate(data, at: date, only: [threshold]).dataset.points(total).count == 2)
    }
}
