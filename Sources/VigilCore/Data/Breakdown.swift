/// The breakdown of a value: dimension → value (e.g. `category: physical`). Empty means the total.
public struct Breakdown: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Dimension values, sorted by dimension name.
    public let pairs: [(dimension: String, value: String)]

    /// The total (no breakdown).
    public static let total = Breakdown([:])

    /// Canonical text: `category=physical,gender=male`, or empty for the total. Made once: every
    /// comparison and hash of a series key reads it (made at each, it was most of the cost of a
    /// file on a store holding a cross-tabulation of 25,920 series, review helper-19).
    public let key: String

    /// Creates a breakdown from a dictionary (empty values are dropped).
    public init(_ values: [String: String]) {
        pairs = values.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { (dimension: $0.key, value: $0.value) }
        key = Breakdown.text(of: pairs)
    }

    /// This breakdown without `dimension` (the series it is a part of).
    public func removing(_ dimension: String) -> Breakdown {
        let kept = pairs.filter { $0.dimension != dimension }
        return Breakdown(canonical: kept, key: Breakdown.text(of: kept))
    }

    /// This breakdown with `dimension` set to `value` (removed when `value` is empty).
    public func setting(_ dimension: String, to value: String) -> Breakdown {
        var kept = pairs.filter { $0.dimension != dimension }
        if !value.isEmpty {
            let at = kept.firstIndex { $0.dimension > dimension } ?? kept.endIndex
            kept.insert((dimension, value), at: at)
        }
        return Breakdown(canonical: kept, key: Breakdown.text(of: kept))
    }

    /// The dimension → value dictionary.
    public var values: [String: String] { Dictionary(uniqueKeysWithValues: pairs.map { ($0.dimension, $0.value) }) }

    /// Whether this is the total.
    public var isTotal: Bool { pairs.isEmpty }

    /// The canonical text of sorted pairs.
    private static func text(of pairs: [(dimension: String, value: String)]) -> String {
        pairs.map { "\($0.dimension)=\($0.value)" }.joined(separator: ",")
    }

    /// Pairs already canonical, with their text.
    private init(canonical pairs: [(dimension: String, value: String)], key: String) {
        self.pairs = pairs
        self.key = key
    }

    /// Parses the canonical text.
    public init(key: String) {
        // The store's own keys are canonical (dimensions ascending, each `dimension=value`): their
        // pairs are taken as they come. Anything else is read into a dictionary and sorted.
        let parts = key.split(separator: ",", omittingEmptySubsequences: false)
        var pairs: [(dimension: String, value: String)] = []
        pairs.reserveCapacity(parts.count)
        for part in key.isEmpty ? [] : parts {
            let kv = part.split(separator: "=", maxSplits: 1)
            // (A part that begins with `=` splits after it: not canonical.)
            guard kv.count == 2, kv[0].startIndex == part.startIndex, pairs.last.map({ $0.dimension < kv[0] }) ?? true else {
                pairs = []
                break
            }
            pairs.append((String(kv[0]), String(kv[1])))
        }
        if !pairs.isEmpty || key.isEmpty {
            self.init(canonical: pairs, key: key)
            return
        }
        var values: [String: String] = [:]
        for part in key.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { values[String(kv[0])] = String(kv[1]) }
        }
        self.init(values)
    }

    /// `total`, or `category physical` for people.
    public var label: String {
        isTotal
            ? "total"
            : pairs.map {
                $0.value == "*"
                    ? "by \($0.dimension.replacingUnderscores)"
                    : "\($0.dimension.replacingUnderscores) \($0.value.replacingUnderscores)"
            }.joined(separator: ", ")
    }

    /// The canonical text.
    public var description: String { key }

    /// Equal when the canonical keys are equal.
    public static func == (lhs: Breakdown, rhs: Breakdown) -> Bool { lhs.key == rhs.key }
    /// Hashes the canonical key.
    public func hash(into hasher: inout Hasher) { hasher.combine(key) }
    /// Orders the values.
    public static func < (lhs: Breakdown, rhs: Breakdown) -> Bool {
        (lhs.pairs.count, lhs.key) < (rhs.pairs.count, rhs.key)
    }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}

/// A series: one indicator at one breakdown.
public struct SeriesKey: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The indicator id.
    public var indicator: String
    /// The breakdown.
    public var breakdown: Breakdown

    /// Creates a series key.
    public init(indicator: String, breakdown: Breakdown = .total) {
        self.indicator = indicator
        self.breakdown = breakdown
    }

    /// `indicator` or `indicator{category=physical}`.
    public var description: String { breakdown.isTotal ? indicator : "\(indicator){\(breakdown.key)}" }

    /// Orders the values.
    public static func < (lhs: SeriesKey, rhs: SeriesKey) -> Bool {
        (lhs.indicator, lhs.breakdown) < (rhs.indicator, rhs.breakdown)
    }
}
