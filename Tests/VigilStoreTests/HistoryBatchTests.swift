import Foundation
import GRDB
import Testing
import VigilCore

@testable import VigilStore

/// The revision history keeps a file's revisions of an indicator as one `history` row, a JSON
/// array (`v10-history-by-file`). What goes in must come back exactly: every number, and any text
/// a partner's file name can carry, through `vigil history` and through the `revisions` view.
@Suite struct HistoryBatchTests {
    /// Texts with everything JSON must escape, and what it must not change.
    private static let pieces = [
        "a", "Z", "0", "9", ",", "=", ":", "/", ".", " ", "\"", "\\", "\n", "\r", "\t", "\u{1}", "\u{1F}", "\u{7F}", "é",
        "e\u{301}", "\u{2028}", "\u{2029}", "<", ">", "&", "😀", "'", "]", "[", "null",
    ]

    private static func text(_ random: inout SplitMix64) -> String {
        (0..<Int(random.next() % 8)).map { _ in pieces[Int(random.next() % UInt64(pieces.count))] }.joined()
    }

    private static func number(_ random: inout SplitMix64) -> Double {
        switch random.next() % 4 {
        case 0: return Double(Int64(bitPattern: random.next()) % 1_000_000)
        case 1: return Double(Int64(bitPattern: random.next()) % 10_000_000) / 1_000
        case 2:
            var value = Double(bitPattern: random.next())
            while !value.isFinite { value = Double(bitPattern: random.next()) }
            return value
        default: return Double(random.next() % 1_000_000) * 1e-9 + 0.1
        }
    }

    private static func revisions(_ count: Int, seed: UInt64) -> [(String, HistoryBatch.Revision)] {
        var random = SplitMix64(seed: seed)
        return (0..<count).map { i in
            let isMarker = random.next() % 5 == 0
            let hasLine = random.next() % 3 != 0
            return (
                ["m.count", "m.\"odd\"", "cp.plans"][Int(random.next() % 3)],
                HistoryBatch.Revision(
                    id: 0, breakdown: text(&random), period: text(&random), number: isMarker ? nil : number(&random),
                    marker: isMarker ? text(&random) : nil, revision: Int(random.next() % 9) + 1,
                    sources: random.next() % 2 == 0 ? nil : text(&random), line: hasLine ? Int(random.next() % 99_999) + 1 : nil,
                    column: hasLine && random.next() % 2 == 0 ? Int(random.next() % 99) + 1 : nil,
                    location: hasLine ? nil : (random.next() % 2 == 0 ? nil : text(&random)))
            )
        }
    }

