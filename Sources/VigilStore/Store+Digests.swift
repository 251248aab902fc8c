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

/// Where a digest left the event log: when it was made, and the position (`alert_events.seq`)
/// of the last event recorded before it read the store. The next digest's "since the last
/// digest" starts after that position: times are to the second, and an event recorded in the
/// same second after a digest was in neither paper (review helper-28).
public struct DigestMark: Sendable, Hashable {
    /// When the digest was made (ISO 8601, to the second).
    public var generatedAt: String
    /// The last event it could see (0: none).
    public var eventSeq: Int64

    /// Creates one.
    public init(generatedAt: String, eventSeq: Int64) {
        self.generatedAt = generatedAt
        self.eventSeq = eventSeq
    }
}

/// An alert event as the digest's "since the last digest" counts it: what happened, to which
/// priority and when it was recorded, without the event itself.
public struct RecordedEvent: Sendable, Hashable {
    /// Its position in the event log.
    public var seq: Int64
    /// The event's id.
    public var id: String
    /// Firing, resolved or retracted.
    public var kind: AlertEvent.Kind
    /// The board priority of its rule.
    public var priority: Int
    /// When it was recorded (ISO 8601).
    public var recordedAt: String

    /// Creates one.
    public init(seq: Int64, id: String, kind: AlertEvent.Kind, priority: Int, recordedAt: String) {
        self.seq = seq
        self.id = id
        self.kind = kind
        self.priority = priority
        self.recordedAt = recordedAt
    }
}

/// How many events of one kind, on one priority, a period of the event log holds.
public struct EventCount: Sendable, Hashable {
    /// Firing, resolved or retracted.
    public var kind: AlertEvent.Kind
    /// The board priority.
    public var priority: Int
    /// How many.
    public var count: Int

    /// Creates one.
    public init(kind: AlertEvent.Kind, priority: Int, count: Int) {
        self.kind = kind
        self.priority = priority
        self.count = count
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

    /// The events recorded after a position in the event log (0: all), oldest first, read
    /// without decoding them.
    public func recordedEvents(after seq: Int64 = 0) throws -> [RecordedEvent] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, id, event, json_extract(json, '$.priority') AS priority, recorded_at FROM alert_events
                    WHERE seq > ? ORDER BY seq
                    """, arguments: [seq]
            ).map { row in
                guard let kind = AlertEvent.Kind(rawValue: row["event"]), let priority: Int = row["priority"] else {
                    throw VigilError(code: .store, message: "alert event \(row["id"] as String) has no known kind or priority")
                }
                return RecordedEvent(
                    seq: row["seq"], id: row["id"], kind: kind, priority: priority, recordedAt: row["recorded_at"])
            }
        }
    }

    /// Offers the summary of each alert record (any state, archived too) to `consider` in key
    /// order, read by SQL without decoding the records (with its events' positions in the event
    /// log), then
    /// returns the records of the keys `chosen` names, in that order, in the same read: the
    /// records are those the summaries described, whatever vigild commits meanwhile (the
    /// digest: `EpisodeSelection`).
    /// Without `eventPositions`, the summaries' positions are nil (the two lookups in the event
    /// log cost about a second per 100,000 records, and only a window of what was recorded since
    /// the last digest reads them).
    public func alertRecords(
        choosing consider: (AlertRecordSummary) throws -> Void, chosen: () -> [String], eventPositions: Bool = true
    ) throws -> [AlertRecord] {
        try read { db in
            let times =
                eventPositions
                ? """
                f.seq, l.seq FROM alert_records r
                LEFT JOIN alert_events f ON f.id = json_extract(r.record, '$.firingEvent.id')
                LEFT JOIN alert_events l ON l.id = json_extract(r.record, '$.lastEvent.id')
                """ : "NULL, NULL FROM alert_records r"
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT r.key, r.rule, r.state, json_extract(r.record, '$.indicator'),
                        json_extract(r.record, '$.breakdown'), json_extract(r.record, '$.start'),
                        json_extract(r.record, '$.firingEvent.id'), json_extract(r.record, '$.firingEvent.period'),
                        json_extract(r.record, '$.firingEvent.kind'), json_extract(r.record, '$.firingEvent.priority'),
                        json_extract(r.record, '$.lastEvent.id'), json_extract(r.record, '$.lastEvent.period'),
                        json_extract(r.record, '$.lastEvent.event'), \(times)
                    ORDER BY r.key
                    """)
            while let row = try rows.next() {
                let key: String = row[0]
                // Every field is the store's own writing; one missing is a damaged record, not a
                // default (a priority of 0 would move it out of its section).
                guard let state = AlertRecord.State(rawValue: row[2]), let last = AlertEvent.Kind(rawValue: row[12] ?? ""),
                    let indicator: String = row[3], let breakdown: String = row[4], let start: String = row[5],
                    let firingID: String = row[6], let firingPeriod: String = row[7], let firingKind: String = row[8],
                    let priority: Int = row[9], let lastID: String = row[10], let lastPeriod: String = row[11]
                else {
                    throw VigilError(code: .store, message: "alert record \(key) is missing a field the digest reads")
                }
                try consider(
                    AlertRecordSummary(
                        key: key, rule: row[1], indicator: indicator, breakdown: breakdown, start: start, state: state,
                        firingID: firingID, firingPeriod: firingPeriod, firingKind: firingKind, priority: priority,
                        lastID: lastID, lastPeriod: lastPeriod, lastEvent: last, firingEventSeq: row[13],
                        lastEventSeq: row[14]))
            }
            return try alertRecords(db, keyTexts: chosen())
        }
    }

    /// How many events of each kind and priority were recorded after a digest's mark, counted by
    /// SQL (a partner's revisions can record hundreds of thousands between two digests).
    public func eventCounts(after mark: DigestMark) throws -> [EventCount] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT event, json_extract(json, '$.priority'), COUNT(*) FROM alert_events WHERE seq > ?
                    GROUP BY 1, 2 ORDER BY 1, 2
                    """, arguments: [mark.eventSeq]
            ).map { row in
                guard let kind = AlertEvent.Kind(rawValue: row[0]), let priority: Int = row[1] else {
                    throw VigilError(code: .store, message: "an alert event has no known kind or priority")
                }
                return EventCount(kind: kind, priority: priority, count: row[2])
            }
        }
    }

    /// Where the previous recorded digest left the event log, if there is one.
    public func lastDigest() throws -> DigestMark? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT generated_at, event_seq FROM digests ORDER BY seq DESC LIMIT 1").map {
                DigestMark(generatedAt: $0[0], eventSeq: $0[1])
            }
        }
    }

    /// The position of the latest event in the event log (0: none): a digest's mark, read before
    /// it reads anything else, so an event recorded meanwhile is counted again, never lost.
    public func lastEventSeq() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM alert_events") ?? 0 }
    }

    /// Records a digest and where it left the event log.
    public func recordDigest(_ mark: DigestMark, window: String, format: String, path: String) throws {
        try write { db in
            try db.execute(
                sql: "INSERT INTO digests (generated_at, window, format, path, event_seq) VALUES (?, ?, ?, ?, ?)",
                arguments: [mark.generatedAt, window, format, path, mark.eventSeq])
        }
    }
}
