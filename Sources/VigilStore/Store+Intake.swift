import GRDB

/// A file claimed from a partner's drop folder and not yet finished: who sent it, under what name,
/// and how many times processing it has been started.
public struct IntakeRecord: Sendable, Hashable {
    /// The claim id: the processing file's name, which never embeds the partner's file name.
    public var claim: String
    /// The supplying partner.
    public var partner: String
    /// The name the partner gave it (valid UTF-8; any bytes but `/` and NUL).
    public var name: String
    /// When it was claimed (ISO 8601).
    public var receivedAt: String
    /// Attempts started so far; each is committed before the attempt begins.
    public var attempts: Int

    /// Creates a record.
    public init(claim: String, partner: String, name: String, receivedAt: String, attempts: Int = 0) {
        self.claim = claim
        self.partner = partner
        self.name = name
        self.receivedAt = receivedAt
        self.attempts = attempts
    }
}

extension Store {
    /// Records a claim before the file is moved out of the drop folder, so a crash at any later
    /// instant still knows whose file it is and what it was called.
    public func beginIntake(_ record: IntakeRecord) throws {
        try write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO intake (claim, partner, name, received_at, attempts) VALUES (?, ?, ?, ?, ?)",
                arguments: [record.claim, record.partner, record.name, record.receivedAt, record.attempts])
        }
    }

    /// Counts one more attempt at processing a claim and commits it before the attempt starts;
    /// returns the number of attempts including this one (nil when the claim is unknown).
    public func noteAttempt(_ claim: String) throws -> Int? {
        try write { db in
            try db.execute(sql: "UPDATE intake SET attempts = attempts + 1 WHERE claim = ?", arguments: [claim])
            return try Int.fetchOne(db, sql: "SELECT attempts FROM intake WHERE claim = ?", arguments: [claim])
        }
    }

    /// Forgets a claim whose file never left the drop folder (or that was finished).
    public func endIntake(_ claim: String) throws {
        try write { db in try db.execute(sql: "DELETE FROM intake WHERE claim = ?", arguments: [claim]) }
    }

    /// Claims not yet finished, in the order they were claimed.
    public func openIntake() throws -> [IntakeRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT claim, partner, name, received_at, attempts FROM intake ORDER BY rowid").map {
                IntakeRecord(
                    claim: $0["claim"], partner: $0["partner"], name: $0["name"], receivedAt: $0["received_at"],
                    attempts: $0["attempts"])
            }
        }
    }
}
