import Foundation
import Testing
import VigilCore
import VigilStore

/// Record feed definitions beyond the shipped two: text columns counted as ids and filtered by value,
/// and the column kinds a filter or a breakdown cannot use, reported with their positions.
@Suite struct RecordFeedDefinitionTests {
    static let catalogue = RecordFeedTests.loaded.catalogue

    private func feeds(_ yaml: String) -> (feeds: [RecordFeed], errors: [String]) {
        let diagnostics = Diagnostics()
        let feeds = RecordFeed.parse(yaml: yaml, file: "x.yaml", catalogue: Self.catalogue, diagnostics: diagnostics)
        return (feeds, diagnostics.errors.map(\.description))
    }

    /// A child reference held as free text is still counted by its distinct values, and a text
    /// filter keeps only the rows whose value is listed.
    @Test func textColumnsCountDistinctValuesAndFilterByValue() throws {
        let (parsed, errors) = feeds(
            """
            record_feeds:
              - id: text-episodes
                partner: police
                columns:
                  who: {type: string}
                  at: {type: date}
                  source: {type: string}
                outputs:
                  - {indicator: missing.individuals, measure: distinct, of: who, period: at}
                  - {indicator: missing.incidents, measure: count, period: at, where: {source: [police, "care home"]}}
            """)
        #expect(errors.isEmpty)
        let parser = FeedParser(catalogue: Self.catalogue, recordFeeds: parsed)
        let csv = """
            who,at,source
            A,2012-04-01,police
            A,2012-04-02,school
            B,2012-04-03,care home
            C,2012-04-04,school
            C,2012-05-01,police

            """
        let feed = parser.parse(bytes: Array(csv.utf8), file: "t.csv", partner: "police")
        #expect(feed.errors.isEmpty)
        let values = Dictionary(
            feed.observations.map { ("\($0.series.indicator) \($0.period)", "\($0.value)") }, uniquingKeysWith: { a, _ in a })
        #expect(values["missing.individuals 2012-04"] == "3")
        #expect(values["missing.individuals 2012-05"] == "1")
        #expect(values["missing.incidents 2012-04"] == "2")
        #expect(values["missing.incidents 2012-05"] == "1")
    }

    /// Filter values on a number or a date, and a breakdown by a number, cannot mean anything: errors.
    @Test func filtersAndBreakdownsNeedCategoryColumns() {
        let (_, errors) = feeds(
            """
            record_feeds:
              - id: bad
                partner: childrens-services
                columns:
                  child: {type: id}
                  start: {type: date}
                  age: {type: int}
                outputs:
                  - {indicator: cp.new_plans, measure: count, period: start, where: {age: ["14"]}}
                  - {indicator: cp.plans, measure: active, start: start, dimensions: {category: age}}
            """)
        #expect(
            errors == [
                "x.yaml:9:74: error[config.invalid]: 'age' is an int column; filter values need a bool, enum or string column",
                "x.yaml:10:85: error[config.invalid]: 'age' is an int column; dimension column needs enum or string",
            ])
    }
}
