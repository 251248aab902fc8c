/// A value as reported: a number, or a disclosure-control marker that rules treat as missing.
public enum ObservedValue: Hashable, Sendable, CustomStringConvertible {
    /// A reported number.
    case number(Double)
    /// A censored or unavailable value, with its marker (`c`, `x`, `:`, `z`, `..`). Never zero.
    case marker(String)

    /// The markers Vigil accepts, with their meaning (DfE conventions).
    public static let markers: [String: String] = [
        "c": "suppressed small number",
        "x": "not available",
        ":": "not available",
        "z": "not applicable",
        "..": "not available",
    ]

    /// The largest magnitude a value may have, supplied or derived: sums, rates and control
    /// limits over such values stay finite and exact enough (a file of 1e308s once made them
    /// infinite, and a count of 1e-308 under a percentage made it infinite).
    public static let largestMagnitude: Double = 1e12

    /// The number, or nil for a marker.
    public var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The number or the marker as text.
    public var description: String {
        switch self {
        case .number(let value): return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .marker(let marker): return marker
        }
    }
}
