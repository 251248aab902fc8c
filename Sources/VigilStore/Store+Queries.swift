import Foundation
import GRDB
import VigilCore

/// One stored value of a series at a period, with its revision.
public struct RevisionRow: Sendable, Hashable {
    /// Series.
    public var series: SeriesKey
    /// Period text.
    public var period: String
    /// Value.
    public var value: ObservedValue
    /// 1 for the first value, then 2, 3…
    public var revision: Int
    /// SHA-256 of the file it came from.
    public var fileSHA256: String
    /// When it was recorded.
    public var recordedAt: String
}

/// One processed file.
public struct FileRecord: Sendable, Hashable {
    /// SHA-256.
    public var sha256: String
    /// Path as given.
    public var path: String
    /// Partner.
    public var partner: String?
    /// When received.
    public var receivedAt: String
    /// Accepted or rejected (a duplicate is not recorded again).
    public var outcome: IngestOutcome.Status
    /// Error descriptions.
    public var errors: [String]
}

extension Store {
    /// The latest revision of every observation.
    public func dataset() throws -> Dataset { try read { try dataset($0) } }

    /// The current values of these indicators only.
    public func dataset(indicators: Set<String>) throws -> Dataset { try read { try dataset($0, indicators: indicators) } }

    /// The periods each indicator has current values for, without reading the values.
    public func periodsByIndicator() throws -> [String: Set<Period>] {
        try read { db in
            var out: [String: Set<Period>] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT DISTINCT indicator, period FROM current_values")
            while let row = try rows.next() {
                if let period = Period(parsing: row[1] as String) { out[row[0] as String, default: []].insert(period) }
            }
            return out
        }
    }

    /// The current values of `indicators` only (nil: all).
    func dataset(_ db: Database, indicators: Set<String>? = nil) throws -> Dataset {
        var dataset = Dataset()
        let names = indicators.map { Array($0).sorted() } ?? []
        let filter = indicators == nil ? "" : "WHERE indicator IN (\(Store.placeholders(names.count)))"
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT indicator, breakdown, period, number, marker, sources FROM current_values \(filter) ORDER BY indicator, breakdown, period
                """, arguments: StatementArguments(names))
        // Rows come by series: a series' key is parsed once, and the few distinct period texts and
        // source lists once each (columns by index: by name, GRDB lower-cases the name per row).
        var series: (indicator: String, breakdown: String, key: SeriesKey)?
        var periods: [String: Period] = [:]
        var sourceLists: [String: [String]] = [:]
        var bySeries: [SeriesKey: [SeriesPoint]] = [:]
        func memo<Value>(_ text: String, _ seen: inout [String: Value], _ make: (String) -> Value?) -> Value? {
            if let known = seen[text] { return known }
            let made = make(text)
            seen[text] = made
            return made
        }
        while let row = try rows.next() {
            guard let period = memo(row[2], &periods, { Period(parsing: $0) }) else { continue }
            let indicator: String = row[0]
            let breakdown: String = row[1]
            if series?.indicator != indicator || series?.breakdown != breakdown {
                series = (indicator, breakdown, SeriesKey(indicator: indicator, breakdown: Breakdown(key: breakdown)))
            }
            let value: ObservedValue = (row[4] as String?).map { .marker($0) } ?? .number(row[3])
            let sources = memo(row[5], &sourceLists, { $0.split(separator: ",").map(String.init) }) ?? []
            bySeries[series!.key, default: []].append(SeriesPoint(period: period, value: value, sources: sources))
        }
        // All at once: each indicator's keys are sorted once, not as each series arrives.
        dataset.upsert(contentsOf: bySeries)
        return dataset
    }

    /// Every alert record.
    public func alertRecords() throws -> [AlertRecord] { try read { try alertRecords($0) } }

    /// The records of the alerts firing now (what `firing.json` lists), in key order, without
    /// decoding the rest: from the copy of the records while it is current (vigild rewrites
    /// `firing.json` after every file, and decoding each firing record again grew with them).
    public func firingRecords() throws -> [AlertRecord] {
        if keepsCopies, let copy = try writer.writeWithoutTransaction({ try cache.currentRecords($0) }) {
            // The stored key order: SQLite compares the keys' UTF-8 bytes.
            return copy.filter { $0.value.state == .firing }.map { ($0.key.description, $0.value) }
                .sorted { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }.map(\.1)
        }
        return try read { db in
            let decoder = JSONDecoder()
            return try String.fetchAll(
                db, sql: "SELECT record FROM alert_records WHERE state = ? ORDER BY key",
                arguments: [AlertRecord.State.firing.rawValue]
            ).map { try decoder.decode(AlertRecord.self, from: Data($0.utf8)) }
        }
    }

    /// The alert records of `rules` only (nil: all); unless asked for the retracted, only the
    /// working set (neither retracted nor archived).
    /// The alert records vigild works with: neither retracted nor archived (`AlertArchive`).
    static let workingSet = "state != '\(AlertRecord.State.retracted.rawValue)' AND archived = 0"

    func alertRecords(_ db: Database, rules: Set<String>? = nil, retracted: Bool = true) throws -> [AlertRecord] {
        let decoder = JSONDecoder()
        let names = rules.map { Array($0).sorted() } ?? []
        var filters = rules == nil ? [] : ["rule IN (\(Store.placeholders(names.count)))"]
        // Without the retracted, also without the archived (`AlertArchive`): the working set.
        if !retracted { filters.append(Store.workingSet) }
        let filter = filters.isEmpty ? "" : "WHERE " + filters.joined(separator: " AND ")
        return try String.fetchAll(
            db, sql: "SELECT record FROM alert_records \(filter) ORDER BY key", arguments: StatementArguments(names)
        ).map { try decoder.decode(AlertRecord.self, from: Data($0.utf8)) }
    }

    /// The stored records of these keys (any state), each looked up by its key.
    func alertRecords(_ db: Database, keys: some Collection<AlertKey>) throws -> [AlertRecord] {
        try alertRecords(db, keyTexts: keys.map(\.description))
    }

    /// The stored records of these keys (`AlertKey.description`), in the order given; a key with
    /// no record is left out.
    func alertRecords(_ db: Database, keyTexts: [String]) throws -> [AlertRecord] {
        guard !keyTexts.isEmpty else { return [] }
        let decoder = JSONDecoder()
        let lookup = try db.cachedStatement(sql: "SELECT record FROM alert_records WHERE key = ?")
        return try keyTexts.compactMap { key in
            try String.fetchOne(lookup, arguments: [key]).map { try decoder.decode(AlertRecord.self, from: Data($0.utf8)) }
        }
    }

    /// The alert event log in the order recorded.
    public func events() throws -> [AlertEvent] {
        try read { db in
            let decoder = JSONDecoder()
            return try String.fetchAll(db, sql: "SELECT json FROM alert_events ORDER BY seq").map {
                try decoder.decode(AlertEvent.self, from: Data($0.utf8))
            }
        }
    }

    /// Every processed file, oldest first.
    public func files() throws -> [FileRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM files ORDER BY received_at, rowid").map { row in
                let errors = (try? JSONDecoder().decode([String].self, from: Data((row["errors"] as String).utf8))) ?? []
                return FileRecord(
                    sha256: row["sha256"], path: row["path"],
                    partner: (row["partner"] as String?).flatMap { $0.isEmpty ? nil : $0 }, receivedAt: row["received_at"],
                    outcome: IngestOutcome.Status(rawValue: row["outcome"]) ?? .rejected, errors: errors)
            }
        }
    }
}
