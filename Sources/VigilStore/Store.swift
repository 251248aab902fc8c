import Foundation
import GRDB
import Logging
import VigilCore

/// Vigil's embedded store (SQLite through GRDB): observations with their revision history, the
/// files ingested, alert state and the alert event log.
///
/// A file on disk uses WAL; `inMemory()` is for embedding and tests. Schema changes are migrations.
public final class Store: Sendable {
    let writer: any DatabaseWriter
    let logger: Logger
    /// Current values and alert records kept between evaluations (exact; see `StoreCache`).
    let cache = StoreCache()
    /// Whether the copies are made whole whenever they are missing, so that every file after the
    /// first is evaluated from memory (a long-running process: vigild). Otherwise a file's
    /// evaluation reads only what its rules read (a one-shot `vigil evaluate`).
    let keepsCopies: Bool

    private init(
        writer: any DatabaseWriter, logger: Logger, readOnly: Bool = false, keepsCopies: Bool = false,
        willMigrate: ([String]) -> Void = { _ in }
    ) throws {
        self.writer = writer
        self.logger = logger
        self.keepsCopies = keepsCopies
        if readOnly {
            guard try writer.read({ try Store.migrator.hasCompletedMigrations($0) }) else {
                throw VigilError(
                    code: .store, message: "the store has not been migrated to this release yet; start vigild once first")
            }
        } else {
            let applied = try writer.read { try Store.migrator.appliedIdentifiers($0) }
            let pending = Store.migrator.migrations.filter { !applied.contains($0) }
            guard !pending.isEmpty else { return }
            // Told only for a store that has migrations already (an upgrade): creating one is quick.
            if !applied.isEmpty { willMigrate(pending) }
            try Store.migrator.migrate(writer)
            if writer is DatabasePool {
                // A migration that copied a table left the copy in the log (vigild defers
                // checkpoints): it is written back now, within the start's extended timeout, not
                // at the first idle moment on the intake thread, between watchdog pings.
                try writer.writeWithoutTransaction { _ = try $0.checkpoint(.truncate) }
            }
        }
    }

    /// Opens an existing store for reading only: what members of `vigil-readers` may do (`vigil
    /// alerts`, `history`, digest previews) while vigild owns it. Nothing can be written through it.
    public static func openReadOnly(path: String, logger: Logger = Logger(label: "vigil.store")) throws -> Store {
        do {
            var configuration = Configuration()
            configuration.readonly = true
            configuration.busyMode = .timeout(10)
            return try Store(writer: DatabasePool(path: path, configuration: configuration), logger: logger, readOnly: true)
        } catch let error as DatabaseError {
            throw VigilError(
                code: .store, message: "cannot read the store", location: SourceLocation(file: path),
                cause: error.message ?? "\(error)")
        }
    }

    /// Opens (creating if needed) a store file in WAL mode. `willMigrate` is told the migrations an
    /// existing store needs before they run (some copy whole tables: seconds per million rows).
    /// The daemon defers checkpoints to idle moments and keeps whole copies of current values and
    /// alert records between files. After a checkpoint, the next commit truncates the write-ahead
    /// log to `logSizeLimit` bytes.
    public static func open(
        path: String, logger: Logger = Logger(label: "vigil.store"), deferCheckpoints: Bool = false, keepsCopies: Bool = false,
        logSizeLimit: Int = Store.logSizeLimit, willMigrate: ([String]) -> Void = { _ in }
    ) throws -> Store {
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            if deferCheckpoints {
                // The daemon checkpoints the WAL when idle (`checkpoint()`), off the drop-to-alert path.
                configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            // GRDB opens a pool's writer with `synchronous = NORMAL`, under which a commit reaches
            // the disk only at the next checkpoint. What follows a commit relies on it: the file
            // leaves `processing/`, and its receipt, journal entry and alert lines go out. A power
            // loss must not roll the commit back after that, so every commit syncs the log.
            // The writer's page cache holds up to 32 MiB (SQLite's default is 2 MiB): a file revising
            // values across an indicator's history dirties more pages than 2 MiB holds, which SQLite
            // then spills to the log mid-transaction and reads back. Readers keep the default.
            // The log is cut back to `logSizeLimit` when a commit after a checkpoint restarts it.
            try pool.writeWithoutTransaction {
                try $0.execute(sql: "PRAGMA synchronous = FULL; PRAGMA cache_size = -32768")
                _ = try Int.fetchOne($0, sql: "PRAGMA journal_size_limit = \(logSizeLimit)")
            }
            return try Store(writer: pool, logger: logger, keepsCopies: keepsCopies, willMigrate: willMigrate)
        } catch let error as DatabaseError {
            throw VigilError(
                code: .store, message: "cannot open the store", location: SourceLocation(file: path),
                cause: error.message ?? "\(error)")
        }
    }

