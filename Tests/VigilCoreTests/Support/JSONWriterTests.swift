import Foundation
import Testing

@testable import VigilCore

/// `JSONWriter.quote`: the escaping every event line, alert file and stored record relies on.
struct JSONWriterTests {
    /// The escaping as first written (scalar by scalar), kept as the oracle for the byte-level one.
    static func reference(_ s: String) -> String {
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

    @Test func escapesExactlyTheCharactersJSONAndHTMLNeed() {
        #expect(JSONWriter.quote("") == "\"\"")
        #expect(JSONWriter.quote("plain text, 12.5%") == "\"plain text, 12.5%\"")
        #expect(JSONWriter.quote("a\"b\\c") == #""a\"b\\c""#)
        #expect(JSONWriter.quote("1\n2\r3\t4") == #""1\n2\r3\t4""#)
        #expect(JSONWriter.quote("<b> & </b>") == #""\u003cb\u003e \u0026 \u003c/b\u003e""#)
        #expect(JSONWriter.quote("\u{0}\u{1}\u{1F}\u{7F}") == "\"\\u0000\\u0001\\u001f\u{7F}\"")
        #expect(JSONWriter.quote("line\u{2028}para\u{2029}end") == #""line\u2028para\u2029end""#)
        #expect(JSONWriter.quote("–é😀\u{2027}\u{202A}") == "\"–é😀\u{2027}\u{202A}\"")
    }

    @Test func agreesWithTheScalarEscapingOnRandomText() {
        // Every byte class the escaping distinguishes: specials, controls, ASCII, the U+2028 family
        // and its neighbours, other multi-byte scalars.
        let alphabet: [Unicode.Scalar] =
            [
                "\"", "\\", "\n", "\r", "\t", "<", ">", "&", "a", "Z", " ", "%", "\u{0}", "\u{8}", "\u{1F}", "\u{7F}",
                "\u{80}", "é", "–", "\u{2027}", "\u{2028}", "\u{2029}", "\u{202A}", "\u{E280}", "😀", "\u{FFFF}",
            ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5000 {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...40, using: &generator) { s.append(alphabet.randomElement(using: &generator)!) }
            let text = String(s)
            #expect(JSONWriter.quote(text) == Self.reference(text), "\(Array(text.unicodeScalars))")
        }
    }

    @Test func whatItWritesReadsBackAsTheSameString() throws {
        let text = "\"<&>\"\\\u{0}\u{1F}\u{2028}é😀 plain"
        let json = "[" + JSONWriter.quote(text) + "]"
        let read = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String]
        #expect(read == [text])
    }
}
