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
    /// Alert records by key, when held.
    var records: [AlertKey: AlertRecord]?
    private var dataVersion: Int?

    /// Drops the copies if another connection has committed since they were made.
    func validate(_ db: Database) throws {
        let version = try Int.fetchOne(db, sql: "PRAGMA data_version")
        if version != dataVersion {
            clear()
            dataVersion = version
        }
    }

    /// Forgets everything (after a failed transaction).
    func clear() {
        dataset = nil
        records = nil
        dataVersion = nil
    }
}
