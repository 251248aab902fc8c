import GRDB
import GRDBSQLite

/// A prepared statement run once per row of a file, bound and stepped through SQLite's C
/// interface. GRDB's `StatementArguments` builds an array of existentials for every row and its
/// row decoding goes through `Row`; together they were about half of the store's own time on a
/// 1,000-row file. Used only where the `Statement` it wraps may be: inside a transaction, on
/// the writer's queue.
///
/// Stepping GRDB's statement directly skips GRDB's bookkeeping around it (transaction observers,
/// which the store never registers; every error is rethrown, so the whole write rolls back).
///
/// Text is bound with `SQLITE_TRANSIENT` (SQLite copies it), so no binding outlives its call;
/// every run ends with a reset, so the statement never stays busy between rows.
struct RowStatement {
    private let statement: Statement
    private let db: Database

    /// The cached statement for `sql` on `db`.
    init(_ db: Database, sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
    }

    private var handle: SQLiteStatement { statement.sqliteStatement }

    /// Binds text (never NULL: an empty string is bound as empty text).
    func bind(_ index: Int32, _ text: String) throws {
        var text = text
        let code = text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else {
                return "".withCString { sqlite3_bind_text(handle, index, $0, 0, RowStatement.transient) }
            }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(handle, index, $0, Int32(bytes.count), RowStatement.transient)
            }
        }
        try check(code)
    }

    /// Binds text, or NULL for nil.
    func bind(_ index: Int32, _ text: String?) throws {
        guard let text else { return try check(sqlite3_bind_null(handle, index)) }
        try bind(index, text)
    }

    /// Binds a real number, or NULL for nil.
    func bind(_ index: Int32, _ number: Double?) throws {
        guard let number else { return try check(sqlite3_bind_null(handle, index)) }
        try check(sqlite3_bind_double(handle, index, number))
    }

    /// Binds an integer.
    func bind(_ index: Int32, _ integer: Int) throws {
        try check(sqlite3_bind_int64(handle, index, Int64(integer)))
    }

    /// Binds an integer, or NULL for nil.
    func bind(_ index: Int32, _ integer: Int?) throws {
        guard let integer else { return try check(sqlite3_bind_null(handle, index)) }
        try bind(index, integer)
    }

    /// Steps to the first row and reads it with `read`; nil when there is none.
    func firstRow<T>(_ read: (Columns) -> T) throws -> T? {
        defer { sqlite3_reset(handle) }
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return read(Columns(handle: handle))
        case SQLITE_DONE: return nil
        case let code: throw failure(code)
        }
    }

    /// Runs a statement that returns no rows.
    func run() throws {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw failure(code) }
    }

    /// The current row's columns (valid only inside `firstRow`'s closure).
    struct Columns {
        fileprivate let handle: SQLiteStatement

        /// Whether the column is NULL.
        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

        /// The column as text (nil when NULL).
        func text(_ column: Int32) -> String? {
            guard let bytes = sqlite3_column_text(handle, column) else { return nil }
            let count = Int(sqlite3_column_bytes(handle, column))
            return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
        }

        /// The column as a real number (0 when NULL).
        func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

        /// The column as an integer (0 when NULL).
        func integer(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }
    }

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw failure(code) }
    }

    private func failure(_ code: Int32) -> DatabaseError {
        let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}
