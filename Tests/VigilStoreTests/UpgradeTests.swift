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
        let (folder, path) = try DatabaseInspector.copy(fixture: "store-v4-2012-13.sqlite")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let before = try DatabaseInspector.migrations(path)
        #expect(before.last == "v4-current-values", "the fixture predates v5")

        let store = try Store.open(path: path)
        #expect(try DatabaseInspector.migrations(path).last == "v16-digest-event-seq")
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
        let again = try FeedFiles.parsed(file, loaded)
        let outcome = try store.ingest(
            again, receivedAt: "2013-05-01T00:00:00Z", engine: fresh.engine, date: CivilDate(year: 2013, month: 5, day: 1)!)
        #expect(outcome.status == .duplicate)
        let next = FeedParser(catalogue: loaded.catalogue).parse(
            bytes: Array("indicator,period,value\nmissing.incidents,2013-04,20\n".utf8), file: "april.csv", partner: "police")
        let added = try store.ingest(
            next, receivedAt: "2013-05-02T00:00:00Z", engine: fresh.engine, date: CivilDate(year: 2013, month: 5, day: 2)!)
        #expect(added.status == .accepted && added.added == 1)
        // The values counted per indicator (max_values_per_partner) are the store's, before and
        // after a new one.
        let (counted, actual, nobody) = try store.read { db in
            (
                try Row.fetchAll(db, sql: "SELECT indicator, SUM(n) AS n FROM value_counts GROUP BY indicator ORDER BY indicator")
                    .map {
                        "\($0["indicator"] as String) \($0["n"] as Int)"
                    },
                try Row.fetchAll(
                    db, sql: "SELECT indicator, COUNT(*) AS n FROM current_values GROUP BY indicator ORDER BY indicator"
                ).map { "\($0["indicator"] as String) \($0["n"] as Int)" },
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM value_counts WHERE partner = ''")!
            )
        }
        #expect(counted == actual && counted.count > 10)
        // Every value is counted against the partner whose file stored it.
        #expect(nobody == 0)
    }
}

/// The fixture `Tests/Fixtures/store-v5-2012-13.sqlite` was written by the `vigil` of commit
/// bbe09dc (schema v5): the 2012/13 replay evaluated at 2013-04-30, one revision (March 2013's
/// missing incidents, 20 then 41) and one acknowledgement.
@Suite struct UpgradeFromV5Tests {
    @Test func theHistoryMigrationsKeepEveryRevisionAndFindThemByIndicator() throws {
        let (folder, path) = try DatabaseInspector.copy(fixture: "store-v5-2012-13.sqlite")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(try DatabaseInspector.migrations(path).last == "v5-untrusted-partners", "the fixture predates v6")
        let historyBefore = try DatabaseInspector.rows(path, "SELECT * FROM observations ORDER BY id")

        let store = try Store.open(path: path)
        // Every revision, column by column as it was stored, through the view over `arrivals`.
        let historyAfter = try store.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, indicator, breakdown, period, number, marker, revision, file_sha256, sources, recorded_at, location
                    FROM revisions ORDER BY id
                    """
            ).map { Array($0.databaseValues) }
        }
        #expect(historyBefore.count == 451)
        #expect(historyAfter == historyBefore)
        // One arrival per file (and time) the values came from, and no copy of the SHA-256 or the
        // time on each row.
        let (arrivals, files) = try store.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM arrivals")!,
                try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT file_sha256 || recorded_at) FROM revisions")!
            )
        }
        #expect(arrivals == files && arrivals > 1)
        // The tables the migrations copied are in the database file, not left in the log.
        let log = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int
        #expect(log == 0)
        #expect(try DatabaseInspector.migrations(path).last == "v16-digest-event-seq")
        let (tables, indexes, plan, ids) = try store.read { db in
            (
                try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('observations', 'history')"),
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'history'"),
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + Store.historySQL, arguments: ["missing.incidents"])
                    .map { $0["detail"] as String },
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*), COUNT(DISTINCT id), MAX(id), (SELECT last_id FROM arrivals ORDER BY id DESC LIMIT 1)
                        FROM revisions
                        """
                ).map { [$0[0], $0[1], $0[2], $0[3]] as [Int] }
            )
        }
        // The history is one row per file and indicator (`v10-history-by-file`), found by indicator.
        #expect(tables == ["history"])
        #expect(indexes == ["history_by_indicator"])
        #expect(
            plan == [
                "SEARCH h USING INDEX history_by_indicator (indicator=?)", "SEARCH a USING INTEGER PRIMARY KEY (rowid=?)",
            ])
        // Every revision kept with its id, and the newest arrival holding the highest.
        #expect(ids == [451, 451, 451, 451])
        let historyRows = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM history")! }
        #expect(historyRows < 451 && historyRows >= arrivals)
        // The current values are read in their key's order as stored: no sort.
        let currentPlan = try store.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "EXPLAIN QUERY PLAN SELECT indicator, breakdown, period FROM current_values ORDER BY indicator, breakdown, period"
            ).map { $0["detail"] as String }
        }
        #expect(currentPlan == ["SCAN current_values"])
        let march = { try store.history(indicator: "missing.incidents").filter { $0.period == "2013-03" } }
        #expect(try march().map(\.revision) == [1, 2])
        #expect(try march().map(\.value) == [.number(20), .number(41)])
        #expect(try store.acknowledgements().map(\.by) == ["Independent Chair"])

        // A third revision is numbered after the stored ones and becomes the current value.
        let fresh = try Replay()
        let next = FeedParser(catalogue: fresh.loaded.catalogue).parse(
            bytes: Array("indicator,period,value\nmissing.incidents,2013-03,42\n".utf8), file: "march.csv", partner: "police")
        let outcome = try store.ingest(
            next, receivedAt: "2013-05-02T00:00:00Z", engine: fresh.engine, date: CivilDate(year: 2013, month: 5, day: 2)!)
        #expect(outcome.status == .accepted && outcome.revised == 1 && outcome.added == 0)
        #expect(try march().map(\.revision) == [1, 2, 3])
        // Numbered after every stored revision.
        let newest = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT id, number FROM revisions WHERE id > 451").map {
                "\($0[0] as Int) \($0[1] as Double)"
            }
        }
        #expect(newest == ["452 42.0"])
        let current = try store.dataset().observations.filter {
            $0.series.indicator == "missing.incidents" && $0.series.breakdown.key.isEmpty && "\($0.period)" == "2013-03"
        }
        #expect(current.map(\.value) == [.number(42)])
    }
}

/// Reads GRDB's migration table directly.
enum DatabaseInspector {
    /// A copy of a fixture store in a new temporary folder (the caller removes the folder).
    static func copy(fixture: String) throws -> (folder: String, path: String) {
        let folder = try Repo.temporaryDirectory()
        let path = folder + "/vigil.sqlite"
        try FileManager.default.copyItem(atPath: Repo.root + "/Tests/Fixtures/" + fixture, toPath: path)
        return (folder, path)
    }

    /// Every row of a query on a store, read without migrating it.
    static func rows(_ path: String, _ sql: String) throws -> [[DatabaseValue]] {
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        let db = try GRDB.DatabaseQueue(path: path, configuration: configuration)
        return try db.read { try Row.fetchAll($0, sql: sql).map { Array($0.databaseValues) } }
    }

    static func migrations(_ path: String) throws -> [String] {
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        let db = try GRDB.DatabaseQueue(path: path, configuration: configuration)
        return try db.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations ORDER BY rowid") }
    }
}
