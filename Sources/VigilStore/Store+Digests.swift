import Foundation
import GRDB
import VigilCore

/// Someone's acknowledgement of an alert: who has seen it and what is being done.
public struct Acknowledgement: Sendable, Hashable {
    /// The alert (episode) key.
    public var alertKey: String
    /// The event id given when acknowledging.
    public var alertId: String
    /// Who.
    public var by: String
    /// What is being done.
    public var note: String
    /// When (ISO 8601).
    public var at: String
    /// The alert's severity when acknowledged.
    public var severity: Severity?
    /// The alert's value when acknowledged.
    public var value: Double?
}

/// An alert event as the digest's "since the last digest" counts it: what happened, to which
/// priority and when it was recorded, without the event itself.
public struct RecordedEvent: Sendable, Hashable {
    /// The event's id.
    public var id: String
    /// Firing, resolved or retracted.
    public var kind: AlertEvent.Kind
    /// The board priority of its rule.
    public var priority: Int
    /// When it was recorded (ISO 8601).
    public var recordedAt: String

    /// Creates one.
    public init(id: String, kind: AlertEvent.Kind, priority: Int, recordedAt: String) {
        self.id = id
        self.kind = kind
        self.priority = priority
        self.recordedAt = recordedAt
    }
}

extension Store {
    /// Records an acknowledgement of the alert one of whose events has this id (or id prefix of at least 8).
    ///
    /// - Throws: `VigilError` when no alert has such an event.
    @discardableResult
    public func acknowledge(alertId: String, by: String, note: String, at: String) throws -> (Acknowledgement, AlertRecord) {
        let records = try alertRecords()
        let matches = records.filter { record in
            [record.firingEvent.id, record.lastEvent.id, record.current?.id].compactMap { $0 }.contains {
                $0 == alertId || (alertId.count >= 8 && $0.hasPrefix(alertId))
            }
        }
        guard matches.count == 1, let record = matches.first, let key = record.key else {
            throw VigilError(
                code: .store,
                message: matches.isEmpty
                    ? "no alert has an event with id '\(alertId)'; see `vigil alerts --all`"
                    : "'\(alertId)' matches \(matches.count) alerts; give more of the id")
        }
        let evidence = record.current ?? record.lastEvent
        let ack = Acknowledgement(
            alertKey: key.description, alertId: alertId, by: by, note: note, at: at, severity: evidence.severity,
            value: evidence.value)
        try write { db in
            try db.execute(
                sql:
                    "INSERT INTO acknowledgements (alert_id, by, note, at, alert_key, severity, value) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [alertId, by, note, at, ack.alertKey, ack.severity?.rawValue ?? "", ack.value])
        }
        return (ack, record)
    }

    /// Every acknowledgement, oldest first.
    public func acknowledgements() throws -> [Acknowledgement] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM acknowledgements ORDER BY seq").map { row in
                Acknowledgement(
                    alertKey: row["alert_key"], alertId: row["alert_id"], by: row["by"], note: row["note"], at: row["at"],
                    severity: Severity(rawValue: row["severity"] ?? ""), value: row["value"])
            }
        }
    }

    /// The events recorded after a time (nil: all), oldest first, read without decoding them.
    public func recordedEvents(after time: String? = nil) throws -> [RecordedEvent] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, event, json_extract(json, '$.priority') AS priority, recorded_at FROM alert_events
                    WHERE recorded_at > ? ORDER BY seq
                    """, arguments: [time ?? ""]
            ).map { row in
                guard let kind = AlertEvent.Kind(rawValue: row["event"]) else {
                    throw VigilError(code: .store, message: "alert event \(row["id"] as String) has no known kind")
                }
                return RecordedEvent(id: row["id"], kind: kind, priority: row["priority"] ?? 0, recordedAt: row["recorded_at"])
            }
        }
    }

    /// Offers the summary of each alert record (any state, archived too) to `body` in key order,
    /// read by SQL without decoding the records, so a reader decodes only what it chooses
    /// (the digest: `EpisodeSelection`, then `alertRecords(keys:)`).
    public func forEachAlertRecordSummary(_ body: (AlertRecordSummary) throws -> Void) throws {
        try read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT key, rule, state, json_extract(record, '$.indicator'), json_extract(record, '$.breakdown'),
                        json_extract(record, '$.start'), json_extract(record, '$.firingEvent.id'),
                        json_extract(record, '$.firingEvent.period'), json_extract(record, '$.firingEvent.kind'),
                        json_extract(record, '$.firingEvent.priority'), json_extract(record, '$.lastEvent.id'),
                        json_extract(record, '$.lastEvent.period'), json_extract(record, '$.lastEvent.event')
                    FROM alert_records ORDER BY key
                    """)
            while let row = try rows.next() {
                let key: String = row[0]
                guard let state = AlertRecord.State(rawValue: row[2]), let last = AlertEvent.Kind(rawValue: row[12] ?? "")
                else {
                    throw VigilError(code: .store, message: "alert record \(key) has no known state or last event")
                }
                try body(
                    AlertRecordSummary(
                        key: key, rule: row[1], indicator: row[3] ?? "", breakdown: row[4] ?? "", start: row[5] ?? "",
                        state: state, firingID: row[6] ?? "", firingPeriod: row[7] ?? "", firingKind: row[8] ?? "",
                        priority: row[9] ?? 0, lastID: row[10] ?? "", lastPeriod: row[11] ?? "", lastEvent: last))
            }
        }
    }

    /// The stored records of these keys (`AlertKey.description`), in the order given; a key
    /// with no record is left out.
    public func alertRecords(keys: [String]) throws -> [AlertRecord] {
        try read { db in
            let decoder = JSONDecoder()
            let lookup = try db.cachedStatement(sql: "SELECT record FROM alert_records WHERE key = ?")
            return try keys.compactMap { key in
                try String.fetchOne(lookup, arguments: [key]).map { try decoder.decode(AlertRecord.self, from: Data($0.utf8)) }
            }
        }
    }

    /// When the previous digest was generated, if any.
    public func lastDigest() throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT generated_at FROM digests ORDER BY seq DESC LIMIT 1") }
    }

    /// Records a digest.
    public func recordDigest(generatedAt: String, window: String, format: String, path: String) throws {
        try write { db in
            try db.execute(
                sql: "INSERT INTO digests (generated_at, window, format, path) VALUES (?, ?, ?, ?)",
                arguments: [generatedAt, window, format, path])
        }
    }
}
