import GRDB
import VigilCore

/// The revision history by file (`v10-history-by-file`): each file's revisions of an indicator
/// are one `history` row, a JSON array (`HistoryBatch`), found by indicator; the view `revisions`
/// still shows one row per revision with the columns it had (`docs/configuration.md`).
extension Store {
    /// The view over `history`: one row per revision, in the columns and types of the table it
    /// replaces (`number` REAL, `location` as `file:line:column`). Written with `json_extract`
    /// rather than `->>`, which needs SQLite 3.38: the package runs on the system's SQLite.
    static let revisionsByFileView = """
        CREATE VIEW revisions AS
            SELECT json_extract(r.value, '$[0]') AS id, h.indicator, json_extract(r.value, '$[1]') AS breakdown,
                json_extract(r.value, '$[2]') AS period, CAST(json_extract(r.value, '$[3]') AS REAL) AS number,
                json_extract(r.value, '$[4]') AS marker, json_extract(r.value, '$[5]') AS revision, a.file_sha256,
                COALESCE(json_extract(r.value, '$[6]'), a.file_sha256) AS sources, a.recorded_at,
                CASE WHEN json_extract(r.value, '$[7]') IS NULL THEN json_extract(r.value, '$[9]')
                    ELSE a.file || ':' || json_extract(r.value, '$[7]') || COALESCE(':' || json_extract(r.value, '$[8]'), '')
                END AS location
            FROM history h JOIN arrivals a ON a.id = h.arrival, json_each(h.revisions) r
        """

    /// An indicator's history rows, found through the index by indicator, each with its file's
    /// SHA-256 and time from its arrival.
    static let historySQL = """
        SELECT h.revisions, a.file_sha256, a.recorded_at
        FROM history h JOIN arrivals a ON a.id = h.arrival
        WHERE h.indicator = ?
        """

    /// Every revision of an indicator's values, by series, period and revision.
    public func history(indicator: String) throws -> [RevisionRow] {
        try read { db in
            var rows: [(id: Int, row: RevisionRow)] = []
            let cursor = try Row.fetchCursor(db, sql: Store.historySQL, arguments: [indicator])
            while let stored = try cursor.next() {
                let (file, recordedAt): (String, String) = (stored[1], stored[2])
                let revisions: [HistoryBatch.Revision]
                do {
                    revisions = try HistoryBatch.read(stored[0])
                } catch {
                    throw VigilError(
                        code: .store, message: "a history row of '\(indicator)' is not the JSON Vigil writes",
                        cause: "\(error)")
                }
                for r in revisions {
                    let value: ObservedValue = r.marker.map { .marker($0) } ?? .number(r.number ?? 0)
                    rows.append(
                        (
                            r.id,
                            RevisionRow(
                                series: SeriesKey(indicator: indicator, breakdown: Breakdown(key: r.breakdown)), period: r.period,
                                value: value, revision: r.revision, fileSHA256: file, recordedAt: recordedAt)
                        ))
                }
            }
            // The order SQLite's `ORDER BY breakdown, period, revision` gave: texts by their bytes.
            return rows.sorted { a, b in
                let (x, y) = (a.row, b.row)
                if x.series.breakdown.key != y.series.breakdown.key {
                    return x.series.breakdown.key.utf8.lexicographicallyPrecedes(y.series.breakdown.key.utf8)
                }
                if x.period != y.period { return x.period.utf8.lexicographicallyPrecedes(y.period.utf8) }
                return (x.revision, a.id) < (y.revision, b.id)
            }.map(\.row)
        }
    }

    /// Migration `v10-history-by-file`: every stored revision, with its id, moved into one
    /// `history` row per file and indicator; each arrival records the highest id given out once it
    /// was stored (`last_id`), from which new revisions are numbered.
    static func packHistoryByFile(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE history (
                    id INTEGER PRIMARY KEY, indicator TEXT NOT NULL, arrival INTEGER NOT NULL REFERENCES arrivals (id),
                    revisions TEXT NOT NULL);
                ALTER TABLE arrivals ADD COLUMN last_id INTEGER NOT NULL DEFAULT 0;
                """)
        let setLastId = try RowStatement(db, sql: "UPDATE arrivals SET last_id = ? WHERE id = ?")
        // Rows in id order: a file's rows are together (one transaction each), so each file's
        // batch is written when the next file's rows begin.
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT id, indicator, breakdown, period, number, marker, revision, arrival, sources, line, col, location
                FROM observations ORDER BY id
                """)
        var batch: HistoryBatch?
        var arrival = 0
        var highest = 0
        func flush() throws {
            guard let done = batch else { return }
            try done.write(db, arrival: arrival)
            try setLastId.bind(1, highest)
            try setLastId.bind(2, arrival)
            try setLastId.run()
        }
        while let row = try rows.next() {
            let id: Int = row[0]
            let rowArrival: Int = row[7]
            if batch == nil || rowArrival != arrival {
                try flush()
                arrival = rowArrival
                batch = HistoryBatch(after: id - 1)
            }
            highest = max(highest, id)
            batch!.append(
                indicator: row[1],
                HistoryBatch.Revision(
                    id: id, breakdown: row[2], period: row[3], number: row[4], marker: row[5], revision: row[6],
                    sources: row[8], line: row[9], column: row[10], location: row[11]), keepingItsId: true)
        }
        try flush()
        // The newest arrival carries the highest id ever given out (an AUTOINCREMENT table never
        // reuses one, even after a delete), so ids go on after it.
        let given = try Int.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'observations'") ?? 0
        try db.execute(
            sql: "UPDATE arrivals SET last_id = MAX(last_id, ?, ?) WHERE id = (SELECT MAX(id) FROM arrivals)",
            arguments: [given, highest])
        try db.execute(
            sql: """
                DROP VIEW revisions;
                DROP TABLE observations;
                CREATE INDEX history_by_indicator ON history (indicator, arrival);
                """)
        try db.execute(sql: revisionsByFileView)
    }
}
