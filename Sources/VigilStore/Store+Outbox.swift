import Foundation
import GRDB
import VigilCore

/// An effect to perform after a transaction commits: an alert-file line, a journal entry, a receipt.
public struct OutboxItem: Sendable, Hashable {
    /// What to do (the daemon defines the kinds).
    public var kind: String
    /// The data it needs (JSON).
    public var payload: String
    /// The partner whose file caused it; empty for the clock's evaluations and IT's commands. The
    /// journal's pace holds a partner's next files while too many of its entries wait.
    public var partner: String

    /// Creates an item.
    public init(kind: String, payload: String, partner: String = "") {
        self.kind = kind
        self.payload = payload
        self.partner = partner
    }
}

/// A file claimed for processing: its claim id and where it goes afterwards.
public struct Claim: Sendable, Hashable {
    /// Unique id of the claim (the processing file's name).
    public var id: String
    /// Where an accepted (or duplicate) file is archived.
    public var archive: String
    /// Where a rejected file goes.
    public var rejected: String

    /// Creates a claim.
    public init(id: String, archive: String, rejected: String) {
        self.id = id
        self.archive = archive
        self.rejected = rejected
    }

    func destination(_ status: IngestOutcome.Status) -> String { status == .rejected ? rejected : archive }
}

extension Store {
    func enqueue(_ db: Database, _ item: OutboxItem) throws {
        try db.cachedStatement(sql: "INSERT INTO outbox (kind, payload, partner) VALUES (?, ?, ?)").execute(
            arguments: [item.kind, item.payload, item.partner])
    }

    /// Re-evaluates at `date` and records the events and their effects in one transaction;
    /// `progress` is called after each rule (vigild pings its watchdog from there).
    public func evaluate(
        engine: Engine, date: CivilDate, at timestamp: String, effects: ([AlertEvent]) -> [OutboxItem],
        progress: () -> Void = {}
    ) throws -> [AlertEvent] {
        try write { db in
            let events = try evaluate(db, engine: engine, date: date, at: timestamp, progress: progress)
            for item in effects(events) { try enqueue(db, item) }
            return events
        }
    }

    /// Effects not yet performed, oldest first; with `kinds`, only effects of those kinds, so one
    /// kind that cannot be performed (journald refusing) never holds the others back.
    public func pendingOutbox(kinds: [String]? = nil, limit: Int = 1000) throws -> [(seq: Int64, item: OutboxItem)] {
        try read { db in
            let rows =
                if let kinds {
                    try Row.fetchAll(
                        db,
                        sql: """
                            SELECT seq, kind, payload, partner FROM outbox WHERE done = 0
                            AND kind IN (\(Store.placeholders(kinds.count))) ORDER BY seq LIMIT ?
                            """,
                        arguments: StatementArguments(kinds.map { $0 as any DatabaseValueConvertible } + [limit]))
                } else {
                    try Row.fetchAll(
                        db, sql: "SELECT seq, kind, payload, partner FROM outbox WHERE done = 0 ORDER BY seq LIMIT ?",
                        arguments: [limit])
                }
            return rows.map {
                (seq: $0["seq"], item: OutboxItem(kind: $0["kind"], payload: $0["payload"], partner: $0["partner"]))
            }
        }
    }

    /// How many effects of `kinds` caused by `partner`'s files wait (`OutboxItem.partner`),
    /// counted up to `atMost` (an index on done, partner and kind: the cost is that of the limit,
    /// whatever the backlog).
    public func pendingCount(partner: String, kinds: [String], atMost: Int) throws -> Int {
        try read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM (SELECT 1 FROM outbox WHERE done = 0 AND partner = ?
                    AND kind IN (\(Store.placeholders(kinds.count))) LIMIT ?)
                    """,
                arguments: StatementArguments([partner as any DatabaseValueConvertible] + kinds + [atMost])) ?? 0
        }
    }

    /// `?, ?, …` for an `IN` list of `count` values.
    static func placeholders(_ count: Int) -> String { Array(repeating: "?", count: count).joined(separator: ",") }

    /// Marks an effect as performed and clears its payload: receipts' and events' texts are not
    /// kept in the outbox once they are out.
    public func markDone(_ seq: Int64) throws { try markDone([seq]) }

    /// Marks effects done and clears their payloads, in one transaction.
    public func markDone(_ seqs: [Int64]) throws {
        guard !seqs.isEmpty else { return }
        try write { db in
            let statement = try db.cachedStatement(sql: "UPDATE outbox SET done = 1, payload = '' WHERE seq = ?")
            for seq in seqs { try statement.execute(arguments: [seq]) }
        }
    }

    /// Where a committed claim's file belongs, or nil when the claim was never committed.
    public func claimDestination(_ claim: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT destination FROM claims WHERE claim = ?", arguments: [claim]) }
    }

    /// Records that a claim's file could not be read at all, with its effects.
    public func recordUnreadable(claim: Claim, effects: [OutboxItem]) throws {
        try write { db in
            for item in effects { try enqueue(db, item) }
            try db.execute(
                sql: "INSERT OR REPLACE INTO claims VALUES (?, '', 'rejected', ?)", arguments: [claim.id, claim.rejected])
            try db.execute(sql: "DELETE FROM intake WHERE claim = ?", arguments: [claim.id])
        }
    }

    /// Counts of alerts firing and files processed, for the service status line.
    public func counts() throws -> (firing: Int, files: Int) {
        try read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alert_records WHERE state = 'firing'") ?? 0,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM files") ?? 0
            )
        }
    }
}
