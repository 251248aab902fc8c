import Foundation
import GRDB
import VigilCore

extension Store {
    /// Copies the whole store to `path` with SQLite's online backup: a consistent snapshot of the
    /// last committed transaction, taken while vigild keeps writing. The copy is written beside
    /// `path`, synced and renamed into place, so a failed backup never leaves a partial file there.
    public func backup(to path: String) throws {
        let partial = path + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do {
            let destination = try DatabaseQueue(path: partial)
            try writer.backup(to: destination)
            try destination.writeWithoutTransaction { db in
                // A self-contained file: no -wal or -shm beside it.
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
            }
            try destination.close()
            guard rename(partial, path) == 0 else {
                throw VigilError(
                    code: .store, message: "cannot move the backup into place", location: SourceLocation(file: path),
                    cause: String(cString: strerror(errno)))
            }
        } catch let error as DatabaseError {
            try? FileManager.default.removeItem(atPath: partial)
            throw VigilError(
                code: .store, message: "the backup failed", location: SourceLocation(file: path),
                cause: error.message ?? "\(error)")
        }
    }

    /// Replaces the store at `storePath` with the backup at `backupPath`, then migrates it to this
    /// release's schema. The caller must hold the store's `StoreLock` (vigild stopped). The backup
    /// is checked first (a Vigil store that passes `PRAGMA integrity_check`); a bad one changes nothing.
    public static func restore(from backupPath: String, into storePath: String, lock: StoreLock) throws {
        precondition(lock.path == StoreLock.path(forStore: storePath), "restore needs the lock of the store it replaces")
        let location = SourceLocation(file: backupPath)
        guard FileManager.default.isReadableFile(atPath: backupPath) else {
            throw VigilError(code: .store, message: "cannot read the backup", location: location)
        }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let source = try DatabaseQueue(path: backupPath, configuration: configuration)
            let check = try source.read { db -> (String?, Bool) in
                let integrity = try String.fetchOne(db, sql: "PRAGMA integrity_check")
                // The revision history is `history` since v10 and was `observations` before it (an
                // older backup is migrated when the store is next opened).
                let isVigil =
                    try db.tableExists("grdb_migrations") && (db.tableExists("history") || db.tableExists("observations"))
                return (integrity, isVigil)
            }
            guard check.1 else { throw VigilError(code: .store, message: "this is not a Vigil store", location: location) }
            guard check.0 == "ok" else {
                throw VigilError(
                    code: .store, message: "the backup is damaged (PRAGMA integrity_check failed)", location: location,
                    cause: check.0)
            }
            let destination = try DatabasePool(path: storePath)
            try source.backup(to: destination)
            try destination.close()
            try source.close()
        } catch let error as DatabaseError {
            throw VigilError(code: .store, message: "the restore failed", location: location, cause: error.message ?? "\(error)")
        }
        // Opening migrates a backup taken by an earlier release.
        _ = try Store.open(path: storePath)
    }
}
