/// One CSV record, lent to a `CSVReader` callback: its fields as byte ranges, with the line and
/// column where each starts.
///
/// A record read in place (an unquoted line within one chunk) lends the line's own bytes, commas
/// included, and counts a field's column only when asked; a record read byte by byte (quoted
/// fields, line breaks in them, a line across chunks) lends the reader's unescaped copy and the
/// positions it tracked. Either way the values and positions are the same.
public struct CSVRecord: ~Copyable {
    let bytes: UnsafeBufferPointer<UInt8>
    let begins: UnsafeBufferPointer<Int>
    let ends: UnsafeBufferPointer<Int>
    /// Where each field starts, for a record read byte by byte; nil when read in place.
    let starts: UnsafeBufferPointer<(line: Int, column: Int)>?
    /// The 1-based line on which the record starts.
    public let line: Int

    /// Number of fields.
    public var count: Int { ends.count }

    /// Whether the record is a single empty field (a blank line).
    public var isBlank: Bool { ends.count == 1 && ends[0] == begins[0] }

    private func range(_ i: Int) -> Range<Int> { begins[i]..<ends[i] }

    /// The 1-based column where field `i` starts.
    public func column(_ i: Int) -> Int {
        guard i < ends.count else { return 1 }
        if let starts { return i < starts.count ? starts[i].column : 1 }
        // Read in place: the characters (UTF-8 lead bytes) before the field, commas included;
        // a quoted field starts at its quote.
        let begin = begins[i]
        let raw = begin > 0 && bytes[begin - 1] == 0x22 ? begin - 1 : begin
        var column = 1
        for byte in bytes[0..<raw] where byte & 0xC0 != 0x80 { column += 1 }
        return column
    }

    /// The 1-based line where field `i` starts (fields after a quoted newline start later).
    public func line(_ i: Int) -> Int {
        guard let starts else { return line }
        return i < starts.count ? starts[i].line : line
    }

    /// Field `i` as a string, or nil when it is not valid UTF-8.
    public func string(_ i: Int) -> String? {
        String(validating: UnsafeBufferPointer(rebasing: bytes[range(i)]), as: UTF8.self)
    }

    /// Whether field `i` is empty.
    public func isEmpty(_ i: Int) -> Bool { range(i).isEmpty }

    /// Calls `body` with the raw bytes of field `i`.
    public func withBytes<R>(_ i: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(rebasing: bytes[range(i)]))
    }

    /// Calls `body` with every field's bytes at once: the record's bytes and where each field
    /// begins and ends in them (field `i` spans `begins[i]..<ends[i]`).
    public func withFields<R>(
        _ body: (_ bytes: UnsafeBufferPointer<UInt8>, _ begins: UnsafeBufferPointer<Int>, _ ends: UnsafeBufferPointer<Int>)
            throws -> R
    ) rethrows -> R {
        try body(bytes, begins, ends)
    }

    /// Whether field `i` equals the given ASCII text byte for byte.
    public func equals(_ i: Int, _ text: StaticString) -> Bool {
        let r = range(i)
        guard r.count == text.utf8CodeUnitCount else { return false }
        var p = text.utf8Start
        for j in r {
            if bytes[j] != p.pointee { return false }
            p += 1
        }
        return true
    }
}
