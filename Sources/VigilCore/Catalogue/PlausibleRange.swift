/// The values an indicator can plausibly take at this board (`plausible: {min: 20, max: 100}` in
/// the catalogue): a value outside (but zero) is rejected on arrival as a likely unit error (a percentage
/// written as a fraction, a rate per 1,000 for one per 10,000), never stored and judged.
///
/// Set wide, so that only a unit error falls outside: a real value outside it is refused until
/// IT widens the range.
public struct PlausibleRange: Hashable, Sendable {
    /// The smallest plausible value, if any.
    public var min: Double?
    /// The largest plausible value, if any.
    public var max: Double?

    /// Creates a range; either end may be open.
    public init(min: Double? = nil, max: Double? = nil) {
        self.min = min
        self.max = max
    }

    /// Whether `value` is plausible: within the range (both ends inclusive), or zero. A zero is
    /// the same in every unit (0% is a fraction of 0, 0 per 1,000 is 0 per 10,000), so it is
    /// never a unit error: a service that checked no child's record this month is news, not noise.
    public func admits(_ value: Double) -> Bool {
        value == 0 || ((min.map { value >= $0 } ?? true) && (max.map { value <= $0 } ?? true))
    }

    /// A bound as written: `20`, `0.25`.
    static func text(_ value: Double) -> String { formatNumber(value, decimals: value == value.rounded() ? 0 : 2) }

    /// The range in words: `20 to 100`, `at least 5`, `at most 300`.
    public var words: String {
        let text = PlausibleRange.text
        switch (min, max) {
        case (let lo?, let hi?): return "\(text(lo)) to \(text(hi))"
        case (let lo?, nil): return "at least \(text(lo))"
        case (nil, let hi?): return "at most \(text(hi))"
        case (nil, nil): return "any value"
        }
    }
}
