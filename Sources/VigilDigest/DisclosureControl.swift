import VigilCore

/// Disclosure control for digests shared beyond the board (DfE convention): counts of 1 to 5 are
/// shown as `c`, and where a total is shown with its parts, one more cell is suppressed so that a
/// suppressed count cannot be recovered by subtraction (secondary suppression). Zeros are shown.
public struct DisclosureControl: Sendable {
    /// Whether suppression is on.
    public var enabled: Bool

    /// Creates a control.
    public init(enabled: Bool) { self.enabled = enabled }

    /// Whether a value must be hidden (primary suppression).
    public func isSmall(_ value: Double?, unit: IndicatorUnit) -> Bool {
        guard enabled, unit == .count, let value else { return false }
        return value >= 1 && value <= 5
    }

    /// A value for display: the unit's format, `c` when suppressed, `–` when missing.
    public func display(_ value: Double?, unit: IndicatorUnit) -> String {
        guard let value else { return "–" }
        return isSmall(value, unit: unit) ? "c" : unit.format(value)
    }

    /// A table row of parts and their total, with primary and secondary suppression applied.
    /// Returns the displayed parts and total.
    public func table(parts: [(label: String, value: Double?)], total: Double?, unit: IndicatorUnit)
        -> (parts: [(label: String, text: String)], total: String)
    {
        var hidden = Set(parts.indices.filter { isSmall(parts[$0].value, unit: unit) })
        var totalHidden = isSmall(total, unit: unit)
        if enabled && unit == .count && hidden.count == 1 {
            // One hidden part could be recovered from the total: hide the smallest other non-zero part too.
            let candidates = parts.indices.filter { !hidden.contains($0) && (parts[$0].value ?? 0) > 0 }
            if let smallest = candidates.min(by: { (parts[$0].value ?? 0) < (parts[$1].value ?? 0) }) {
                hidden.insert(smallest)
            } else {
                totalHidden = true
            }
        }
        let shown = parts.indices.map { i in
            (label: parts[i].label, text: hidden.contains(i) ? "c" : parts[i].value.map(unit.format) ?? "–")
        }
        return (shown, totalHidden ? "c" : total.map(unit.format) ?? "–")
    }
}
