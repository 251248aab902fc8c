import Foundation
import Testing
import VigilCore
import VigilStore

/// How a file's values meet the stored ones in `Store.ingest` (a new key inserted at revision 1, a
/// changed value updated to the next revision, an unchanged one left as it is), against a
/// dictionary kept beside the store as the oracle: the guard for any faster way of writing them.
@Suite struct CurrentValuesTests {
    private let catalogue = MissingCatalogue.catalogue
    private let date = CivilDate(year: 2013, month: 12, day: 1)!

    @Test func everyChangeBetweenNumbersAndMarkersIsAddedRevisedOrUnchangedAsTheOracleSays() throws {
        let engine = Engine(catalogue: catalogue, rules: [])
        let parser = FeedParser(catalogue: catalogue)
        let store = try Store.inMemory()
        // Numbers equal as numbers but written differently (12 and 12.0) are unchanged; a number
        // and a marker, or two markers, are never equal.
        let values = ["0", "1", "2.5", "12", "12.0", "c", "x", ".."]
        let periods = (1...6).map { String(format: "2013-%02d", $0) }
        var rng = SplitMix64(seed: 13)
        var oracle: [String: (value: ObservedValue, revision: Int)] = [:]
        var sent: Set<String> = []
        var revisionsByPeriod: [String: [String]] = [:]
        for file in 0..<300 {
            let rows = periods.filter { _ in Bool.random(using: &rng) }.map {
                ($0, values.randomElement(using: &rng)!)
            }
            guard !rows.isEmpty else { continue }
            let csv = "indicator,period,value\n" + rows.map { "m.count,\($0.0),\($0.1)\n" }.joined()
            let feed = parser.parse(bytes: Array(csv.utf8), file: "f\(file).csv", partner: "police")
            try #require(feed.isAccepted, "\(feed.errors)")
            let outcome = try store.ingest(
                feed, receivedAt: String(format: "2013-11-%02dT10:00:00Z", 1 + file % 28), engine: engine, date: date)
            guard sent.insert(csv).inserted else {
                #expect(outcome.status == .duplicate)
                continue
            }
            var expected = (added: 0, revised: 0, unchanged: 0)
            for (period, text) in rows {
                let value: ObservedValue = Double(text).map { .number($0) } ?? .marker(text)
                switch oracle[period] {
                case nil:
                    expected.added += 1
                    oracle[period] = (value, 1)
                case let stored? where stored.value == value:
                    expected.unchanged += 1
                case let stored?:
                    expected.revised += 1
                    oracle[period] = (value, stored.revision + 1)
                }
                if oracle[period]!.revision > (revisionsByPeriod[period]?.count ?? 0) {
                    revisionsByPeriod[period, default: []].append("\(oracle[period]!.revision): \(value)")
                }
            }
            #expect(outcome.status == .accepted)
            let counted: [Int] = [outcome.added, outcome.revised, outcome.unchanged]
            #expect(counted == [expected.added, expected.revised, expected.unchanged], "file \(file)")
        }
        let dataset = try store.dataset()
        for period in periods {
            let stored: ObservedValue? = dataset.point(SeriesKey(indicator: "m.count"), Period(parsing: period)!)?.value
            #expect(stored == oracle[period]?.value)
            let history = try store.history(indicator: "m.count").filter { $0.period == period }
            #expect(history.map { "\($0.revision): \($0.value)" } == revisionsByPeriod[period] ?? [])
        }
        // Enough of each case to mean something.
        #expect(revisionsByPeriod.values.map(\.count).min()! > 20)
    }
}
