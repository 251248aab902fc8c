import Foundation
import GRDB
import Testing
import VigilConfiguration
import VigilCore

@testable import VigilStore

/// An upgrade opens a store written by an earlier release and migrates it. The fixture
/// `Tests/Fixtures/store-v4-2012-13.sqlite` was written by the `vigil` of commit a871512^ (schema
/// v4, before files were keyed by partner): the 2012/13 replay evaluated at 2013-04-30 and one
/// acknowledgement (`Tests/Fixtures/README.md` says how it was made).
@Suite struct UpgradeTests {
    @Test func aStoreFromTheEarlierReleaseMigratesWithEveryValueAndAcknowledgement() throws {
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/vigil.sqlite"
        try FileManager.default.copyItem(atPath: Repo.root + "/Tests/Fixtures/store-v4-2012-13.sqlite", toPath: path)
        let before = try DatabaseInspector.migrations(path)
        #expect(before.last == "v4-current-values", "the fixture predates v5")

        let store = try Store.open(path: path)
        #expect(try DatabaseInspector.migrations(path).last == "v5-untrusted-partners")
        let fresh = try Replay()
        // The same values (with their revisions' current state) and file records as today's code gives.
        #expect(try store.dataset().observations == fresh.store.dataset().observations)
        #expect(try store.files().map(\.sha256).sorted() == fresh.store.files().map(\.sha256).sorted())
        #expect(try store.files().allSatisfy { $0.partner != nil }, "v5 keeps each file's partner")
        #expect(try store.acknowledgements().map(\.by) == ["Independent Chair"])
        #expect(try !store.alertRecords().isEmpty)
        // And it goes on working: a file already held is a duplicate, a new value is stored.
        let loaded = fresh.loaded
        let file = Repo.example + "/police/missing-incidents.csv"
        let again = FeedFiles.parse(file, partner: "police", parser: loaded.parser)
        let outcome = try store.ingest(
            again, receivedAt: "2013-05-01T00:00:00Z", engine: fresh.engine, date: CivilDate(year: 2013, month: 5, day: 1)!)
        #expect(outcome.status == .duplicate)
        let next = FeedParser(catalogue: loaded.catalogue).parse(
            bytes: Array("indicator,period,value\nmissing.incidents,2013-04,20\n".utf8), file: "april.csv", partner: "police")
        let added = try store.ingest(
            next, receivedAt: "2013-05-02T00:00:00Z", engine: fresh.engine, date: CivilDate(year: 2013, month: 5, day: 2)!)
        #expect(added.status == .accepted && added.added == 1)
    }
}

/// Reads GRDB's migration table directly.
enum DatabaseInspector {
    static func migrations(_ path: String) throws -> [String] {
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        let db = try GRDB.DatabaseQueue(path: path, configuration: configuration)
        return try db.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
    }
}