    /// The write-ahead log's size after a checkpoint: a partner's large revision grows the log
    /// (2.47 GB once, review helper-19), and SQLite otherwise keeps the file at its peak until the
    /// store is closed.
    public static let logSizeLimit = 64 << 20

    /// A private in-memory store; with `keepsCopies`, current values and alert records are kept
    /// in memory between transactions, as `vigild` keeps them.
    public static func inMemory(logger: Logger = Logger(label: "vigil.store"), keepsCopies: Bool = false) throws -> Store {
        try Store(writer: DatabaseQueue(), logger: logger, keepsCopies: keepsCopies)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE files (
                        sha256 TEXT PRIMARY KEY, path TEXT NOT NULL, partner TEXT, received_at TEXT NOT NULL,
                        outcome TEXT NOT NULL, rows INTEGER NOT NULL, errors TEXT NOT NULL);
                    CREATE TABLE observations (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, indicator TEXT NOT NULL, breakdown TEXT NOT NULL, period TEXT NOT NULL,
                        number REAL, marker TEXT, revision INTEGER NOT NULL, file_sha256 TEXT NOT NULL, sources TEXT NOT NULL,
                        recorded_at TEXT NOT NULL, location TEXT,
                        UNIQUE (indicator, breakdown, period, revision));
                    CREATE INDEX observations_by_indicator ON observations (indicator, period);
                    CREATE TABLE alert_records (key TEXT PRIMARY KEY, rule TEXT NOT NULL, state TEXT NOT NULL, record TEXT NOT NULL);
                    CREATE TABLE alert_events (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, event TEXT NOT NULL, rule TEXT NOT NULL,
                        json TEXT NOT NULL, recorded_at TEXT NOT NULL);
                    CREATE TABLE acknowledgements (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT, alert_id TEXT NOT NULL, by TEXT NOT NULL, note TEXT NOT NULL,
                        at TEXT NOT NULL);
                    """)
        }
        migrator.registerMigration("v2-outbox") { db in
            try db.execute(
                sql: """
                    CREATE TABLE outbox (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, payload TEXT NOT NULL, done INTEGER NOT NULL DEFAULT 0);
                    CREATE INDEX outbox_pending ON outbox (done, seq);
                    CREATE TABLE claims (claim TEXT PRIMARY KEY, sha256 TEXT NOT NULL, outcome TEXT NOT NULL, destination TEXT NOT NULL);
                    """)
        }
        migrator.registerMigration("v3-digests") { db in
            try db.execute(
                sql: """
                    ALTER TABLE acknowledgements ADD COLUMN alert_key TEXT NOT NULL DEFAULT '';
                    ALTER TABLE acknowledgements ADD COLUMN severity TEXT NOT NULL DEFAULT '';
                    ALTER TABLE acknowledgements ADD COLUMN value REAL;
                    CREATE TABLE digests (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT, generated_at TEXT NOT NULL, window TEXT NOT NULL,
                        format TEXT NOT NULL, path TEXT NOT NULL);
                    """)
        }
        migrator.registerMigration("v4-current-values") { db in
            try db.execute(
                sql: """
                    CREATE TABLE current_values (
                        indicator TEXT NOT NULL, breakdown TEXT NOT NULL, period TEXT NOT NULL, number REAL, marker TEXT,
                        sources TEXT NOT NULL, revision INTEGER NOT NULL, PRIMARY KEY (indicator, breakdown, period));
                    INSERT INTO current_values
                        SELECT o.indicator, o.breakdown, o.period, o.number, o.marker, o.sources, o.revision FROM observations o
                        JOIN (SELECT indicator, breakdown, period, MAX(revision) AS revision FROM observations
                              GROUP BY indicator, breakdown, period) latest
                        ON o.indicator = latest.indicator AND o.breakdown = latest.breakdown AND o.period = latest.period
                        AND o.revision = latest.revision;
                    """)
        }
        migrator.registerMigration("v5-untrusted-partners") { db in
            // Files are keyed by (partner, SHA-256): another partner's identical bytes are judged on
            // their own, so a duplicate verdict reveals nothing across partners. `intake` holds each
            // claimed file's partner, name and attempts, committed before it is processed.
            try db.execute(
                sql: """
                    CREATE TABLE files_v5 (
                        sha256 TEXT NOT NULL, path TEXT NOT NULL, partner TEXT NOT NULL, received_at TEXT NOT NULL,
                        outcome TEXT NOT NULL, rows INTEGER NOT NULL, errors TEXT NOT NULL, PRIMARY KEY (partner, sha256));
                    INSERT INTO files_v5
                        SELECT sha256, path, COALESCE(partner, ''), received_at, outcome, rows, errors FROM files ORDER BY rowid;
                    DROP TABLE files;
                    ALTER TABLE files_v5 RENAME TO files;
                    CREATE TABLE intake (
                        claim TEXT PRIMARY KEY, partner TEXT NOT NULL, name TEXT NOT NULL, received_at TEXT NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0);
                    UPDATE outbox SET payload = '' WHERE done = 1;
                    CREATE INDEX outbox_pending_kind ON outbox (done, kind, seq);
                    """)
        }
        migrator.registerMigration("v6-lean-history") { db in
            // `vigil history` read an indicator's revisions through the unique key (indicator,
            // breakdown, period, revision), until v7; the index by (indicator, period) served
            // nothing, yet each stored value wrote one more scattered page to it.
            try db.execute(sql: "DROP INDEX observations_by_indicator")
        }
        migrator.registerMigration("v7-history-by-arrival") { db in
            // Revisions are kept in arrival order, indexed by indicator and arrival: a file's new
            // revisions land together at the end of their indicator's range, instead of each beside
            // its own earlier revisions (one page per value once a series has a few revisions).
            // The revision numbers stay unique by construction (each is the current one plus 1).
            try db.execute(
                sql: """
                    CREATE TABLE observations_v7 (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, indicator TEXT NOT NULL, breakdown TEXT NOT NULL, period TEXT NOT NULL,
                        number REAL, marker TEXT, revision INTEGER NOT NULL, file_sha256 TEXT NOT NULL, sources TEXT NOT NULL,
                        recorded_at TEXT NOT NULL, location TEXT);
                    INSERT INTO observations_v7 SELECT * FROM observations ORDER BY id;
                    DROP TABLE observations;
                    ALTER TABLE observations_v7 RENAME TO observations;
                    CREATE INDEX observations_by_arrival ON observations (indicator, id);
                    """)
        }
        migrator.registerMigration("v8-current-values-by-key") { db in
            // The current values are stored in their key's order (a table without row ids): a
            // row's lookup, insert or update walks one tree, not a key index and then the table.
            try db.execute(
                sql: """
                    CREATE TABLE current_values_v8 (
                        indicator TEXT NOT NULL, breakdown TEXT NOT NULL, period TEXT NOT NULL, number REAL, marker TEXT,
                        sources TEXT NOT NULL, revision INTEGER NOT NULL, PRIMARY KEY (indicator, breakdown, period)) WITHOUT ROWID;
                    INSERT INTO current_values_v8 SELECT * FROM current_values;
                    DROP TABLE current_values;
                    ALTER TABLE current_values_v8 RENAME TO current_values;
                    """)
        }
        migrator.registerMigration("v9-arrivals") { db in try moveHistoryToArrivals(db) }
        migrator.registerMigration("v10-history-by-file") { db in try packHistoryByFile(db) }
        migrator.registerMigration("v11-value-counts") { db in
            // How many current values each partner's files stored, per indicator, kept by every
            // ingest: a partner's bound (`max_values_per_partner`) is checked without counting the
            // store (Store+ValueLimit). An existing value is the partner's whose accepted file
            // first carried it (its first source), or nobody's ('').
            try db.execute(
                sql: """
                    CREATE TABLE value_counts (
                        partner TEXT NOT NULL, indicator TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (partner, indicator)
                    ) WITHOUT ROWID;
                    INSERT INTO value_counts
                    SELECT COALESCE(
                            (SELECT partner FROM files WHERE sha256 = substr(c.sources, 1, 64) AND outcome = 'accepted'
                             ORDER BY received_at LIMIT 1), ''),
                        c.indicator, COUNT(*)
                    FROM current_values c GROUP BY 1, 2;
                    """)
        }
        migrator.registerMigration("v12-outbox-partner") { db in
            // Whose file caused each effect: while the journal's pace holds entries back, a
            // partner with too many waiting has its next files wait (no copy: a new column).
            try db.execute(sql: "ALTER TABLE outbox ADD COLUMN partner TEXT NOT NULL DEFAULT ''")
        }
        migrator.registerMigration("v13-outbox-by-partner") { db in
            // A partner's waiting entries are counted up to the limit from this index, never by
            // reading a backlog of millions (review: 0.7-0.9 s a count at 667,000 rows).
            try db.execute(sql: "CREATE INDEX outbox_waiting_by_partner ON outbox (done, partner, kind)")
        }
        migrator.registerMigration("v14-archived-alert-records") { db in
            // Records beyond each rule and series' window stay out of the working set (review
            // helper-19: resolved records piled up in vigild's memory across files).
            try db.execute(sql: "ALTER TABLE alert_records ADD COLUMN archived INTEGER NOT NULL DEFAULT 0")
            try archiveBeyondWindows(db)
        }
        migrator.registerMigration("v15-file-key") { db in
            // The key of record-level extracts' published identities (`Store.fileKey`).
            try db.execute(sql: "CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL)")
            var generator = SystemRandomNumberGenerator()
            let key = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            try db.execute(sql: "INSERT INTO secrets (name, value) VALUES ('file-key', ?)", arguments: [Data(key)])
        }
        migrator.registerMigration("v16-digest-event-seq") { db in
            // A digest's mark is a position in the event log, not a time to the second (review
            // helper-28). Digests made before mark the last event recorded by their second.
            try db.execute(
                sql: """
                    ALTER TABLE digests ADD COLUMN event_seq INTEGER NOT NULL DEFAULT 0;
                    UPDATE digests SET event_seq =
                        COALESCE((SELECT MAX(seq) FROM alert_events WHERE recorded_at <= digests.generated_at), 0);
                    """)
        }
        return migrator
    }

    /// Reads the copies of the current values and of the alert records' working set now, for a
    /// store that keeps them (vigild, before READY=1: systemd's start timeout applies then, and
    /// its watchdog does not yet). Otherwise the first file or hourly evaluation after a start
    /// read them between watchdog pings (review helper-19: 3.2 s at 250,000 values, and seven
    /// partners at their quota hold seven times that). Copies already current are kept.
    public func loadCopies() throws {
        guard keepsCopies else { return }
        try write { db in
            try cache.validate(db)
            if cache.dataset == nil { cache.dataset = try dataset(db) }
            if cache.records == nil { cache.records = AlertStateMachine(records: try alertRecords(db, retracted: false)).records }
        }
    }

    /// How much `loadCopies` reads: the current values and the alert records of the working set
    /// (neither retracted nor archived). Counted by SQL, without reading them.
    public func copySizes() throws -> (values: Int, records: Int) {
        try read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM current_values") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alert_records WHERE \(Store.workingSet)") ?? 0
            )
        }
    }

    /// The store's own random key for record-level extracts' published identities
    /// (`Ingestor.published`), made when the store was created (or upgraded to
    /// `v15-file-key`); it never leaves the store.
    public func fileKey() throws -> [UInt8] {
        try read { db in try Store.fileKey(db) }
    }

    /// A file's published identity: the HMAC-SHA256 under the store's file key of the partner's
    /// id, `/` and its SHA-256 (a record-level extract's, or any rejected file's:
    /// `Ingestor.published`); without a partner, of the SHA-256 alone. Keyed per partner (review
    /// helper-51): under one key for all, a partner could drop any bytes, read their identity in
    /// its own receipt and so confirm a guess at another partner's extract from the journal or an
    /// alert's sources. The one definition, for the ingest path and the store's bookkeeping.
    public static func publishedIdentity(of sha256: String, partner: String?, key: [UInt8]) -> String {
        SHA256.hmac(key: key, message: Array(((partner.map { $0 + "/" } ?? "") + sha256).utf8)).hexString
    }

    /// The file key, read within a transaction already open.
    static func fileKey(_ db: Database) throws -> [UInt8] {
        guard let key = try Data.fetchOne(db, sql: "SELECT value FROM secrets WHERE name = 'file-key'"), key.count == 32
        else { throw VigilError(code: .store, message: "the store has no file key") }
        return Array(key)
    }

    /// Copies the write-ahead log into the database file (passive: never blocks readers).
    public func checkpoint() throws {
        do {
            try writer.writeWithoutTransaction { db in _ = try db.checkpoint(.passive) }
        } catch let error as DatabaseError {
            throw VigilError(code: .store, message: "a WAL checkpoint failed", cause: error.message ?? "\(error)")
        }
    }

    /// Runs `body` in one write transaction.
    func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.write(body)
        } catch let error as DatabaseError {
            clearCache()
            throw VigilError(code: .store, message: "a store write failed", cause: error.message ?? "\(error)")
        } catch {
            clearCache()
            throw error
        }
    }

    /// The transaction was rolled back, so the in-memory copies may hold its changes: they are
    /// dropped on the writer's own queue, which serialises every use of them.
    private func clearCache() {
        writer.writeWithoutTransaction { _ in cache.clear() }
    }

    /// Runs `body` with a read-only view.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try writer.read(body)
        } catch let error as DatabaseError {
            throw VigilError(code: .store, message: "a store read failed", cause: error.message ?? "\(error)")
        }
    }
}
