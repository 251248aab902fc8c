/// A breakdown value as partners write it, matched to the catalogue's canonical value.
///
/// Partners' spreadsheets say `Under 1`, `1 to 4`, `1-4`, `0 – 5yrs`, `16+`, `16 and over`,
/// `Over 16`, `White British` or `Mixed White & Asian`; the catalogue's values are `under_1`,
/// `1_to_4`, `0_to_5`, `16_plus`, `white_british`, `mixed_white_asian`. A value is matched exactly
/// first; otherwise its spelling is normalised (case, spaces, punctuation and dashes, `yrs` /
/// `years`, the common ways of writing an open band) and matched again. What is stored is always
/// the canonical value.
public enum DimensionValue {
    /// The canonical value for `text` among `allowed`, or nil when it matches none.
    public static func canonical(_ text: String, allowed: [String]) -> String? {
        if allowed.contains(text) { return text }
        let candidate = normalised(text)
        return allowed.contains(candidate) ? candidate : nil
    }

    /// `text` in the catalogue's spelling: lower snake case, with bands as `under_N`, `N_to_M`
    /// and `N_plus`.
    public static func normalised(_ text: String) -> String {
        var t = text.lowercased()
        for dash in ["\u{2013}", "\u{2014}", "\u{2212}"] { t = t.replacingOccurrences(of: dash, with: "-") }
        // Symbols become words of their own, and digits are parted from letters ("5yrs", "16+").
        var spaced = ""
        var previous: Character?
        for ch in t {
            if "-+<>".contains(ch) {
                spaced += " \(ch) "
            } else {
                if let p = previous, p.isNumber != ch.isNumber, p.isLetter || ch.isLetter { spaced += " " }
                spaced.append(ch)
            }
            previous = ch
        }
        let symbols: Set<String> = ["-", "+", "<", ">"]
        var words = spaced.split(separator: " ").flatMap { token -> [String] in
            symbols.contains(String(token))
                ? [String(token)] : token.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
        }
        words.removeAll { ["yrs", "yr", "years", "year", "olds", "old", "aged"].contains($0) }
        let number = { (w: String) in !w.isEmpty && w.allSatisfy(\.isNumber) }
        // Open bands at the top: "16+", "16 plus", "16 and over", "16 or over", "16 and older", "over 16".
        if let first = words.first, number(first), words.count >= 2 {
            let rest = words.dropFirst().joined(separator: " ")
            if ["+", "plus", "and over", "or over", "and older", "or older", "and above", "or more"].contains(rest) {
                return first + "_plus"
            }
        }
        if words.count == 2, ["over", ">"].contains(words[0]), number(words[1]) { return words[1] + "_plus" }
        // Open bands at the bottom: "under 1", "less than 1", "< 1".
        if words.count == 2, ["under", "<"].contains(words[0]), number(words[1]) { return "under_" + words[1] }
        if words.count == 3, words[0] == "less", words[1] == "than", number(words[2]) { return "under_" + words[2] }
        // Closed bands: "1-4", "1 to 4".
        if words.count == 3, number(words[0]), ["-", "to"].contains(words[1]), number(words[2]) {
            return words[0] + "_to_" + words[2]
        }
        return words.filter { !symbols.contains($0) && ($0 != "and" || words.count == 1) }.joined(separator: "_")
    }
}
