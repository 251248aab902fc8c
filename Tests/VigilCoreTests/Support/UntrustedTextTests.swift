import Testing
import VigilCore

/// A partner's file name (or any outside text) becomes one printable, unambiguous line.
struct UntrustedTextTests {
    @Test func controlAndLineCharactersAreEscaped() {
        #expect(UntrustedText.line("x\nWATCHDOG=trigger\ny.csv") == "x\\x0aWATCHDOG=trigger\\x0ay.csv")
        #expect(UntrustedText.line("a\rb\u{1B}[31mc\u{7F}") == "a\\x0db\\x1b[31mc\\x7f")
        #expect(UntrustedText.line("back\\slash") == "back\\\\slash")
        #expect(UntrustedText.line("line\u{2028}para\u{2029}") == "line\\u{2028}para\\u{2029}")
        #expect(UntrustedText.line("plain missing-2013-04.csv") == "plain missing-2013-04.csv")
        #expect(UntrustedText.line("Ünïcödé £ 名前.csv") == "Ünïcödé £ 名前.csv")
    }

    /// Format characters are escaped one scalar at a time: a prepended concatenation mark (U+0600)
    /// glued to `<` forms one Character and must not carry the `<` through unescaped.
    @Test func formatCharactersAndBidiOverridesAreEscapedPerScalar() {
        #expect(UntrustedText.line("\u{0600}<script>") == "\\u{600}<script>")
        #expect(UntrustedText.line("evil\u{202E}vsc.exe") == "evil\\u{202e}vsc.exe")
        #expect(UntrustedText.line("zero\u{200B}width") == "zero\\u{200b}width")
    }

    @Test func bytesThatAreNotUTF8AreShownByteByByte() {
        #expect(UntrustedText.line(bytes: [0x61, 0xFF, 0x62, 0xC3, 0xA9, 0xC3]) == "a\\xffbé\\xc3")
        // Overlong and surrogate encodings are not UTF-8.
        #expect(UntrustedText.line(bytes: [0xC0, 0xAF]) == "\\xc0\\xaf")
        #expect(UntrustedText.line(bytes: [0xED, 0xA0, 0x80]) == "\\xed\\xa0\\x80")
        #expect(UntrustedText.line(bytes: Array("a\nb".utf8)) == "a\\x0ab")
    }

    @Test func aCutStaysWithinTheByteLimitOnAScalarBoundary() {
        let long = String(repeating: "é", count: 200)
        let cut = UntrustedText.line(long, maxBytes: 150)
        #expect(cut.utf8.count <= 150)
        #expect(cut.hasSuffix("…"))
        #expect(cut == String(repeating: "é", count: 73) + "…")
        #expect(UntrustedText.line("short", maxBytes: 150) == "short")
    }
}
