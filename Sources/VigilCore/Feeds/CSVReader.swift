import CVigilKernels

/// A streaming, byte-level CSV reader (RFC 4180 as Excel writes it).
///
/// Feed it chunks of bytes; it calls back once per record with a borrowed `CSVRecord` whose fields
/// are byte ranges in a reused buffer, so no `String` is made per line or field unless asked for.
/// Handles a UTF-8 BOM, CRLF or LF line ends, quoted fields with embedded commas, quotes (`""`) and
/// newlines, and tracks the line and column where every field starts.
public struct CSVReader {
    private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

    /// Longest field accepted, in bytes.
    public let maxFieldBytes: Int
    /// Most fields in one record (bounds memory whatever the line).
    public static let maxFields = 10_000
    /// Most bytes one record's fields may hold in all (without quotes and commas), 8 MiB: a row
    /// is held whole while it is read, and 600 fields of 1 MiB each took 1.08 GB (review
    /// helper-18). A line read in place that may pass it is read byte by byte, which counts
    /// exactly, so whether a row is refused never depends on where the chunks fall.
    public static let maxRowBytes = 8 << 20
    private var state = State.fieldStart
    private var storage: [UInt8] = []
    private var fieldEnds: [Int] = []
    private var fieldBegins: [Int] = []
    /// Field bounds of a line read in place (grown as a line needs).
    private var lineBegins = [Int](repeating: 0, count: 64)
    private var lineEnds = [Int](repeating: 0, count: 64)
    private var fieldStarts: [(line: Int, column: Int)] = []
    private var line = 1
    private var column = 1
    private var recordLine = 1
    private var skipLF = false
    private var atStart = true
    private var bomBytesSeen = 0
    private var fieldStartIndex = 0
    private var oversized = false
    private var quoteLine = 1
    private var quoteColumn = 1
    private var recordHasContent = false

    /// Creates a reader; fields longer than `maxFieldBytes` are reported as errors.
    /// `skipsBOM: false` reads a leading UTF-8 BOM as data (for a reader started mid-file).
    public init(maxFieldBytes: Int = 1 << 20, startLine: Int = 1, skipsBOM: Bool = true) {
        self.maxFieldBytes = maxFieldBytes
        self.line = startLine
        self.recordLine = startLine
        if !skipsBOM {
            atStart = false
            bomBytesSeen = 3
        }
        storage.reserveCapacity(1024)
    }

    /// The line the next byte is on (after a record's line end, the next record's first line).
    var currentLine: Int { line }

    /// An error in the CSV structure itself.
    public struct SyntaxError: Error, Hashable, Sendable {
        /// 1-based line.
        public var line: Int
        /// 1-based column (in characters).
        public var column: Int
        /// What was wrong and what was expected.
        public var message: String
    }

