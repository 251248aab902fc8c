/// Text that came from outside Vigil (a partner's file name, a cell, a header) made safe for every
/// line-oriented sink: `sd_notify`, standard error, receipts' text, journal `MESSAGE`, digests.
///
/// A partner controls the names of the files it drops. A name may hold a newline (which
/// `sd_notify` and every log reader split on), a carriage return, an escape sequence for a
/// terminal, a bidirectional override that reorders what a reader sees, or bytes that are not
/// UTF-8 at all. `line(_:)` turns any of them into one printable line: every control, format,
/// line- or paragraph-separator scalar and the backslash itself are written as escapes, so the
/// result is unambiguous and never spans two lines.
public enum UntrustedText {
    /// One printable line: controls, format characters (bidi overrides, zero-width joiners,
    /// prepended concatenation marks), line and paragraph separators, unassigned and private-use
    /// scalars escaped as `\xNN` (below 0x80) or `\u{XXXX}`; a backslash as `\\`.
    /// With `maxBytes`, the result is cut on a scalar boundary to at most that many UTF-8 bytes
    /// (an ellipsis `…` marks the cut).
    public static func line(_ text: String, maxBytes: Int? = nil) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { append(scalar, to: &out) }
        return cut(String(out), maxBytes: maxBytes)
    }

    /// Like `line(_:)` for raw bytes that may not be UTF-8 (a file name as the kernel gives it):
    /// valid UTF-8 is kept (and escaped as above), every byte of an invalid sequence becomes `\xNN`.
    public static func line(bytes: [UInt8], maxBytes: Int? = nil) -> String {
        var out = String.UnicodeScalarView()
        var index = 0
        while index < bytes.count {
            if let (scalar, length) = decode(bytes, at: index) {
                append(scalar, to: &out)
                index += length
            } else {
                let digits = String(bytes[index], radix: 16)
                out.append(contentsOf: ("\\x" + (digits.count < 2 ? "0" : "") + digits).unicodeScalars)
                index += 1
            }
        }
        return cut(String(out), maxBytes: maxBytes)
    }

    /// Whether a scalar is written as an escape.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\\" { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }

    private static func append(_ scalar: Unicode.Scalar, to out: inout String.UnicodeScalarView) {
        if scalar == "\\" {
            out.append(contentsOf: "\\\\".unicodeScalars)
        } else if needsEscape(scalar) {
            out.append(contentsOf: hex(scalar.value).unicodeScalars)
        } else {
            out.append(scalar)
        }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        if value < 0x80 { return "\\x" + (digits.count < 2 ? "0" + digits : digits) }
        return "\\u{" + digits + "}"
    }

    /// Decodes one well-formed UTF-8 scalar at `index` (no overlongs, surrogates or values past
    /// U+10FFFF), or nil.
    private static func decode(_ bytes: [UInt8], at index: Int) -> (Unicode.Scalar, Int)? {
        let first = bytes[index]
        if first < 0x80 { return (Unicode.Scalar(first), 1) }
        let length: Int
        let minimum: UInt32
        var value: UInt32
        switch first {
        case 0xC2...0xDF: (length, minimum, value) = (2, 0x80, UInt32(first & 0x1F))
        case 0xE0...0xEF: (length, minimum, value) = (3, 0x800, UInt32(first & 0x0F))
        case 0xF0...0xF4: (length, minimum, value) = (4, 0x10000, UInt32(first & 0x07))
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    private static func cut(_ text: String, maxBytes: Int?) -> String {
        guard let maxBytes, text.utf8.count > maxBytes else { return text }
        return prefix(text, maxBytes: max(0, maxBytes - 3)) + "…"  // "…" is three bytes
    }

    /// The longest run of `text`'s first scalars within `maxBytes` bytes of UTF-8 (cut on a scalar
    /// boundary, with no mark).
    public static func prefix(_ text: String, maxBytes: Int) -> String {
        var out = String.UnicodeScalarView()
        var used = 0
        for scalar in text.unicodeScalars {
            let size = String(scalar).utf8.count
            if used + size > maxBytes { break }
            out.append(scalar)
            used += size
        }
        return String(out)
    }
}
