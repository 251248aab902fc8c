/// Writes one JSON object with keys in the order given.
public struct JSONWriter {
    /// An empty object; with `exactNumbers`, numbers are written so they read back exactly,
    /// instead of rounded to six decimals.
    public init(exactNumbers: Bool = false) { self.exactNumbers = exactNumbers }

    private let exactNumbers: Bool

    private var text = "{"
    private var first = true

    private mutating func key(_ k: String) {
        if !first { text += "," }
        first = false
        text += JSONWriter.quote(k) + ":"
    }

    /// Adds a string (or null).
    public mutating func string(_ k: String, _ value: String?) {
        key(k)
        text += value.map(JSONWriter.quote) ?? "null"
    }

    /// Adds a number (or null).
    public mutating func number(_ k: String, _ value: Double?) {
        key(k)
        text += value.map(exactNumbers ? JSONWriter.exact : JSONWriter.format) ?? "null"
    }

    /// Adds an object of strings.
    public mutating func object(_ k: String, _ value: [String: String]) {
        key(k)
        text +=
            "{"
            + value.sorted { $0.key < $1.key }.map { JSONWriter.quote($0.key) + ":" + JSONWriter.quote($0.value) }.joined(
                separator: ",") + "}"
    }

    /// Adds an array of strings.
    public mutating func strings(_ k: String, _ value: [String]) {
        key(k)
        text += "[" + value.map(JSONWriter.quote).joined(separator: ",") + "]"
    }

    /// Adds pre-encoded JSON.
    public mutating func raw(_ k: String, _ json: String) {
        key(k)
        text += json
    }

    /// The object's text.
    public func finish() -> String { text + "}" }

    /// A number as JSON.
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        let rounded = (value * 1e6).rounded() / 1e6
        return "\(rounded)"
    }

    /// A number as JSON that reads back as the same `Double` (Swift's shortest exact form).
    public static func exact(_ value: Double) -> String {
        guard value.isFinite else { return "null" }
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// A string as JSON: `"`, `\\`, control characters, `<`, `>`, `&` and U+2028/U+2029 escaped
    /// (so the text is also safe inside HTML and JavaScript), everything else as it is.
    ///
    /// Works on the UTF-8 bytes, copying runs that need no escape whole: alert records and event
    /// lines quote long explanations, and a scalar at a time was most of their writing time.
    public static func quote(_ s: String) -> String {
        var s = s
        return s.withUTF8 { bytes in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 2)
            out.append(UInt8(ascii: "\""))
            var run = 0  // the start of the bytes not yet copied
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                let escape: String
                var width = 1  // the bytes the escape replaces
                switch byte {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case UInt8(ascii: "\n"): escape = "\\n"
                case UInt8(ascii: "\r"): escape = "\\r"
                case UInt8(ascii: "\t"): escape = "\\t"
                case UInt8(ascii: "<"): escape = "\\u003c"
                case UInt8(ascii: ">"): escape = "\\u003e"
                case UInt8(ascii: "&"): escape = "\\u0026"
                case 0..<0x20: escape = "\\u00" + String(decoding: [hexDigit(byte >> 4), hexDigit(byte & 0xF)], as: UTF8.self)
                case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    // U+2028 or U+2029 (E2 80 A8 / A9): valid in JSON, line breaks in JavaScript.
                    escape = bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    width = 3
                default:
                    i += 1
                    continue
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<i]))
                out.append(contentsOf: escape.utf8)
                i += width
                run = i
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<bytes.count]))
            out.append(UInt8(ascii: "\""))
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
