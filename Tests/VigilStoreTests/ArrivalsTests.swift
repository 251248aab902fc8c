import Foundation
import GRDB
import Testing
import VigilCore

@testable import VigilStore

/// The revision history keeps each file's SHA-256, time and name once, in `arrivals`; the view
/// `revisions` shows every revision with the columns it was first stored with.
@Suite struct ArrivalsTests {
    private let catalogue = MissingCatalogue.catalogue

    private var engine: Engine { Engine(catalogue: catalogue, rules: []) }

    private func ingest(_ store: Store, _ csv: String, name: String, at time: String) throws -> ParsedFeed {
        let feed = FeedParser(catalogue: catalogue).parse(bytes: Array(csv.utf8), file: name, partner: "police")
        _ = try store.ingest(feed, receivedAt: time, engine: engine, date: CivilDate(year: 2013, month: 6, day: 1)!)
        return feed
    }

    /// A file's values share one arrival; a file that changes nothing adds none; the view puts
    /// back the SHA-256, sources, time and `file:line:column` of every revision.
    @Test func aFilesValuesShareOneArrivalAndTheViewShowsThemWhole() throws {
        let store = try Store.inMemory()
        let first = try ingest(
            store, "indicator,period,value\nm.count,2013-01,4\nm.count,2013-02,12\n", name: "police/jan.csv",
            at: "2013-03-05T10:00:00Z")
        _ = try ingest(
            store, "indicator,period,value\n# same again\nm.count,2013-01,4\n", name: "police/again.csv",
            at: "2013-03-06T10:00:00Z")
        let second = try ingest(
            store, "indicator,period,value\nm.count,2013-02,13\n", name: "police/feb.csv", at: "2013-03-07T10:00:00Z")
        let (arrivals, stored, view) = try store.read { db in
            (
                try Row.fetchAll(db, sql: "SELECT id, file_sha256, recorded_at, file FROM arrivals ORDER BY id").map {
                    "\($0[0] as Int) \(($0[1] as String).prefix(8)) \($0[2] as String) \($0[3] as String)"
                },
                try Row.fetchAll(db, sql: "SELECT arrival, indicator, revisions FROM history ORDER BY id").map {
                    "\($0[0] as Int) \($0[1] as String) \($0[2] as String)"
                },
                try Row.fetchAll(
                    db,
                    sql: "SELECT period, number, revision, file_sha256, sources, recorded_at, location FROM revisions ORDER BY id"
                ).map {
                    "\($0[0] as String) \($0[1] as Double) r\($0[2] as Int) \(($0[3] as String).prefix(8)) \(($0[4] as String).prefix(8)) \($0[5] as String) \($0[6] as String)"
                }
            )
        }
        let a = first.sha256.prefix(8)
        let b = second.sha256.prefix(8)
        #expect(arrivals == ["1 \(a) 2013-03-05T10:00:00Z police/jan.csv", "2 \(b) 2013-03-07T10:00:00Z police/feb.csv"])
        // One history row per file and indicator: [id, breakdown, period, number, marker, revision,
        // sources (null: the file's own), line, column, location (null: a line of the file)].
        #expect(
            stored == [
                #"1 m.count [[1,"","2013-01",4,null,1,null,2,1,null],[2,"","2013-02",12,null,1,null,3,1,null]]"#,
                #"2 m.count [[3,"","2013-02",13,null,2,null,2,1,null]]"#,
            ])
        #expect(
            view == [
                "2013-01 4.0 r1 \(a) \(a) 2013-03-05T10:00:00Z police/jan.csv:2:1",
                "2013-02 12.0 r1 \(a) \(a) 2013-03-05T10:00:00Z police/jan.csv:3:1",
                "2013-02 13.0 r2 \(b) \(b) 2013-03-07T10:00:00Z police/feb.csv:2:1",
            ])
        // `vigil history` reads the file and time through the arrival.
        let history = try store.history(indicator: "m.count").map {
            "\($0.period) r\($0.revision) \($0.fileSHA256.prefix(8)) \($0.recordedAt)"
        }
        #expect(
            history == [
                "2013-01 r1 \(a) 2013-03-05T10:00:00Z", "2013-02 r1 \(a) 2013-03-05T10:00:00Z",
                "2013-02 r2 \(b) 2013-03-07T10:00:00Z",
            ])
    }

    /// A partner's file name may hold colons and digits (`x:12:3.csv`): the store keeps the line and
    /// column apart from the name, so the view gives back exactly `name:line:column`.
    @Test func aNameWithColonsAndDigitsComesBackWhole() throws {
        let store = try Store.inMemory()
        _ = try ingest(
            store, "indicator,period,value\nm.count,2013-01,4\n", name: "police/x:12:3.csv", at: "2013-03-05T10:00:00Z")
        let location = try store.read { db in try String.fetchOne(db, sql: "SELECT location FROM revisions") }
        #expect(location == "police/x:12:3.csv:2:1")
        let file = try store.read { db in try String.fetchOne(db, sql: "SELECT file FROM arrivals") }
        #expect(file == "police/x:12:3.csv")
    }

    /// A location is kept as a line and column against its file only when it names that file and
    /// a line; otherwise whole, so nothing is lost.
    @Test func aLocationIsStoredAgainstItsFileOnlyWhenItNamesIt() {
        #expect(Store.storedLocation(SourceLocation(file: "p/a.csv", line: 4, column: 2), file: "p/a.csv") == (4, 2, nil))
        #expect(Store.storedLocation(SourceLocation(file: "p/a.csv", line: 4), file: "p/a.csv") == (4, nil, nil))
        #expect(
            Store.storedLocation(SourceLocation(file: "p/b.csv", line: 4, column: 2), file: "p/a.csv") == (
                nil, nil, "p/b.csv:4:2"
            ))
        #expect(Store.storedLocation(SourceLocation(file: "p/a.csv"), file: "p/a.csv") == (nil, nil, "p/a.csv"))
        #expect(Store.storedLocation(nil, file: "p/a.csv") == (nil, nil, nil))
    }

    /// The migration splits each stored location text into its file, line and column only where
    /// joining them gives back the same text: names may hold colons and digits.
    @Test func aStoredLocationIsSplitOnlyWhereItJoinsBackTheSame() {
        func parts(_ text: String) -> String? {
            Store.splitLocation(text).map { "\($0.file)|\($0.line)|\($0.column.map(String.init) ?? "-")" }
        }
        #expect(parts("police/a.csv:12:3") == "police/a.csv|12|3")
        #expect(parts("police/x:1:2.csv:4:5") == "police/x:1:2.csv|4|5")
        #expect(parts("police/a.csv:12") == "police/a.csv|12|-")
        #expect(parts("police/a.csv") == nil)
        #expect(parts("police/a.csv:012:3") == "police/a.csv:012|3|-")
        #expect(parts("police/a.csv:") == nil)
        // Any text: a split joins back to exactly the text it came from.
        var random = SplitMix64(seed: 2013)
        let alphabet = Array("ab:0123456789/.".utf8)
        for _ in 0..<5_000 {
            let count = Int(random.next() % 12)
            let text = String(
                decoding: (0..<count).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] }, as: UTF8.self)
            guard let split = Store.splitLocation(text) else { continue }
            let joined = split.file + ":\(split.line)" + (split.column.map { ":\($0)" } ?? "")
            #expect(joined == text, "\(text)")
        }
    }
}
