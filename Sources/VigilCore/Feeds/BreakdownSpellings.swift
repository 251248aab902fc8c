/// A file's breakdown cells matched to the catalogue's values, with the costly step bounded.
///
/// An exact match is cheap. Anything else is normalised (`DimensionValue.normalised`, about half
/// a microsecond per character), so without bounds a partner's file of long or ever-different
/// cells could take minutes: 80 cells of 1 MiB outlasted the daemon's watchdog. Here a cell longer
/// than `maxBytes` is refused unread, each distinct spelling is normalised once per file, and past
/// `maxSpellings` distinct spellings that are not the catalogue's own, further new ones are
/// refused. A legitimate return spells each value in a handful of ways, far below either bound.
struct BreakdownSpellings {
    /// The longest cell that is read as a spelling of a value (the catalogue's longest value is
    /// 35 bytes; `Mixed - White and Black Caribbean` is 33).
    static let maxBytes = 100
    /// Distinct spellings other than the catalogue's own normalised per file.
    static let maxSpellings = 1_000

    /// What a cell is.
    enum Match: Equatable {
        /// The catalogue's value it stands for.
        case value(String)
        /// No value of the dimension.
        case unknown
        /// Longer than `maxBytes`: no spelling of any value.
        case tooLong
        /// A new spelling past `maxSpellings`.
        case tooManySpellings
    }

    /// Each dimension's spellings seen in this file, with their value (nil: none).
    private var seen: [String: [String: String?]] = [:]
    private var count = 0

    /// The value `text` stands for among `allowed`, the values of `dimension`.
    mutating func match(_ text: String, dimension: String, allowed: [String]) -> Match {
        if allowed.contains(text) { return .value(text) }
        if text.utf8.count > Self.maxBytes { return .tooLong }
        if let known = seen[dimension]?[text] { return known.map(Match.value) ?? .unknown }
        guard count < Self.maxSpellings else { return .tooManySpellings }
        let value = DimensionValue.canonical(text, allowed: allowed)
        seen[dimension, default: [:]][text] = .some(value)
        count += 1
        return value.map(Match.value) ?? .unknown
    }
}
