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

    /// Both ways a row meets its stored value: looked up in the store, and (`keepsCopies`, as
    /// vigild) found in the copy of every current value kept in memory.
    @Test(arguments: [false, true])
    func everyChangeBetweenNumbersAndMarkersIsAddedRevisedOrUnchangedAsTheOracleSays(keepsCopies: Bool) throws {
        let engine = Engine(catalogue: catalogue, rules: [])
        let parser = FeedParser(catalogue: catalogue)
        let store = try Store.inMemory(keepsCopies: keepsCopies)
        // Numbers equal as numbers but written differently (12 and 12.0) are unchanged; a number
        // and a marker, or two markers, are never equal. (Whole numbers: `m.count` is a count.)
        let values = ["0", "1", "25", "12", "12.0", "c", "x", ".."]
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

    /// The copy kept in memory is never trusted past a write by another connection (`vigil
    /// evaluate --store` run by IT while vigild runs): the revision it made is followed, and a value
    /// it changed back is not taken for unchanged.
    @Test func aValueWrittenByAnotherConnectionIsRevisedFromWhatItWrote() throws {
        let folder = NSTemporaryDirectory() + "vigil-current-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let engine = Engine(catalogue: catalogue, rules: [])
        let parser = FeedParser(catalogue: catalogue)
        let daemon = try Store.open(path: folder + "/vigil.sqlite", keepsCopies: true)
        let other = try Store.open(path: folder + "/vigil.sqlite")
        var files = 0
        func send(_ store: Store, _ value: String, month: Int = 1) throws -> [Int] {
            files += 1
            let csv = "# file \(files)\nindicator,period,value\nm.count,2013-0\(month),\(value)\n"
            let feed = parser.parse(bytes: Array(csv.utf8), file: "f\(files).csv", partner: "police")
            try #require(feed.isAccepted, "\(feed.errors)")
            let outcome = try store.ingest(
                feed, receivedAt: "2013-11-\(10 + files)T10:00:00Z", engine: engine, date: date)
            return [outcome.added, outcome.revised, outcome.unchanged]
        }
        #expect(try send(daemon, "5") == [1, 0, 0])
        #expect(try send(daemon, "6") == [0, 1, 0])
        // Another connection writes 5 (revision 3); the daemon's copy still says 6.
        #expect(try send(other, "5") == [0, 1, 0])
        // 6 again is a change from what is stored (5), not "unchanged" as the copy would say.
        #expect(try send(daemon, "6") == [0, 1, 0])
        // Another write (7, revision 5), then a file on another key refreshes the daemon's copy:
        // the revision it remembered for January (4) must be forgotten with it.
        #expect(try send(other, "7") == [0, 1, 0])
        #expect(try send(daemon, "1", month: 2) == [1, 0, 0])
        #expect(try send(daemon, "8") == [0, 1, 0])
        #expect(try send(daemon, "8") == [0, 0, 1])
        let revisions = try daemon.history(indicator: "m.count").filter { $0.period == "2013-01" }.map {
            "\($0.revision): \($0.value)"
        }
        #expect(revisions == ["1: 5", "2: 6", "3: 5", "4: 6", "5: 7", "6: 8"])
    }

    /// A catalogue may name a breakdown value with a comma ("Mixed, other"), which the stored key
    /// cannot carry: the value is stored and read back under the key's text, and a file sending it
    /// again revises that value (looked up in the copy under the same text) rather than inserting
    /// a second row for it, in both ways of meeting stored values.
    @Test(arguments: [false, true])
    func aBreakdownValueWithACommaIsRevisedUnderItsStoredKey(keepsCopies: Bool) throws {
        let catalogue = try Catalogue.parse(
            yaml: """
                priorities: [{id: 1, title: One}]
                partners: [{id: police, name: Police}]
                dimensions: {ethnicity: {title: Ethnicity, values: ["White", "Mixed, other"]}}
                indicators:
                  - {id: m.count, title: Missing, unit: count, periodicity: month, polarity: higher_is_worse, partners: [police], priorities: [1], dimensions: [ethnicity]}
                """, file: "c.yaml")
        let engine = Engine(catalogue: catalogue, rules: [])
        let parser = FeedParser(catalogue: catalogue)
        let store = try Store.inMemory(keepsCopies: keepsCopies)
        var outcomes: [[Int]] = []
        for (n, value) in ["3", "4", "4"].enumerated() {
            let csv = "# file \(n)\nindicator,period,value,ethnicity\nm.count,2013-01,\(value),\"Mixed, other\"\n"
            let feed = parser.parse(bytes: Array(csv.utf8), file: "f\(n).csv", partner: "police")
            try #require(feed.isAccepted, "\(feed.errors)")
            let outcome = try store.ingest(feed, receivedAt: "2013-11-0\(n + 1)T10:00:00Z", engine: engine, date: date)
            outcomes.append([outcome.added, outcome.revised, outcome.unchanged])
        }
        #expect(outcomes == [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
        #expect(try store.history(indicator: "m.count").map { "\($0.revision): \($0.value)" } == ["1: 3", "2: 4"])
    }
}