    /// Each indicator's revisions are one JSON array; read back, every field is as written, with
    /// ids given in order after the last one.
    @Test func revisionsComeBackExactlyAsWritten() throws {
        let given = Self.revisions(2_000, seed: 2013)
        var batch = HistoryBatch(after: 41)
        for (indicator, revision) in given { batch.append(indicator: indicator, revision) }
        #expect(batch.lastId == 41 + 2_000)
        let store = try Store.inMemory()
        let back = try store.write { db in
            try db.execute(sql: "INSERT INTO arrivals (file_sha256, recorded_at, file, last_id) VALUES ('s', 't', 'f', 2041)")
            try batch.write(db, arrival: 1)
            return try Row.fetchAll(db, sql: "SELECT indicator, revisions FROM history ORDER BY id").map {
                ($0[0] as String, try HistoryBatch.read($0[1]))
            }
        }
        // One row per indicator, in the order each was first seen.
        var firstSeen: [String] = []
        for (indicator, _) in given where !firstSeen.contains(indicator) { firstSeen.append(indicator) }
        #expect(back.map(\.0) == firstSeen && firstSeen.count == 3)
        let flattened = back.flatMap { indicator, revisions in revisions.map { (indicator, $0) } }.sorted { $0.1.id < $1.1.id }
        #expect(flattened.count == given.count)
        for ((indicator, revision), (expectedIndicator, expected)) in zip(
            flattened,
            given.enumerated().map { i, g in
                (
                    g.0,
                    HistoryBatch.Revision(
                        id: 42 + i, breakdown: g.1.breakdown, period: g.1.period, number: g.1.number, marker: g.1.marker,
                        revision: g.1.revision, sources: g.1.sources, line: g.1.line, column: g.1.column, location: g.1.location)
                )
            })
        {
            #expect(indicator == expectedIndicator)
            #expect(revision == expected)
            if let n = revision.number, let e = expected.number { #expect(n.bitPattern == e.bitPattern || n == e) }
        }
    }

    /// The bytes written are the JSON a plain writer gives (`JSONWriter.quote` for every text,
    /// `JSONWriter.exact` for the number), for any texts and numbers.
    @Test func theWriterMatchesAPlainJSONWriter() {
        func reference(_ r: HistoryBatch.Revision) -> String {
            func text(_ value: String?) -> String { value.map(JSONWriter.quote) ?? "null" }
            func integer(_ value: Int?) -> String { value.map { String($0) } ?? "null" }
            let number = r.number.map(JSONWriter.exact) ?? "null"
            return "[\(r.id),\(text(r.breakdown)),\(text(r.period)),\(number),\(text(r.marker)),\(r.revision),"
                + "\(text(r.sources)),\(integer(r.line)),\(integer(r.column)),\(text(r.location))]"
        }
        var random = SplitMix64(seed: 7)
        for (i, (_, revision)) in Self.revisions(5_000, seed: 2014).enumerated() {
            var r = revision
            r.id = [0, 1, -1, Int.max, Int.min + 1, i * 7919][i % 6]
            r.revision = Int(random.next() % 1_000_000)
            var bytes: [UInt8] = []
            HistoryBatch.write(r, into: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == reference(r))
        }
    }

    /// A history row that is not what Vigil writes (a damaged or hand-edited store) is a store
    /// error naming the indicator, not a crash or a silent gap.
    @Test func aDamagedHistoryRowIsAStoreError() throws {
        let store = try Store.inMemory()
        try store.write { db in
            try db.execute(sql: "INSERT INTO arrivals (file_sha256, recorded_at, file, last_id) VALUES ('s', 't', 'f', 1)")
            try db.execute(
                sql: #"INSERT INTO history (indicator, arrival, revisions) VALUES ('m.count', 1, '[[1,"","2013-01"]]')"#)
        }
        #expect(throws: VigilError.self) { try store.history(indicator: "m.count") }
        do {
            _ = try store.history(indicator: "m.count")
        } catch {
            #expect(
                "\(error)"
                    == "error[store.failed]: a history row of 'm.count' is not the JSON Vigil writes (expected a JSON array of revisions, each [id, breakdown, period, number, marker, revision, sources, line, col, location])"
            )
        }
    }

    /// SQLite reads the same arrays: the `revisions` view gives every revision in the columns the
    /// history table had, with the file's SHA-256 for its own values and `file:line:column`.
    @Test func theViewReadsEveryRevisionWhole() throws {
        let given = Self.revisions(500, seed: 2020)
        var batch = HistoryBatch(after: 0)
        for (indicator, revision) in given { batch.append(indicator: indicator, revision) }
        let store = try Store.inMemory()
        let view = try store.write { db in
            try db.execute(
                sql: "INSERT INTO arrivals (file_sha256, recorded_at, file, last_id) VALUES ('sha', 't', 'p/\"x\":1.csv', 500)")
            try batch.write(db, arrival: 1)
            return try Row.fetchAll(
                db,
                sql:
                    "SELECT id, indicator, breakdown, period, number, marker, revision, sources, location FROM revisions ORDER BY id"
            ).map { Array($0.databaseValues) }
        }
        let expected = given.enumerated().map { i, g -> [DatabaseValue] in
            let r = g.1
            let location = r.line.map { "p/\"x\":1.csv:\($0)" + (r.column.map { ":\($0)" } ?? "") } ?? r.location
            return [
                (i + 1).databaseValue, g.0.databaseValue, r.breakdown.databaseValue, r.period.databaseValue,
                r.number.databaseValue, r.marker.databaseValue, r.revision.databaseValue, (r.sources ?? "sha").databaseValue,
                location.databaseValue,
            ]
        }
        #expect(view.count == expected.count)
        for (row, want) in zip(view, expected) { #expect(row == want) }
    }

    /// Through the store: each file's values of an indicator are one row, ids go on across files,
    /// and `vigil history` gives every revision in order with its file, to the last bit (a ratio:
    /// a count must be whole).
    @Test func aFileWritesOneRowPerIndicatorAndIdsGoOnAcrossFiles() throws {
        let catalogue = try Catalogue.parse(
            yaml: """
                priorities: [{id: 1, title: One}]
                partners: [{id: police, name: Police}]
                indicators:
                  - {id: m.count, title: Missing incidents per child, unit: ratio, periodicity: month, polarity: higher_is_worse, partners: [police], priorities: [1]}
                  - {id: m.other, title: Missing children, unit: count, periodicity: month, polarity: higher_is_worse, partners: [police], priorities: [1]}
                """, file: "c.yaml")
        let store = try Store.inMemory()
        let engine = Engine(catalogue: catalogue, rules: [])
        func ingest(_ csv: String, _ name: String, _ time: String) throws {
            let feed = FeedParser(catalogue: catalogue).parse(bytes: Array(csv.utf8), file: name, partner: "police")
            #expect(feed.isAccepted, "\(feed.errors)")
            _ = try store.ingest(feed, receivedAt: time, engine: engine, date: CivilDate(year: 2013, month: 6, day: 1)!)
        }
        try ingest(
            "indicator,period,value\nm.count,2013-01,0.1\nm.other,2013-01,3\nm.count,2013-02,12\nm.other,2013-02,4\n",
            "police/a.csv",
            "2013-03-05T10:00:00Z")
        try ingest("indicator,period,value\nm.count,2013-02,12\n", "police/same.csv", "2013-03-06T10:00:00Z")
        try ingest("indicator,period,value\nm.count,2013-01,0.30000000000000004\n", "police/b.csv", "2013-03-07T10:00:00Z")
        let rows = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT arrival, indicator, json_array_length(revisions) FROM history ORDER BY id").map {
                "\($0[0] as Int) \($0[1] as String) \($0[2] as Int)"
            }
        }
        #expect(rows == ["1 m.count 2", "1 m.other 2", "2 m.count 1"])
        let ids = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT id, period, revision FROM revisions WHERE indicator = 'm.count' ORDER BY id").map {
                "\($0[0] as Int) \($0[1] as String) r\($0[2] as Int)"
            }
        }
        #expect(ids == ["1 2013-01 r1", "3 2013-02 r1", "5 2013-01 r2"])
        let history = try store.history(indicator: "m.count").map { "\($0.period) r\($0.revision) \($0.value)" }
        #expect(history == ["2013-01 r1 0.1", "2013-01 r2 0.30000000000000004", "2013-02 r1 12"])
    }
}
