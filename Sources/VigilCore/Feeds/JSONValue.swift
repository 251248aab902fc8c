/// A JSON value with the line and column where it starts, so feed errors can point into the file.
public indirect enum JSONValue: Sendable {
    /// `null`.
    case null(Position)
    /// `true` / `false`.
    case bool(Bool, Position)
    /// A number, kept with its text.
    case number(Double, String, Position)
    /// A string.
    case string(String, Position)
    /// An array.
    case array([JSONValue], Position)
    /// An object, members in file order.
    case object([(key: String, value: JSONValue)], Position)

    /// 1-based line and column.
    public struct Position: Sendable, Hashable {
        /// Line.
        public var line: Int
        /// Column.
        public var column: Int
    }

    /// Where the value starts.
    public var position: Position {
        switch self {
        case .null(let p), .bool(_, let p), .number(_, _, let p), .string(_, let p), .array(_, let p), .object(_, let p): return p
        }
    }

    /// A short name of the value's type for messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }

    /// The most values (objects, arrays, strings, numbers, literals) one document may hold: each is
    /// held in memory while a feed is checked, and 16 MiB of `[0],` is 8 million of them. A
    /// 16 MiB feed of ordinary observations holds about 1.1 million.
    public static let maxValues = 2_000_000

    /// Parses JSON bytes (RFC 8259).
    ///
    /// - Throws: `CSVReader.SyntaxError` (line, column, message) on malformed input.
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        parser.skipBOM()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        if parser.index < bytes.count {
            throw parser.error(
                "unexpected text after the JSON value; a feed is one JSON value (an array of observations, or an object with an \"observations\" array), not one object per line"
            )
        }
        return value
    }
}

private struct JSONParser {
    let bytes: [UInt8]
    var index = 0
    var line = 1
    var lineStart = 0
    /// Values begun so far (`JSONValue.maxValues`).
    var values = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    // Columns are counted incrementally from the last position asked for on this line, so a
    // one-line JSON file costs O(n), not O(n²).
    var columnIndex = 0
    var columnValue = 1

    var position: JSONValue.Position {
        mutating get {
            if columnIndex < lineStart || columnIndex > index {
                columnIndex = lineStart
                columnValue = 1
            }
            while columnIndex < index {
                if bytes[columnIndex] & 0xC0 != 0x80 { columnValue += 1 }
                columnIndex += 1
            }
            return .init(line: line, column: columnValue)
        }
    }

    mutating func error(_ message: String) -> CSVReader.SyntaxError {
        let p = position
        return CSVReader.SyntaxError(line: p.line, column: p.column, message: message)
    }

    mutating func skipBOM() {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            index = 3
            lineStart = 3
        }
    }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            default: return
            }
        }
    }

    mutating func value(depth: Int) throws -> JSONValue {
        guard depth < 64 else { throw error("JSON nested deeper than 64 levels") }
        values += 1
        guard values <= JSONValue.maxValues else {
            throw error("a JSON feed may hold at most \(JSONValue.maxValues) values; send a larger file as CSV")
        }
        skipSpace()
        guard index < bytes.count else { throw error("unexpected end of the file; expected a JSON value") }
        let start = position
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var members: [(key: String, value: JSONValue)] = []
            skipSpace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members, start)
            }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                    throw error("expected a quoted member name")
                }
                let key = try string()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                    throw error("expected ':' after a member name")
                }
                index += 1
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard index < bytes.count else { throw error("unexpected end of the file; expected ',' or '}'") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(members, start)
                }
                throw error("expected ',' or '}' in an object")
            }
        case UInt8(ascii: "["):
            index += 1
            var items: [JSONValue] = []
            skipSpace()
            if index < bytes.count && bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(items, start)
            }
            while true {
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard index < bytes.count else { throw error("unexpected end of the file; expected ',' or ']'") }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                    continue
                }
                if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(items, start)
                }
                throw error("expected ',' or ']' in an array")
            }
        case UInt8(ascii: "\""): return .string(try string(), start)
        case UInt8(ascii: "t"):
            try literal("true")
            return .bool(true, start)
        case UInt8(ascii: "f"):
            try literal("false")
            return .bool(false, start)
        case UInt8(ascii: "n"):
            try literal("null")
            return .null(start)
        default:
            let begin = index
            while index < bytes.count, let c = Optional(bytes[index]),
                (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2B || c == 0x2E || c == 0x65 || c == 0x45
            {
                index += 1
            }
            let text = String(decoding: bytes[begin..<index], as: UTF8.self)
            guard !text.isEmpty, text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) else {
                index = begin
                throw error("expected a JSON value (object, array, string, number, true, false or null)")
            }
            // An out-of-range number keeps its text so the row check can say what is wrong with it.
            return .number(Double(text) ?? .nan, text, start)
        }
    }

    mutating func literal(_ word: String) throws {
        let w = Array(word.utf8)
        guard index + w.count <= bytes.count, Array(bytes[index..<index + w.count]) == w else {
            throw error("expected a JSON value (object, array, string, number, true, false or null)")
        }
        index += w.count
    }

    mutating func string() throws -> String {
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let c = bytes[index]
            switch c {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: out, as: UTF8.self) else { throw error("a string is not valid UTF-8") }
                return text
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else { throw error("unterminated escape") }
                let e = bytes[index + 1]
                index += 2
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "u"):
                    guard index + 4 <= bytes.count,
                        let code = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
                    else { throw error("expected four hex digits after \\u") }
                    index += 4
                    var scalarValue = code
                    if (0xD800...0xDBFF).contains(code), index + 6 <= bytes.count, bytes[index] == 0x5C, bytes[index + 1] == 0x75,
                        let low = UInt32(String(decoding: bytes[index + 2..<index + 6], as: UTF8.self), radix: 16),
                        (0xDC00...0xDFFF).contains(low)
                    {
                        scalarValue = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                    out.append(contentsOf: Array(String(Unicode.Scalar(scalarValue).map(Character.init) ?? "\u{FFFD}").utf8))
                default: out.append(e)
                }
            case 0x00...0x1F: throw error("a control character inside a string; escape it")
            default:
                out.append(c)
                index += 1
            }
        }
        throw error("a string is never closed; expected '\"'")
    }
}
