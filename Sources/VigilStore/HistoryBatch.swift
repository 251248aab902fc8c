import GRDB
import VigilCore

/// A file's new and revised values for the revision history, written as one `history` row per
/// indicator: a JSON array of its revisions, instead of one table row (and one index entry) per
/// value. A 1,000-row file revising the same values wrote 1,000 rows, each a B-tree insert into
/// the table and into its index by indicator, about a quarter of its transaction; now it writes
/// one row per indicator (`v10-history-by-file`, `docs/configuration.md`).
///
/// Each revision is `[id, breakdown, period, number, marker, revision, sources, line, col,
/// location]`, with `null` for what it lacks, numbers in Swift's shortest form that reads back as
/// the same `Double`, and every text quoted by `JSONWriter.quote` (a partner's file name or value
/// may hold any character). Ids go on from the highest given out before, which the newest
/// `arrivals` row keeps (`last_id`), so every revision keeps a unique id in arrival order.
struct HistoryBatch {
    /// One revision as the history keeps it.
    struct Revision: Equatable {
        var id: Int
        var breakdown: String
        var period: String
        var number: Double?
        var marker: String?
        var revision: Int
        /// NULL: the file's own SHA-256.
        var sources: String?
        var line: Int?
        var column: Int?
        /// Whole, when the value's location is not a line of its file.
        var location: String?
    }

    /// The id the next revision gets.
    private(set) var nextId: Int
    /// Each indicator's revisions so far, as the inside of a JSON array, in the order first seen.
    private var packed: [(indicator: String, json: [UInt8])] = []
    private var slot: [String: Int] = [:]

    /// A batch whose ids follow the highest given out before (0 in an empty history).
    init(after lastId: Int) { nextId = lastId + 1 }

    /// The batch for the next file: its ids follow the newest arrival's.
    static func next(_ db: Database) throws -> HistoryBatch {
        HistoryBatch(after: try Int.fetchOne(db, sql: "SELECT last_id FROM arrivals ORDER BY id DESC LIMIT 1") ?? 0)
    }

    /// The highest id given out so far.
    var lastId: Int { nextId - 1 }

    /// Adds a revision of `indicator`, numbered with the next id (or, migrating, with its own).
    mutating func append(indicator: String, _ revision: Revision, keepingItsId: Bool = false) {
        var revision = revision
        if !keepingItsId { revision.id = nextId }
        nextId = max(nextId, revision.id + 1)
        let index: Int
        if let known = slot[indicator] {
            index = known
            packed[index].json.append(UInt8(ascii: ","))
        } else {
            index = packed.count
            slot[indicator] = index
            packed.append((indicator, []))
        }
        HistoryBatch.write(revision, into: &packed[index].json)
    }

    /// Writes the batch under `arrival`, one row per indicator.
    func write(_ db: Database, arrival: Int) throws {
        let insert = try RowStatement(db, sql: "INSERT INTO history (indicator, arrival, revisions) VALUES (?, ?, ?)")
        for (indicator, json) in packed {
            try insert.bind(1, indicator)
            try insert.bind(2, arrival)
            try insert.bind(3, "[" + String(decoding: json, as: UTF8.self) + "]")
            try insert.run()
        }
    }

    /// One revision as a JSON array, appended as UTF-8 bytes (a 1,000-row file's history was
    /// written through string interpolation at about 0.85 µs a value, a tenth of its store time).
    static func write(_ r: Revision, into out: inout [UInt8]) {
        func comma() { out.append(UInt8(ascii: ",")) }
        func integer(_ value: Int) {
            // Digit by digit, then put in order: no string is made (`String(value)` measured slower).
            if value < 0 { out.append(UInt8(ascii: "-")) }
            let start = out.count
            var magnitude = value.magnitude
            repeat {
                out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
                magnitude /= 10
            } while magnitude > 0
            out[start...].reverse()
        }
        func null() { out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }
        func text(_ value: String?) {
            guard var value else { return null() }
            // Texts with nothing to escape (nearly all) are copied as they are; others are quoted
            // exactly as `JSONWriter.quote` quotes them.
            let plain = value.withUTF8 { bytes in
                !bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0xE2 }
            }
            if plain {
                out.append(UInt8(ascii: "\""))
                out.append(contentsOf: value.utf8)
                out.append(UInt8(ascii: "\""))
            } else {
                out.append(contentsOf: JSONWriter.quote(value).utf8)
            }
        }
        out.append(UInt8(ascii: "["))
        integer(r.id)
        comma()
        text(r.breakdown)
        comma()
        text(r.period)
        comma()
        if let number = r.number {
            if number == number.rounded() && abs(number) < 1e15 {
                integer(Int(number))
            } else {
                out.append(contentsOf: JSONWriter.exact(number).utf8)
            }
        } else {
            null()
        }
        comma()
        text(r.marker)
        comma()
        integer(r.revision)
        comma()
        text(r.sources)
        comma()
        if let line = r.line { integer(line) } else { null() }
        comma()
        if let column = r.column { integer(column) } else { null() }
        comma()
        text(r.location)
        out.append(UInt8(ascii: "]"))
    }

    /// The revisions of one `history` row, as written.
    static func read(_ json: String) throws -> [Revision] {
        func integer(_ v: JSONValue) throws -> Int? {
            switch v {
            case .null: return nil
            case .number(_, let text, _): if let n = Int(text) { return n }
            default: break
            }
            throw HistoryError.malformed
        }
        func text(_ v: JSONValue) throws -> String? {
            switch v {
            case .null: return nil
            case .string(let s, _): return s
            default: throw HistoryError.malformed
            }
        }
        guard case .array(let items, _) = try JSONValue.parse(Array(json.utf8)) else { throw HistoryError.malformed }
        return try items.map { item in
            guard case .array(let f, _) = item, f.count == 10, let id = try integer(f[0]),
                let breakdown = try text(f[1]), let period = try text(f[2]), let revision = try integer(f[5])
            else { throw HistoryError.malformed }
            let number: Double?
            switch f[3] {
            case .null: number = nil
            case .number(let n, _, _) where n.isFinite: number = n
            default: throw HistoryError.malformed
            }
            return Revision(
                id: id, breakdown: breakdown, period: period, number: number, marker: try text(f[4]), revision: revision,
                sources: try text(f[6]), line: try integer(f[7]), column: try integer(f[8]), location: try text(f[9]))
        }
    }

    /// A `history` row that is not what `write` wrote.
    enum HistoryError: Error, CustomStringConvertible {
        case malformed

        var description: String {
            "expected a JSON array of revisions, each [id, breakdown, period, number, marker, revision, sources, line, col, location]"
        }
    }
}
