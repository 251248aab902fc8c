import Foundation
import GRDB
import Testing
import VigilCore
import VigilStore

@Suite struct StoreTests {
    private let catalogue = MissingCatalogue.catalogue

    private var engine: Engine {
        let rules = try! RuleSet.parse(
            files: [
                (
                    "r.yaml",
                    """
                    rules:
                      - {id: high, kind: threshold, indicator: m.count, priority: 1, params: {above: {warning: 10}}}
                    """
                )
            ], catalogue: catalogue)
        return Engine(catalogue: catalogue, rules: rules)
    }

    private func feed(_ csv: String, name: String = "f.csv") -> ParsedFeed {
        FeedParser(catalogue: catalogue).parse(bytes: Array(csv.utf8), file: name, partner: "police")
    }

    private let date = CivilDate(year: 2013, month: 6, day: 1)!

    @Test func ingestRevisesAndRetractsAcrossFiles() throws {
        let store = try Store.inMemory()
        let first = try store.ingest(
            feed("indicator,period,value\nm.count,2013-01,4\nm.count,2013-02,12\n"), receivedAt: "2013-03-05T10:00:00Z",
            engine: engine, date: date)
        #expect(first.status == .accepted && first.added == 2)
        #expect(first.events.map { "\($0.event.rawValue) \($0.period)" } == ["firing 2013-02"])
        // The same bytes again: acknowledged as a duplicate, nothing re-ingested.
        let again = try store.ingest(
            feed("indicator,period,value\nm.count,2013-01,4\nm.count,2013-02,12\n"), receivedAt: "2013-03-06T10:00:00Z",
            engine: engine, date: date)
        #expect(again.status == .duplicate && again.events.isEmpty)
        // A revision of February to 9 retracts the alert; January is unchanged.
        let revised = try store.ingest(
            feed("indicator,period,value\nm.count,2013-01,4\nm.count,2013-02,9\n", name: "g.csv"),
            receivedAt: "2013-03-07T10:00:00Z", engine: engine, date: date)
        #expect(revised.revised == 1 && revised.unchanged == 1 && revised.added == 0)
        #expect(revised.events.map { "\($0.event.rawValue) \($0.period)" } == ["retracted 2013-02"])
        let history = try store.history(indicator: "m.count").filter { $0.period == "2013-02" }
        #expect(history.map { "\($0.revision): \($0.value)" } == ["1: 12", "2: 9"])
        #expect(try store.dataset().point(SeriesKey(indicator: "m.count"), Period(parsing: "2013-02")!)?.number == 9)
        #expect(try store.events().map(\.event) == [.firing, .retracted])
        #expect(try store.files().map(\.outcome) == [.accepted, .accepted])
    }

    @Test func rejectedFilesAreRecordedWithTheirErrorsAndStoreNothing() throws {
        let store = try Store.inMemory()
        let outcome = try store.ingest(
            feed("indicator,period,value\nm.count,2013-01,x1\n"), receivedAt: "2013-03-05T10:00:00Z", engine: engine, date: date)
        #expect(outcome.status == .rejected)
        #expect(try store.dataset().keys.isEmpty)
        let files = try store.files()
        #expect(files.map(\.outcome) == [.rejected])
        #expect(
            files[0].errors == [
                "f.csv:2:17: error[feed.value]: the cell (2 characters, not shown) is not a number; expected a number such as 185 or 79.3, or a disclosure marker (c, x, :, z, ..)"
            ])
    }

    @Test func aStoreOnDiskUsesWALAndKeepsAlertStateAcrossReopening() throws {
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/vigil.sqlite"
        do {
            let store = try Store.open(path: path)
            _ = try store.ingest(
                feed("indicator,period,value\nm.count,2013-01,14\n"), receivedAt: "t1", engine: engine, date: date)
        }
        let mode = try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
        #expect(mode == "wal")
        let reopened = try Store.open(path: path)
        #expect(try reopened.alertRecords().map(\.state) == [.firing])
        // Re-evaluating after reopening announces nothing new: the episode already fired.
        #expect(try reopened.evaluate(engine: engine, date: date, at: "t2").isEmpty)
        let next = try reopened.ingest(
            feed("indicator,period,value\nm.count,2013-02,3\n"), receivedAt: "t3", engine: engine, date: date)
        #expect(next.events.map { "\($0.event.rawValue) \($0.period)" } == ["resolved 2013-02"])
        #expect(try reopened.events().count == 2)
    }

    @Test func openingAnUnwritablePathIsAClearError() {
        #expect(throws: VigilError.self) { try Store.open(path: "/proc/vigil/none.sqlite") }
    }
}

@Suite struct StoreRefireTests {
    @Test func aRejectedFileSentAgainIsJudgedAgain() throws {
        let catalogue = try Catalogue.parse(
            yaml: """
                priorities: [{id: 1, title: One}]
                partners: [{id: police, name: Police}]
                indicators:
                  - {id: m.count, title: M, unit: count, periodicity: month, partners: [police], priorities: [1]}
                """, file: "c.yaml")
        let engine = Engine(catalogue: catalogue, rules: [])
        let store = try Store.inMemory()
        let bad = FeedParser(catalogue: catalogue).parse(
            bytes: Array("indicator,period,value\nm.count,2013,1\n".utf8), file: "f.csv", partner: "police")
        let date = CivilDate(year: 2013, month: 6, day: 1)!
        #expect(try store.ingest(bad, receivedAt: "t1", engine: engine, date: date).status == .rejected)
        let again = try store.ingest(bad, receivedAt: "t2", engine: engine, date: date)
        #expect(again.status == .rejected)
        #expect(again.errors.count == 1)
        #expect(try store.files().count == 1)
    }
}
