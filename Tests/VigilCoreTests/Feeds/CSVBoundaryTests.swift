import Testing

@testable import VigilCore

/// Where a CSV stream may be cut: quote counts and the cuts after line feeds outside quotes.
@Suite struct CSVBoundaryTests {
    /// The eight-at-a-time count equals a byte-by-byte count for every length and alignment.
    @Test func quotesAreCountedExactly() {
        var rng = SplitMix64(seed: 34)
        for length in [0, 1, 7, 8, 9, 63, 64, 65, 1000] {
            // Bytes near the quote's value (0x21 … 0x23, 0xA2) and quotes themselves.
            let bytes = (0..<length).map { _ in [0x22, 0x21, 0x23, 0xA2, 0x22, 0x00, 0xFF][Int(rng.next() % 7)] as UInt8 }
            for offset in [0, min(3, length)] {
                let expected = bytes[offset...].filter { $0 == 0x22 }.count
                bytes[offset...].withUnsafeBytes { #expect(CSVBoundary.quotes(in: $0) == expected, "length \(length)") }
            }
        }
    }

    @Test func cutsFallAfterLineFeedsOutsideQuotes() {
        func cuts(_ text: String, quoted: Bool = false) -> (first: Int?, last: Int?) {
            Array(text.utf8).withUnsafeBytes { raw in
                let atEnd = quoted != (CSVBoundary.quotes(in: raw) % 2 == 1)
                return (CSVBoundary.firstCut(in: raw, quotedAtStart: quoted), CSVBoundary.lastCut(in: raw, quotedAtEnd: atEnd))
            }
        }
        #expect(cuts("a,b\nc,d\ne") == (4, 8))
        #expect(cuts("a,\"x\ny\"\nb") == (8, 8))  // the first line feed is inside quotes
        #expect(cuts("a\r\nb\rc") == (3, 3))  // after the LF of a CRLF; never after a lone CR
        #expect(cuts("x\ny\"\nz", quoted: true) == (5, 5))  // starts inside a quoted field
        #expect(cuts("no line end") == (nil, nil))
        #expect(cuts("\"\"\"\n\"") == (nil, nil))  // every line feed inside quotes
    }
}
