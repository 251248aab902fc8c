import Testing

@testable import VigilCore

@Suite struct CSVReaderTests {
    private func read(_ text: String) throws -> [[String]] { try CSVReader.records(Array(text.utf8)) }

    /// Every record of `bytes` read in `chunk`-byte pieces, as text: each field with the line and
    /// column it starts at, the record's line, and whether it is blank.
    private static func described(_ bytes: [UInt8], chunk: Int, maxFieldBytes: Int = 1 << 20) throws -> [String] {
        var reader = CSVReader(maxFieldBytes: maxFieldBytes)
        var out: [String] = []
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + chunk)
            try bytes[offset..<end].withUnsafeBytes { raw in
                try reader.consume(raw, isFinal: end == bytes.count) { record in
                    out.append(
                        (0..<record.count).map { "\(record.string($0) ?? "?")@\(record.line($0)):\(record.column($0))" }
                            .joined(separator: "|") + " line \(record.line) blank \(record.isBlank)")
                }
            }
            offset = end
        } while offset < bytes.count
        return out
    }

    /// Review helper-31: a file of nothing but CR bytes cost a (blank) record per byte. Runs of
    /// line ends at a record's start are passed over: no blank records, and the lines after them
    /// numbered as before (a CR, an LF or a CRLF each end one line), whatever the chunks.
    @Test func blankLinesAreNoRecordsAndKeepTheLineNumbers() throws {
        let bytes = Array("\r\n\r\r\nindicator,period,value\n\n\rmissing.incidents,2013-04,x\r\n\r\r".utf8)
        for chunk in 1...bytes.count {
            #expect(
                try Self.described(bytes, chunk: chunk) == [
                    "indicator@4:1|period@4:11|value@4:18 line 4 blank false",
                    "missing.incidents@7:1|2013-04@7:19|x@7:27 line 7 blank false",
                ], "chunk \(chunk)")
        }
        let only = [UInt8](repeating: 0x0D, count: 100_000)
        var reader = CSVReader()
        var records = 0
        try only.withUnsafeBytes { raw in try reader.consume(raw, isFinal: true) { _ in records += 1 } }
        #expect(records == 0)
        #expect(reader.currentLine == 100_001)
    }

    @Test func plainRecordsWithLFAndCRLF() throws {
        #expect(try read("a,b\n1,2\n") == [["a", "b"], ["1", "2"]])
        #expect(try read("a,b\r\n1,2\r\n") == [["a", "b"], ["1", "2"]])
        #expect(try read("a,b\r\n1,2") == [["a", "b"], ["1", "2"]])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        #expect(try CSVReader.records([0xEF, 0xBB, 0xBF] + Array("a,b\n".utf8)) == [["a", "b"]])
    }

    @Test func quotedFieldsWithCommasQuotesAndNewlines() throws {
        let records = try read("x,\"North, West & Rural\",\"say \"\"hi\"\"\",\"two\r\nlines\"\n")
        #expect(records == [["x", "North, West & Rural", "say \"hi\"", "two\nlines"]])
    }

    @Test func emptyFieldsAndEmptyQuoted() throws {
        #expect(try read("a,,\"\",b\n") == [["a", "", "", "b"]])
    }

    /// Lines read in place (whole unquoted lines within a chunk) and lines read byte by byte
    /// (1-byte chunks: no line is ever whole in one) give the same fields, lines and columns:
    /// multi-byte characters, blank lines, CR, CRLF, trailing commas, quotes and long fields.
    @Test func inPlaceAndByteByByteReadsAgree() throws {
        let text =
            "a,b,c\r\né,ü,€x\n\n,,\nend,\r\r\n\"q,\"\"uo\"\"ted\",after é,x\n"
            + String(repeating: "y", count: 40) + ",long\n\"North, West\",\"\",\" é \",z\nlast,line"
        func records(chunk: Int, maxFieldBytes: Int = 1 << 20) throws -> [String] {
            try Self.described(Array(text.utf8), chunk: chunk, maxFieldBytes: maxFieldBytes)
        }
        let whole = try records(chunk: 1 << 20)
        // Blank lines (3 and 6) are no records (review helper-31).
        #expect(whole.count == 8, "\(whole)")
        #expect(whole[6] == "North, West@9:1|@9:15| é @9:18|z@9:24 line 9 blank false")
        #expect(whole[1] == "é@2:1|ü@2:3|€x@2:5 line 2 blank false")
        #expect(whole[2] == "@4:1|@4:2|@4:3 line 4 blank false")
        #expect(whole[3] == "end@5:1|@5:5 line 5 blank false")
        #expect(whole[4] == "q,\"uo\"ted@7:1|after é@7:15|x@7:23 line 7 blank false")
        for chunk in [1, 2, 7] { #expect(try records(chunk: chunk) == whole, "chunk \(chunk)") }
        // A field over the limit is reported by the byte-by-byte reader, wherever the line is read.
        #expect(throws: CSVReader.SyntaxError.self) { try records(chunk: 1 << 20, maxFieldBytes: 30) }
    }

    /// The in-place path finds field ends sixteen bytes at a time; on seeded random lines (fields
    /// of 0 to 40 bytes across the 16-byte steps, up to 90 fields so the field buffers grow, plain,
    /// quoted with commas, with doubled quotes and with line breaks; LF, CRLF and CR) it gives the
    /// fields, lines and columns of the byte-by-byte path (1-byte chunks) and of chunks cut at odd places.
    @Test func inPlaceAndByteByByteReadsAgreeOnRandomLines() throws {
        var random = SplitMix64(seed: 16)
        let alphabet = Array("abcxyz0129-:/ é€".utf8)
        func plain(_ n: Int) -> [UInt8] {
            var out: [UInt8] = []
            while out.count < n { out += String(UnicodeScalar(alphabet[Int(random.next() % UInt64(alphabet.count))])).utf8 }
            return out
        }
        var bytes: [UInt8] = []
        for _ in 0..<400 {
            let fields = 1 + Int(random.next() % 90)
            for f in 0..<fields {
                if f > 0 { bytes.append(0x2C) }
                let length = Int(random.next() % 41)
                switch random.next() % 10 {
                case 0: bytes += Array("\"".utf8) + plain(length / 2) + Array(",".utf8) + plain(length / 2) + Array("\"".utf8)
                case 1: bytes += Array("\"".utf8) + plain(length / 2) + Array("\"\"".utf8) + plain(length / 2) + Array("\"".utf8)
                case 2: bytes += Array("\"".utf8) + plain(length / 2) + [0x0A] + plain(length / 2) + Array("\"".utf8)
                default: bytes += plain(length)
                }
            }
            bytes += [[0x0A], [0x0D, 0x0A], [0x0D]][Int(random.next() % 3)]
        }
        func records(chunk: Int) throws -> [String] { try Self.described(bytes, chunk: chunk) }
        let whole = try records(chunk: 1 << 20)
        #expect(whole.count == 400)
        #expect(try records(chunk: 1) == whole)
        #expect(try records(chunk: 4093) == whole)
    }

    @Test func linesAndColumnsOfFields() throws {
        var reader = CSVReader()
        var seen: [(Int, Int, Int)] = []
        let bytes = Array("a,b\n\"x\ny\",é,z\nlast,1,2\n".utf8)
        try bytes.withUnsafeBytes { raw in
            try reader.consume(raw, isFinal: true) { record in
                for i in 0..<record.count { seen.append((record.line, record.line(i), record.column(i))) }
            }
        }
        // Record 2 starts on line 2; its second field starts on line 3 column 4 (after `y",`).
        #expect(seen.map { $0.0 } == [1, 1, 2, 2, 2, 4, 4, 4])
        #expect(seen[3].1 == 3 && seen[3].2 == 4)
        #expect(seen[4].1 == 3 && seen[4].2 == 6)  // 'é' counts as one column
    }

    @Test func unterminatedQuoteIsReportedWhereItOpened() {
        #expect(
            throws: CSVReader.SyntaxError(
                line: 2, column: 3, message: "a quoted field is never closed; expected a closing '\"' before the end of the file")
        ) {
            try read("a,b\n1,\"open\n2,3\n")
        }
    }

    @Test func textAfterClosingQuote() {
        #expect(
            throws: CSVReader.SyntaxError(
                line: 1, column: 5, message: "unexpected text after a closing quote; expected ',' or the end of the line")
        ) {
            try read("\"ab\"c,d\n")
        }
    }

    @Test func quoteInsideUnquotedField() {
        #expect(
            throws: CSVReader.SyntaxError(
                line: 1, column: 4, message: "a '\"' inside an unquoted field; quote the whole field and double the quote (\"\")")
        ) {
            try read("abc\"d\n")
        }
    }

    @Test func oversizedFieldIsAnErrorNotACrash() {
        var text = "indicator,period,value\nx,y,"
        text += String(repeating: "9", count: 10 << 20)
        #expect(throws: CSVReader.SyntaxError(line: 2, column: 5, message: "a field is longer than 1048576 bytes")) {
            try read(text)
        }
    }

    /// A row of many fields each under the field limit was held whole: 600 fields of 1 MiB took
    /// 1.08 GB (review helper-18). A row's fields may hold at most `maxRowBytes` (8 MiB) in all,
    /// read whole or in chunks of any size; exactly the limit is read.
    @Test(arguments: [nil, 1 << 20, 65_536, 1_000_003])
    func aRowOverTheRowLimitIsAnErrorNotAnAllocation(chunk: Int?) throws {
        let field = String(repeating: "7", count: 1 << 20)
        let full = "a\n" + Array(repeating: field, count: 8).joined(separator: ",") + "\n"
        let over = "a\n" + Array(repeating: field, count: 8).joined(separator: ",") + ",1\n"
        func records(_ text: String) throws -> Int {
            let bytes = Array(text.utf8)
            guard let chunk else { return try CSVReader.records(bytes).count }
            var reader = CSVReader()
            var count = 0
            var offset = 0
            repeat {
                let end = min(bytes.count, offset + chunk)
                try bytes[offset..<end].withUnsafeBytes { raw in
                    try reader.consume(raw, isFinal: end == bytes.count) { _ in count += 1 }
                }
                offset = end
            } while offset < bytes.count
            return count
        }
        #expect(CSVReader.maxRowBytes == 8 << 20)
        #expect(try records(full) == 2)
        #expect(throws: CSVReader.SyntaxError(line: 2, column: 1, message: "a row holds more than 8388608 bytes")) {
            try records(over)
        }
    }

    @Test func chunkBoundariesDoNotChangeTheResult() throws {
        let text = Array("\u{FEFF}h1,h2\r\n\"a,\"\"b\"\"\r\nc\",d\r\ne,\"\"\r\n".utf8)
        let expected = try CSVReader.records(text)
        for chunk in 1...7 {
            var reader = CSVReader()
            var records: [[String]] = []
            var offset = 0
            while offset < text.count {
                let end = min(text.count, offset + chunk)
                try text[offset..<end].withUnsafeBytes { raw in
                    try reader.consume(raw, isFinal: false) { r in records.append((0..<r.count).map { r.string($0)! }) }
                }
                offset = end
            }
            try reader.consume(UnsafeRawBufferPointer(start: nil, count: 0), isFinal: true) { r in
                records.append((0..<r.count).map { r.string($0)! })
            }
            #expect(records == expected, "chunk size \(chunk)")
        }
        #expect(expected == [["h1", "h2"], ["a,\"b\"\nc", "d"], ["e", ""]])
    }

    @Test func invalidUTF8IsDetectedPerField() throws {
        var reader = CSVReader()
        var valid: [Bool] = []
        try ([0x61, 0x2C, 0xFF, 0xFE, 0x0A] as [UInt8]).withUnsafeBytes { raw in
            try reader.consume(raw, isFinal: true) { r in valid = (0..<r.count).map { r.string($0) != nil } }
        }
        #expect(valid == [true, false])
    }

    @Test func trailingDelimiterAtEndOfFileIsAnEmptyField() throws {
        #expect(try read("a,b,") == [["a", "b", ""]])
        #expect(try read("a,b,\n") == [["a", "b", ""]])
    }

    @Test func emptyInputHasNoRecords() throws {
        #expect(try read("") == [])
    }
}
