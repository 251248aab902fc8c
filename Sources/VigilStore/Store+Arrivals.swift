import GRDB
import VigilCore

/// The revision history keeps what every value of a file shares (its SHA-256, when it arrived,
/// its name) once per file, in `arrivals`, instead of on each of its rows: a 1,000-row file's
/// history rows were about 256 bytes each, two thirds of them the same four texts, and were the
/// largest part of what a file wrote. The view `revisions` shows the history with every column
/// the table had before (`docs/configuration.md`).
extension Store {
    /// The history of a value in the columns it was first stored with, for `vigil history` and
    /// for anyone reading the store with SQL.
    static let revisionsView = """
        CREATE VIEW revisions AS
            SELECT o.id, o.indicator, o.breakdown, o.period, o.number, o.marker, o.revision, a.file_sha256,
                COALESCE(o.sources, a.file_sha256) AS sources, a.recorded_at,
                CASE WHEN o.line IS NULL THEN o.location
                    ELSE a.file || ':' || o.line || COALESCE(':' || o.col, '') END AS location
            FROM observations o JOIN arrivals a ON a.id = o.arrival
        """

    /// How a value's source location is stored against its file: as a line and column when it
    /// names that file and a line (nearly always), otherwise whole (or NULL when there is none).
    static func storedLocation(_ location: SourceLocation?, file: String) -> (line: Int?, column: Int?, text: String?) {
        guard let location else { return (nil, nil, nil) }
        guard location.file == file, let line = location.line else { return (nil, nil, location.description) }
        return (line, location.column, nil)
    }

    /// A stored location text split as `SourceLocation.description` joined it: the file, then
    /// `:line` and `:column` when present. Only a split that joins back to the same text is taken
    /// (a name may itself hold colons and digits), so the view shows exactly what was stored.
    static func splitLocation(_ text: String) -> (file: String, line: Int, column: Int?)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        func number(_ part: Substring) -> Int? {
            guard !part.isEmpty, part.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), part.first != "0" || part.count == 1
            else { return nil }
            return Int(part)
        }
        if parts.count >= 3, let line = number(parts[parts.count - 2]), let column = number(parts[parts.count - 1]) {
            return (parts.dropLast(2).joined(separator: ":"), line, column)
        }
        if parts.count >= 2, let line = number(parts[parts.count - 1]) {
            return (parts.dropLast().joined(separator: ":"), line, nil)
        }
        return nil
    }

    /// Migration `v9-arrivals`: every stored revision copied, in arrival order and with its id,
    /// into the new table, its file's SHA-256, time and name into one `arrivals` row per file.
    static func moveHistoryToArrivals(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE arrivals (
                    id INTEGER PRIMARY KEY, file_sha256 TEXT NOT NULL, recorded_at TEXT NOT NULL, file TEXT);
                CREATE TABLE observations_v9 (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, indicator TEXT NOT NULL, breakdown TEXT NOT NULL, period TEXT NOT NULL,
                    number REAL, marker TEXT, revision INTEGER NOT NULL, arrival INTEGER NOT NULL REFERENCES arrivals (id),
                    sources TEXT, line INTEGER, col INTEGER, location TEXT);
                """)
        let insertArrival = try RowStatement(
            db, sql: "INSERT INTO arrivals (file_sha256, recorded_at, file) VALUES (?, ?, ?)")
        let insertRow = try RowStatement(
            db,
            sql: """
                INSERT INTO observations_v9 (id, indicator, breakdown, period, number, marker, revision, arrival, sources, line, col, location)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        struct ArrivalKey: Hashable {
            var sha256: String
            var recordedAt: String
            var file: String?
        }
        var arrivals: [ArrivalKey: Int] = [:]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT id, indicator, breakdown, period, number, marker, revision, file_sha256, sources, recorded_at, location
                FROM observations ORDER BY id
                """)
        while let row = try rows.next() {
            let sha256: String = row[7]
            let sources: String = row[8]
            let recordedAt: String = row[9]
            let location: String? = row[10]
            let split = location.flatMap(splitLocation)
            let key = ArrivalKey(sha256: sha256, recordedAt: recordedAt, file: split?.file)
            let arrival: Int
            if let known = arrivals[key] {
                arrival = known
            } else {
                try insertArrival.bind(1, sha256)
                try insertArrival.bind(2, recordedAt)
                try insertArrival.bind(3, split?.file)
                try insertArrival.run()
                arrival = Int(db.lastInsertedRowID)
                arrivals[key] = arrival
            }
            try insertRow.bind(1, row[0] as Int)
            try insertRow.bind(2, row[1] as String)
            try insertRow.bind(3, row[2] as String)
            try insertRow.bind(4, row[3] as String)
            try insertRow.bind(5, row[4] as Double?)
            try insertRow.bind(6, row[5] as String?)
            try insertRow.bind(7, row[6] as Int)
            try insertRow.bind(8, arrival)
            try insertRow.bind(9, sources == sha256 ? nil : sources)
            try insertRow.bind(10, split?.line)
            try insertRow.bind(11, split?.column)
            try insertRow.bind(12, split == nil ? location : nil)
            try insertRow.run()
        }
        try db.execute(
            sql: """
                DROP TABLE observations;
                ALTER TABLE observations_v9 RENAME TO observations;
                CREATE INDEX observations_by_arrival ON observations (indicator, id);
                """)
        try db.execute(sql: revisionsView)
    }
}
