/// The breakdown of a value: dimension → value (e.g. `category: physical`). Empty means the total.
public struct Breakdown: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Dimension values, sorted by dimension name.
    public let pairs: [(dimension: String, value: String)]

    /// The total (no breakdown).
    public static let total = Breakdown([:])

    /// Creates a breakdown from a dictionary (empty values are dropped).
    public init(_ values: [String: String]) {
        pairs = values.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { (dimension: $0.key, value: $0.value) }
    }

    /// The dimension → value dictionary.
    public var values: [String: String] { Dictionary(uniqueKeysWithValues: pairs.map { ($0.dimension, $0.value) }) }

    /// Whether this is the total.
    public var isTotal: Bool { pairs.isEmpty }

    /// Canonical text: `category=physical,gender=male`, or empty for the total.
    public var key: String { pairs.map { "\($0.dimension)=\($0.value)" }.joined(separator: ",") }

    /// Parses the canonical text.
    public init(key: String) {
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
