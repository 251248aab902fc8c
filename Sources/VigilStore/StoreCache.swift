import GRDB
import VigilCore

/// In-memory copies of the current values and the alert records, so that evaluating after a file
/// does not re-read and re-decode the whole store (the daemon's drop-to-alert path).
///
/// Kept exact by construction: the only writers of `current_values` and `alert_records` are
/// `Store.ingest` and `Store.evaluate`, which update the copies in the same transaction. A commit by
/// any other connection (a `vigil evaluate` on the same store) changes SQLite's `data_version`,
/// and a failed transaction clears the copies; either way they are read afresh.
/// Used only on the store's writer (inside its transactions, and `clear()` after a failed one),
/// which GRDB serialises.
final class StoreCache: @unchecked Sendable {
    /// Current values, when held.
    var dataset: Dataset?
    /// Alert records by key, when held: all but the retracted, which are read by key when their
    /// episode comes back.
    var records: [AlertKey: AlertRecord]?
    /// The revision of each current value this process has read or written since the copies
    /// were made (held with `dataset`, and dropped with it): a revised row then needs no lookup.
    var revisions: [RevisionKey: Int] = [:]
    /// The most revisions held (65,536: about 10 MB); past it they are forgotten and looked up
    /// again. (A variable only so that a test can reach it with a few keys.)
    var revisionLimit = 65_536
    private var dataVersion: Int?

    /// A current value's key, as stored.
    struct RevisionKey: Hashable {
        let indicator: String
        let breakdown: String
        let period: String
    }

    /// Drops the copies if another connection has committed since they were made.
    func validate(_ db: Database) throws {
        let version = try Int.fetchOne(db, sql: "PRAGMA data_version")
        if version != dataVersion {
            clear()
            dataVersion = version
        }
    }

    /// Whether the copy of the current values is held and no other connection has committed
    /// since it was made; changes nothing (`validate` drops stale copies, where they are read again).
    func copiesAreCurrent(_ db: Database) throws -> Bool {
        try dataset != nil && versionIsCurrent(db)
    }

    /// The copy of the alert records, if held and no other connection has committed since it
    /// was made; changes nothing.
    func currentRecords(_ db: Database) throws -> [AlertKey: AlertRecord]? {
        guard let records, try versionIsCurrent(db) else { return nil }
        return records
    }

    /// Whether no other connection has committed since the copies were made.
    private func versionIsCurrent(_ db: Database) throws -> Bool {
        try Int.fetchOne(db, sql: "PRAGMA data_version") == dataVersion
    }

    /// Forgets everything (after a failed transaction).
    func clear() {
        dataset = nil
        revisions = [:]
        records = nil
        dataVersion = nil
    }
}
