import Foundation
import GRDB
import Testing

@testable import VigilStore

/// What vigild does after a commit relies on it being on disk: the file is moved out of
/// `processing/` to the archive, its receipt and journal entry say it was accepted, and its
/// events are appended to `alerts.jsonl`. In WAL mode with `synchronous = NORMAL` (GRDB's default
/// for a pool) a commit is synced only at the next checkpoint, so a power loss could roll it back
/// after all of that: the file would be archived but never stored, and `alerts.jsonl` would hold
/// events the store does not know. Every commit of a store file must therefore sync the log.
@Suite struct StoreDurabilityTests {
    @Test(arguments: [false, true])
    func everyCommitToAStoreFileIsSyncedToDisk(deferCheckpoints: Bool) throws {
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store.open(path: folder + "/vigil.sqlite", deferCheckpoints: deferCheckpoints)
        let (journal, synchronous) = try store.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(journal == "wal")
        #expect(synchronous == 2, "synchronous = FULL: the log is synced at every commit")
    }

    /// A partner's large revision grows the write-ahead log (helper-19: 2.47 GB); SQLite keeps
    /// the file at its peak size until the store is closed. Once checkpointed, the next commit
    /// truncates it to the store's limit.
    @Test func theLogShrinksToItsLimitAfterACheckpoint() throws {
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/vigil.sqlite"
        let store = try Store.open(path: path, deferCheckpoints: true, logSizeLimit: 1 << 20)
        func logSize() throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? -1
        }
        try store.write { db in
            try db.execute(sql: "CREATE TABLE filler (bytes BLOB)")
            for _ in 0..<80 { try db.execute(sql: "INSERT INTO filler VALUES (zeroblob(65536))") }
        }
        let peak = try logSize()
        #expect(peak > 5 << 20)
        try store.checkpoint()
        try store.write { db in try db.execute(sql: "INSERT INTO filler VALUES (x'00')") }
        let after = try logSize()
        #expect(after <= 1 << 20, "the log holds \(after) bytes after a checkpoint (peak \(peak))")
    }
}
