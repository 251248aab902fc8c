/// A typed column of a record-level extract.
public struct RecordColumn: Hashable, Sendable {
    /// Column types.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// The kind's name with its article, for messages: "an int", "a date".
        public var withArticle: String { (["int", "id", "enum"].contains(rawValue) ? "an " : "a ") + rawValue }

        /// Free text.
        case string
        /// A person identifier: hashed in memory for distinct counts, never stored, logged or echoed.
        case id
        /// A calendar date `YYYY-MM-DD`.
        case date
        /// An ISO 8601 date-time `YYYY-MM-DDThh:mm[:ss[.f]][Z|±hh:mm]` (or a bare date); its date is used.
        case datetime
        /// Yes/no (`Y`/`N` unless configured).
        case bool
        /// A whole number.
        case int
        /// One of a closed list of values.
        case `enum`
    }

    /// Header name.
    public var name: String
    /// Type.
    public var kind: Kind
    /// Whether a blank value is an error.
    public var required: Bool
    /// Allowed values (enum).
    public var values: [String]
    /// Values meaning yes / no (bool).
    public var trueValues: [String]
    /// Values meaning no (bool).
    public var falseValues: [String]
    /// Mapping from raw values to catalogue dimension values (e.g. `F: female`).
    public var map: [String: String]

    /// Creates a column.
    public init(
        name: String, kind: Kind, required: Bool = true, values: [String] = [], trueValues: [String] = ["Y"],
        falseValues: [String] = ["N"],
        map: [String: String] = [:]
    ) {
        self.name = name
        self.kind = kind
        self.required = required
        self.values = values
        self.trueValues = trueValues
        self.falseValues = falseValues
        self.map = map
    }
}

/// Byte-level value parsing for record extracts: no `String` per field on the hot path.
enum RecordBytes {
    /// `YYYY-MM-DD` at the start of the bytes, as a day number; nil when invalid.
    static func date(_ b: UnsafeBufferPointer<UInt8>, exact: Bool) -> Int? {
        guard b.count >= 10, !exact || b.count == 10, b[4] == 0x2D, b[7] == 0x2D,
            let y = digits(b, 0, 4), let m = digits(b, 5, 2), let d = digits(b, 8, 2),
            (1900...2999).contains(y), let date = CivilDate(year: y, month: m, day: d)
        else { return nil }
        return date.dayNumber
    }

    /// Whether what follows a valid `YYYY-MM-DD` is nothing, or a valid ISO 8601 time with an
    /// optional fraction and zone.
    static func timeIsValid(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        if b.count == 10 { return true }
        guard b.count >= 16, b[10] == UInt8(ascii: "T") || b[10] == 0x20, let hh = digits(b, 11, 2), hh < 24, b[13] == 0x3A,
            let mm = digits(b, 14, 2), mm < 60
        else { return false }
        var i = 16
        if i < b.count, b[i] == 0x3A {
            guard let ss = digits(b, i + 1, 2), ss < 61 else { return false }
            i += 3
            if i < b.count, b[i] == 0x2E {
                i += 1
                let start = i
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
                guard i > start else { return false }
            }
        }
        if i == b.count { return true }
        if b[i] == UInt8(ascii: "Z") { return i + 1 == b.count }
        guard b[i] == 0x2B || b[i] == 0x2D, b.count - i == 6, let oh = digits(b, i + 1, 2), oh <= 14, b[i + 3] == 0x3A,
            let om = digits(b, i + 4, 2), om < 60
        else { return false }
        return true
    }

    static func digits(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ n: Int) -> Int? {
        guard at + n <= b.count else { return nil }
        var v = 0
        for i in at..<(at + n) {
            let c = b[i]
            guard c >= 0x30 && c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }

    static func int(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !b.isEmpty, b.count <= 18 else { return nil }
        var i = 0
        var negative = false
        if b[0] == 0x2D {
            negative = true
            i = 1
        }
        guard i < b.count, let v = digits(b, i, b.count - i) else { return nil }
        return negative ? -v : v
    }

    static func equals(_ b: UnsafeBufferPointer<UInt8>, _ value: [UInt8]) -> Bool {
        guard b.count == value.count else { return false }
        for i in 0..<b.count where b[i] != value[i] { return false }
        return true
    }

    /// A 64-bit keyed hash of an identifier's bytes: SipHash-1-3 (`SipHash`) under a key drawn at
    /// random once per process, so a partner cannot precompute identifiers that collide (which
    /// would make the id sets quadratic or count two children as one). Identical bytes give
    /// identical hashes within a process; hashes are never stored.
    @inline(__always)
    static func hash(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 { SipHash.hash13(UnsafeRawBufferPointer(b)) }
}
