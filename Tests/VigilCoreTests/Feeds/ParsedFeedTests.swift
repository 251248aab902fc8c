import Testing

@testable import VigilCore

/// `ParsedFeed`'s indicator and period lists, kept with its observations.
struct ParsedFeedTests {
    static func observation(_ indicator: String, _ period: String) -> Observation {
        Observation(series: SeriesKey(indicator: indicator), period: Period(parsing: period)!, value: .number(1))
    }

    @Test func listsEachIndicatorAndPeriodOnceInOrder() {
        let feed = ParsedFeed(
            file: "f.csv", sha256: "", partner: nil,
            observations: [
                Self.observation("lac.children", "2013-03-31"), Self.observation("caf.registered", "2013-04"),
                Self.observation("caf.registered", "2013-03"), Self.observation("lac.children", "2013-03-31"),
            ],
            errors: [], rows: 4)
        #expect(feed.indicators == ["caf.registered", "lac.children"])
        #expect(feed.periods.map(\.description) == ["2013-03", "2013-03-31", "2013-04"])
    }

    @Test func followsTheObservationsWhenTheyAreReplacedOrChanged() {
        var feed = ParsedFeed(file: "f.csv", sha256: "", partner: nil, observations: [], errors: [], rows: 0)
        #expect(feed.indicators.isEmpty && feed.periods.isEmpty)
        feed.observations = [Self.observation("cp.plans", "2013-03-31")]
        #expect(feed.indicators == ["cp.plans"])
        feed.observations.append(Self.observation("lac.admissions", "2012-12"))
        #expect(feed.indicators == ["cp.plans", "lac.admissions"])
        #expect(feed.periods.map(\.description) == ["2012-12", "2013-03-31"])
        feed.observations.removeAll()
        #expect(feed.indicators.isEmpty && feed.periods.isEmpty)
    }
}
