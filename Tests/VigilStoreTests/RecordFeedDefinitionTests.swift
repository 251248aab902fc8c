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

    /// A blank value in an optional id column is no id: it is not counted as a distinct child, nor
    /// as another row of the child on the row before it (the hash of the last non-blank value was
    /// reused: found in review). The same on two lanes, whichever lane a blank row falls to.
    @Test func blankOptionalIdsAreNotCounted() throws {
        let (parsed, errors) = feeds(
            """
            record_feeds:
              - id: optional-ids
                partner: police
                columns:
                  who: {type: id, required: false}
                  at: {type: date}
                outputs:
                  - {indicator: missing.individuals, measure: distinct, of: who, period: at}
                  - {indicator: missing.individuals_by_incident_count, measure: distribution, of: who, period: at}
                  - {indicator: missing.incidents, measure: count, period: at}
            """)
        #expect(errors.isEmpty)
        var csv = "who,at\n"
        for i in 0..<60 { csv += i % 3 == 2 ? " ,2012-04-0\(1 + i % 9)\n" : "C\(i % 7),2012-04-0\(1 + i % 9)\n" }
        for parallel in [false, true] {
            var parser = FeedParser(catalogue: Self.catalogue, recordFeeds: parsed)
            parser.parallelRecords = parallel
            parser.recordSegmentBytes = 64
            let feed = parser.parse(bytes: Array(csv.utf8), file: "t.csv", partner: "police")
            #expect(feed.errors.isEmpty, "\(feed.errors)")
            let values = Dictionary(
                feed.observations.map { ("\($0.series.indicator) \($0.period) \($0.series.breakdown.key)", "\($0.value)") },
                uniquingKeysWith: { a, _ in a })
            // 40 rows with a child (C0 … C6), 20 blank: 60 incidents, 7 children.
            #expect(values["missing.incidents 2012-04 "] == "60")
            #expect(values["missing.individuals 2012-04 "] == "7")
            #expect(values["missing.individuals_by_incident_count 2012/13 "] == "7")
            // Children C0 … C6 on rows i with i % 3 != 2: C0 (i = 0, 7, 21, 28, 42, 49) and so on.
            let perChild = (0..<7).map { c in (0..<60).filter { $0 % 3 != 2 && $0 % 7 == c }.count }
            for n in Set(perChild) {
                let bucket = n >= 10 ? "10_plus" : "\(n)"
                #expect(
                    values["missing.individuals_by_incident_count 2012/13 incident_count=\(bucket)"]
                        == "\(perChild.filter { $0 == n }.count)", "bucket \(bucket), parallel \(parallel)")
            }
        }
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
                "x.yaml:10:85: error[config.invalid]: 'age' is an int column; dimension column needs enum (a closed list of values: a free-text cell, such as a child's reference, must never become a breakdown value)",
            ])
    }

    /// A breakdown's values appear in alerts, the journal and digests: a free-text column's cell
    /// (a child's reference, in an extract) must never become one, so only an enum column (a
    /// closed list) may break an output down (a hostile-partner review, 2026-12-05).
    @Test func aBreakdownByAFreeTextColumnIsAnError() {
        let (_, errors) = feeds(
            """
            record_feeds:
              - id: free
                partner: childrens-services
                columns:
                  child: {type: id}
                  start: {type: date}
                  note: {type: string}
                outputs:
                  - {indicator: cp.plans, measure: active, start: start, dimensions: {category: note}}
            """)
        #expect(
            errors == [
                "x.yaml:9:85: error[config.invalid]: 'note' is a string column; dimension column needs enum (a closed list of values: a free-text cell, such as a child's reference, must never become a breakdown value)"
            ])
    }

    /// An enum column's values, once mapped, must be values of the catalogue's dimension: the
    /// aggregate path refuses any other breakdown value, and the extract path must not store one
    /// (review).
    @Test func aBreakdownColumnsValuesMustBeTheDimensions() {
        let (_, errors) = feeds(
            """
            record_feeds:
              - id: cats
                partner: childrens-services
                columns:
                  child: {type: id}
                  start: {type: date}
                  cat: {type: enum, values: [N, P, Q, neglect], map: {N: neglect, P: physical, Q: quarrel}}
                outputs:
                  - {indicator: cp.plans, measure: active, start: start, dimensions: {category: cat}}
            """)
        #expect(
            errors == [
                "x.yaml:9:85: error[config.invalid]: 'cat' value 'Q' is stored as 'quarrel', which is not a category; expected one of: neglect, physical, sexual, emotional, multiple"
            ])
    }
}
