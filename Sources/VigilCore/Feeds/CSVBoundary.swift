/// Where a CSV stream may be cut into independently readable pieces: after a line feed that is not
/// inside a quoted field.
///
/// Inside or outside quotes is the parity of the quotes since the start of the CSV data: in
/// RFC 4180 a quoted field opens and closes with one quote each and an escaped quote is two, and
/// every other quote is a syntax error that `CSVReader` reports where it occurs. So up to the first
/// syntax error these cuts are exactly where the reader ends a record; after it, nothing read is
/// kept. A lone carriage return also ends a record, but is never a cut (a cut after a CR could
/// separate it from its LF), so a file with CR-only line ends is read as one piece.
enum CSVBoundary {
    /// How many `"` bytes the buffer holds, eight at a time: a quote becomes a zero byte, whose
    /// high bit the classic exact zero-byte test sets, and the set bits are counted.
    static func quotes(in bytes: UnsafeRawBufferPointer) -> Int {
        let quotes: UInt64 = 0x2222_2222_2222_2222
        let low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        var count = 0
        var i = 0
        let words = bytes.count / 8
        for w in 0..<words {
            let x = bytes.loadUnaligned(fromByteOffset: w &* 8, as: UInt64.self) ^ quotes
            let zero = ~(((x & low7) &+ low7) | x | low7)
            count &+= zero.nonzeroBitCount
        }
        i = words &* 8
        while i < bytes.count {
            if bytes[i] == 0x22 { count &+= 1 }
            i &+= 1
        }
        return count
    }

    /// The offset just after the last record-ending line feed in `bytes`, given whether the bytes
    /// end inside quotes (an odd number of quotes since the start of the data); nil when none.
    static func lastCut(in bytes: UnsafeRawBufferPointer, quotedAtEnd: Bool) -> Int? {
        var quoted = quotedAtEnd
        var i = bytes.count - 1
        while i >= 0 {
            let byte = bytes[i]
            if byte == 0x22 {
                quoted.toggle()
            } else if byte == 0x0A && !quoted {
                return i + 1
            }
            i -= 1
        }
        return nil
    }

    /// The offset just after the first record-ending line feed in `bytes`, given whether they start
    /// inside quotes; nil when none.
    static func firstCut(in bytes: UnsafeRawBufferPointer, quotedAtStart: Bool = false) -> Int? {
        var quoted = quotedAtStart
        for i in 0..<bytes.count {
            let byte = bytes[i]
            if byte == 0x22 {
                quoted.toggle()
            } else if byte == 0x0A && !quoted {
                return i + 1
            }
        }
        return nil
    }
}
