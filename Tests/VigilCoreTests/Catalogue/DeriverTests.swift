import Testing

@testable import VigilCore

@Suite struct DeriverTests {
    private func derive(_ obs: [Observation]) -> Dataset { Deriver.derive(catalogue: Fixtures.catalogue, from: Dataset(obs)) }

    @Test func percentByBreakdownAndCensoredInputs() {
        let data = derive([
            Fixtures.observation("t.num", "2012/13", 47), Fixtures.observation("t.den", "2012/13", 320),
            Fixtures.observation("t.num", "2012/13", nil, ["category": "neglect"]),
            Fixtures.observation("t.den", "2012/13", 100, ["category": "neglect"]),
            Fixtures.observation("t.num", "2011/12", 5),
        ])
        let total = data.point(SeriesKey(indicator: "t.share"), Period(parsing: "2012/13")!)
        #expect(abs(total!.number! - 14.6875) < 1e-12)
        #expect(total!.sources == ["sha-t.den-2012/13", "sha-t.num-2012/13"])
        #expect(
            data.point(
                SeriesKey(indicator: "t.share", breakdown: Breakdown(["category": "neglect"])), Period(parsing: "2012/13")!)?
                .value == .marker("c"))
        #expect(data.points(SeriesKey(indicator: "t.share")).count == 1)  // 2011/12 has no denominator
    }

    /// The population figure is found by binary search (review helper-18: a linear search per
    /// point was quadratic); it is the figure the plain rule picks, read in order, for random
    /// series of snapshots, financial years and both mixed.
    @Test func thePopulationFoundIsThePlainRulesChoice() {
        var state: UInt64 = 0x9e37
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        func day(_ n: Int) -> Period { .snapshot(CivilDate(dayNumber: CivilDate(year: 2010, month: 1, day: 1)!.dayNumber + n)) }
        for trial in 0..<200 {
            var periods = Set<Period>()
            for _ in 0..<next(12) { periods.insert(trial % 3 == 0 ? Period.financialYear(2009 + next(6)) : day(next(2000))) }
            if trial % 3 == 1 { periods.insert(Period.financialYear(2010 + next(3))) }
            let points = periods.sorted().map { SeriesPoint(period: $0, value: .number(1), sources: []) }
            let ordered = Deriver.followEachOther(points)
            for _ in 0..<20 {
                let asked = next(2) == 0 ? day(next(2200)) : Period.financialYear(2008 + next(8))
                let plain =
                    points.first { $0.period == asked || $0.period.contains(asked) }
                    ?? points.last { $0.period.end <= asked.end }
                #expect(Deriver.populationFor(asked, in: points, ordered: ordered)?.period == plain?.period)
            }
        }
    }

    @Test func ratePer10kUsesTheLatestPopulation() {
        let data = derive([
            Fixtures.observation("t.pop", "2012-06-30", 44_000), Fixtures.observation("t.snap", "2013-03-31", 349),
            Fixtures.observation("t.snap", "2012-03-31", 300),
        ])
        let rate = data.points(SeriesKey(indicator: "t.snaprate"))
        #expect(rate.map(\.period.description) == ["2013-03-31"])
        #expect(abs(rate[0].number! - 79.318181818) < 1e-6)
    }

    @Test func periodSumOnlyForCompleteYearsAndRollingSums() {
        var values: [Double?] = Array(repeating: 10, count: 24)
        values[5] = 20
        let data = derive(Fixtures.monthly("2011-04", values) + Fixtures.monthly("2013-04", [1]))
        #expect(
            data.points(SeriesKey(indicator: "t.fy")).map { "\($0.period) \($0.number!)" } == ["2011/12 130.0", "2012/13 120.0"])
        let rolling = data.points(SeriesKey(indicator: "t.roll"))
        #expect(rolling.first?.period.description == "2011-06")
        #expect(rolling.first(where: { $0.period.description == "2011-09" })?.number == 40)
    }

    @Test func aRevisedInputUpdatesTheDerivedValue() {
        var dataset = Dataset([Fixtures.observation("t.num", "2012/13", 47), Fixtures.observation("t.den", "2012/13", 320)])
        dataset.upsert(Fixtures.observation("t.num", "2012/13", 64))
        let derived = Deriver.derive(catalogue: Fixtures.catalogue, from: dataset)
        #expect(derived.point(SeriesKey(indicator: "t.share"), Period(parsing: "2012/13")!)?.number == 20)
    }

    /// A result beyond the largest possible value (1 over 1e-308 as a percentage is infinite; over
    /// 1e-300 it is 1e302) is no value: an infinite one once made an alert the outbox could not hold.
    @Test func aNonFiniteResultIsNoValue() {
        let data = derive([
            Fixtures.observation("t.num", "2012/13", 1), Fixtures.observation("t.den", "2012/13", 1e-308),
            Fixtures.observation("t.num", "2013/14", 1), Fixtures.observation("t.den", "2013/14", 1e-300),
            Fixtures.observation("t.num", "2011/12", 47), Fixtures.observation("t.den", "2011/12", 320),
        ])
        #expect(data.points(SeriesKey(indicator: "t.share")).map(\.period.description) == ["2011/12"])
    }
}
