/// HTML escaping: every text value in a digest goes through here, so a hostile indicator title,
/// note or file name cannot inject markup.
public enum HTML {
    /// Escapes `& < > " '`, scalar by scalar: a `Character` may glue a markup character to a
    /// combining or prepended scalar (U+0600 followed by `<` is one `Character`), which a
    /// per-Character switch would let through.
    public static func escape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "'": out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
