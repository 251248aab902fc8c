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

    /// A string as JSON.
    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            default:
                if scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