    /// Consumes a chunk. Calls `body` for each complete record. Pass `isFinal` with the last chunk
    /// (which may be empty) to flush the last record.
    ///
    /// - Throws: `SyntaxError` for broken quoting or an oversized field; errors thrown by `body`.
    public mutating func consume(
        _ chunk: UnsafeRawBufferPointer, isFinal: Bool, _ body: (borrowing CSVRecord) throws -> Void
    ) throws {
        var index = 0
        let count = chunk.count
        if atStart {
            let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
            while index < count, bomBytesSeen < 3 {
                if chunk[index] == bom[bomBytesSeen] {
                    bomBytesSeen += 1
                    index += 1
                } else {
                    // Not a BOM after all: replay the bytes we skipped.
                    for b in bom.prefix(bomBytesSeen) { try step(b, body) }
                    bomBytesSeen = 3
                }
            }
            if bomBytesSeen == 3 || isFinal { atStart = false }
        }
        while index < count {
            // Blank lines are no records: a run of line ends at a record's start is passed over in
            // one go, counting lines as `newline` does (review helper-31: a file of nothing but CR
            // bytes cost a record each, 136 ns a byte, so a 400 MB one outlasted the watchdog).
            if state == .fieldStart && fieldStarts.isEmpty && fieldEnds.isEmpty && !recordHasContent,
                chunk[index] == 0x0D || chunk[index] == 0x0A
            {
                index = skipBlankLines(chunk, from: index)
                continue
            }
            // Fastest path: a whole unquoted line in this chunk is a record read in place.
            if state == .fieldStart && fieldEnds.isEmpty && !skipLF, let next = try line(chunk, from: index, body) {
                index = next
                continue
            }
            // Fast path: copy a run of ordinary bytes in one go (no per-byte state machine).
            if !skipLF && state != .quoteInQuoted {
                let quoted = state == .quoted
                var end = index
                var columns = 0
                while end < count {
                    let b = chunk[end]
                    if b == 0x22 || b == 0x0A || b == 0x0D || (!quoted && b == 0x2C) { break }
                    if b & 0xC0 != 0x80 { columns += 1 }
                    end += 1
                }
                if end > index {
                    if state == .fieldStart {
                        if fieldStarts.count >= CSVReader.maxFields {
                            throw SyntaxError(
                                line: recordLine, column: 1, message: "a row has more than \(CSVReader.maxFields) fields")
                        }
                        fieldStartIndex = storage.count
                        fieldStarts.append((line, column))
                        recordHasContent = true
                        state = .unquoted
                    }
                    if storage.count - fieldStartIndex + (end - index) > maxFieldBytes {
                        let start = fieldStarts.last ?? (line, column)
                        throw SyntaxError(
                            line: start.line, column: start.column, message: "a field is longer than \(maxFieldBytes) bytes")
                    }
                    if storage.count + (end - index) > CSVReader.maxRowBytes { throw rowTooLong() }
                    storage.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[index..<end]))
                    column += columns
                    index = end
                    continue
                }
            }
            try step(chunk[index], body)
            index += 1
        }
        if isFinal {
            if atStart {
                for b in [0xEF, 0xBB, 0xBF].prefix(bomBytesSeen) { try step(UInt8(b), body) }
                atStart = false
            }
            if state == .quoted {
                throw SyntaxError(
                    line: quoteLine, column: quoteColumn,
                    message: "a quoted field is never closed; expected a closing '\"' before the end of the file")
            }
            if recordHasContent || state != .fieldStart || !fieldEnds.isEmpty {
                if state == .fieldStart && !fieldEnds.isEmpty {
                    // A trailing delimiter at the end of the file: the last field is empty.
                    fieldStarts.append((line, column))
                    fieldEnds.append(storage.count)
                }
                try endRecord(body)
            }
        }
    }

    /// Reads the record at `start` in place when its line ends within the chunk and every field
    /// is plain or simply quoted (no `""` and no line break inside quotes): nearly every line of
    /// an extract. Fields are ranges of the chunk (a quoted field's without its quotes), found
    /// sixteen bytes at a time (`vigil_csv_split_line`), and columns are counted only if an error
    /// asks. Returns the offset after the line end, or nil to read the line byte by byte (an
    /// escaped quote, a quoted line break, a stray quote, no line end in this chunk, or a field or
    /// field count over the limits, which that path reports).
    @inline(__always)
    private mutating func line(
        _ chunk: UnsafeRawBufferPointer, from start: Int, _ body: (borrowing CSVRecord) throws -> Void
    ) throws -> Int? {
        guard let base = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var end = 0
        var fields = 0
        while true {
            let found = lineBegins.withUnsafeMutableBufferPointer { begins in
                lineEnds.withUnsafeMutableBufferPointer { ends in
                    vigil_csv_split_line(
                        base, start, chunk.count, begins.baseAddress, ends.baseAddress, begins.count, maxFieldBytes, &end)
                }
            }
            if found >= 0 {
                fields = found
                break
            }
            // -2: more fields than the buffers hold; -1: a line for the byte-by-byte path.
            guard found == -2, lineBegins.count < CSVReader.maxFields else { return nil }
            lineBegins += Array(repeating: 0, count: lineBegins.count)
            lineEnds += Array(repeating: 0, count: lineEnds.count)
        }
        // Over the field count, or perhaps over the row's bytes (the byte path counts them exactly).
        if fields > CSVReader.maxFields || end - start > CSVReader.maxRowBytes { return nil }
        let recordLine = line
        line += 1
        column = 1
        if chunk[end] == 0x0D { skipLF = true }
        self.recordLine = line
        let bytes = UnsafeBufferPointer(start: base + start, count: end - start)
        try lineBegins.withUnsafeBufferPointer { begins in
            try lineEnds.withUnsafeBufferPointer { ends in
                try body(
                    CSVRecord(
                        bytes: bytes, begins: UnsafeBufferPointer(rebasing: begins[0..<fields]),
                        ends: UnsafeBufferPointer(rebasing: ends[0..<fields]), starts: nil, line: recordLine))
            }
        }
        recordHasContent = false
        return end + 1
    }

    @inline(__always)
    private mutating func step(_ byte: UInt8, _ body: (borrowing CSVRecord) throws -> Void) throws {
        if skipLF {
            skipLF = false
            if byte == 0x0A { return }
        }
        switch state {
        case .fieldStart:
            if fieldStarts.count >= CSVReader.maxFields {
                throw SyntaxError(line: recordLine, column: 1, message: "a row has more than \(CSVReader.maxFields) fields")
            }
            fieldStartIndex = storage.count
            fieldStarts.append((line, column))
            recordHasContent = true
            switch byte {
            case 0x22:
                state = .quoted
                quoteLine = line
                quoteColumn = column
            case 0x2C: endField()
            case 0x0D, 0x0A:
                endField()
                try endRecord(body)
                newline(byte)
                return
            default:
                state = .unquoted
                try append(byte)
            }
        case .unquoted:
            switch byte {
            case 0x2C: endField()
            case 0x0D, 0x0A:
                endField()
                try endRecord(body)
                newline(byte)
                return
            case 0x22:
                throw SyntaxError(
                    line: line, column: column,
                    message: "a '\"' inside an unquoted field; quote the whole field and double the quote (\"\")")
            default: try append(byte)
            }
        case .quoted:
            switch byte {
            case 0x22: state = .quoteInQuoted
            case 0x0D, 0x0A:
                // A newline inside quotes is kept, normalised to LF.
                try append(0x0A)
                newline(byte)
                return
            default: try append(byte)
            }
        case .quoteInQuoted:
            switch byte {
            case 0x22:
                try append(0x22)
                state = .quoted
            case 0x2C: endField()
            case 0x0D, 0x0A:
                endField()
                try endRecord(body)
                newline(byte)
                return
            default:
                throw SyntaxError(
                    line: line, column: column,
                    message: "unexpected text after a closing quote; expected ',' or the end of the line")
            }
        }
        if byte & 0xC0 != 0x80 { column += 1 }
    }

    /// Passes over the run of CR and LF bytes from `start` (blank lines: a CR, an LF or a CRLF
    /// each end one); returns the offset after it.
    private mutating func skipBlankLines(_ chunk: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index < chunk.count {
            let byte = chunk[index]
            if byte == 0x0A {
                if skipLF { skipLF = false } else { line += 1 }
            } else if byte == 0x0D {
                line += 1
                skipLF = true
            } else {
                break
            }
            index += 1
        }
        column = 1
        recordLine = line
        return index
    }

    @inline(__always)
    private mutating func newline(_ byte: UInt8) {
        if byte == 0x0D { skipLF = true }
        line += 1
        column = 1
    }

    @inline(__always)
    private mutating func append(_ byte: UInt8) throws {
        if storage.count - fieldStartIndex >= maxFieldBytes {
            let start = fieldStarts.last ?? (line, column)
            throw SyntaxError(line: start.line, column: start.column, message: "a field is longer than \(maxFieldBytes) bytes")
        }
        if storage.count >= CSVReader.maxRowBytes { throw rowTooLong() }
        storage.append(byte)
    }

    /// The error for a row whose fields hold more than `maxRowBytes`, at the row's first line.
    private func rowTooLong() -> SyntaxError {
        SyntaxError(line: recordLine, column: 1, message: "a row holds more than \(CSVReader.maxRowBytes) bytes")
    }

    @inline(__always)
    private mutating func endField() {
        fieldEnds.append(storage.count)
        state = .fieldStart
    }

    private mutating func endRecord(_ body: (borrowing CSVRecord) throws -> Void) throws {
        if state != .fieldStart { endField() }
        if fieldStarts.count > fieldEnds.count { fieldEnds.append(storage.count) }
        let startLine = recordLine
        recordLine = line + 1
        fieldBegins.removeAll(keepingCapacity: true)
        var begin = 0
        for end in fieldEnds {
            fieldBegins.append(begin)
            begin = end
        }
        try storage.withUnsafeBufferPointer { bytes in
            try fieldBegins.withUnsafeBufferPointer { begins in
                try fieldEnds.withUnsafeBufferPointer { ends in
                    try fieldStarts.withUnsafeBufferPointer { starts in
                        try body(CSVRecord(bytes: bytes, begins: begins, ends: ends, starts: starts, line: startLine))
                    }
                }
            }
        }
        storage.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldStarts.removeAll(keepingCapacity: true)
        recordHasContent = false
        state = .fieldStart
    }

    /// Reads a whole in-memory buffer, returning every record's fields as strings (for small inputs and tests).
    public static func records(_ bytes: [UInt8]) throws -> [[String]] {
        var reader = CSVReader()
        var out: [[String]] = []
        try bytes.withUnsafeBytes { raw in
            try reader.consume(raw, isFinal: true) { record in
                out.append((0..<record.count).map { record.string($0) ?? "\u{FFFD}" })
            }
        }
        return out
    }
}
