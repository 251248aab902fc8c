/// Which direction of change is bad news for an indicator.
public enum Polarity: String, Hashable, Sendable, CaseIterable {
    /// More is worse (e.g. children going missing).
    case higherIsWorse = "higher_is_worse"
    /// Less is worse (e.g. placement stability).
    case lowerIsWorse = "lower_is_worse"
    /// Neither direction is good or bad in itself (e.g. children on a plan).
    case neutral
}

/// The unit an indicator's values are in.
public enum IndicatorUnit: String, Hashable, Sendable, CaseIterable {
    /// A count of children, cases or events.
    case count
    /// A percentage 0–100.
    case percent
    /// A rate per 10,000 of a population.
    case ratePer10k = "rate_per_10k"
    /// A plain ratio.
    case ratio
    /// A duration in days.
    case days

    /// Formats a value in this unit for people: `79.3 per 10,000`, `23.6%`, `272`.
    public func format(_ value: Double) -> String {
        switch self {
        case .count, .days: return formatNumber(value, decimals: value == value.rounded() ? 0 : 1)
        case .percent: return formatNumber(value, decimals: 1) + "%"
        case .ratePer10k: return formatNumber(value, decimals: 1) + " per 10,000"
        case .ratio: return formatNumber(value, decimals: 2)
        }
    }
}

/// Months in which low values are expected (e.g. school holidays), so dips there are not news.
public struct Seasonality: Hashable, Sendable {
    /// Calendar months (1 = January) where low values are expected.
    public var expectedLowMonths: Set<Int>
    /// Why, in words, for explanations.
    public var reason: String

    /// Creates a seasonality profile.
    public init(expectedLowMonths: Set<Int>, reason: String) {
        self.expectedLowMonths = expectedLowMonths
        self.reason = reason
    }
}

/// How a derived indicator is computed from others.
public enum Derivation: Hashable, Sendable {
    /// numerator ÷ denominator.
    case ratio(numerator: String, denominator: String)
    /// 100 × numerator ÷ denominator.
    case percent(numerator: String, denominator: String)
    /// 10,000 × numerator ÷ population.
    case ratePer10k(numerator: String, population: String)
    /// Sum of the last N periods of the input.
    case rollingSum(input: String, periods: Int)
    /// Mean of the last N periods of the input.
    case rollingMean(input: String, periods: Int)
    /// minuend − subtrahend.
    case difference(minuend: String, subtrahend: String)
    /// Sum of the input's sub-periods over each of this indicator's periods.
    case periodSum(input: String)

    /// The indicators this derivation reads.
    public var inputs: [String] {
        switch self {
        case .ratio(let a, let b), .percent(let a, let b), .ratePer10k(let a, let b), .difference(let a, let b):
            return [a, b]
        case .rollingSum(let a, _), .rollingMean(let a, _), .periodSum(let a): return [a]
        }
    }
}

/// One indicator of the catalogue: what it measures and how it may be reported.
public struct Indicator: Hashable, Sendable, Identifiable {
    /// Stable id, e.g. `cp.plans`.
    public var id: String
    /// Title for people.
    public var title: String
    /// Longer description, if any.
    public var description: String?
    /// Unit of the values.
    public var unit: IndicatorUnit
    /// The periodicity its periods must have.
    public var periodicity: Periodicity
    /// Which direction is bad news.
    public var polarity: Polarity
    /// Partner ids allowed to supply it (empty for derived indicators).
    public var partners: [String]
    /// Board priorities it evidences.
    public var priorities: [Int]
    /// Breakdown dimensions it may be split by.
    public var dimensions: [String]
    /// Targets by period.
    public var targets: [Period: Double]
    /// Statistical neighbours' average by period.
    public var statisticalNeighbours: [Period: Double]
    /// England's value by period.
    public var england: [Period: Double]
    /// Expected seasonal lows, if any.
    public var seasonality: Seasonality?
    /// Provenance note.
    public var source: String?
    /// How it is computed, when derived.
    public var derivation: Derivation?
    /// Days after a period ends by which its value is due, overriding its partners' return
    /// schedule.
    public var dueDays: Int?
    /// For a supplied percentage, rate or ratio: the count indicator it is of (its denominator,
    /// `of_count`), so disclosure control can tell when a figure stands for a count of 1 to 5
    /// (2.3% of 216 MARAC cases is 5).
    public var ofCount: String?
    /// The values it can plausibly take (`plausible`); a value sent outside is rejected as a
    /// likely unit error.
    public var plausible: PlausibleRange?

    /// Creates an indicator with the given essentials; the rest default to empty.
    public init(
        id: String, title: String, unit: IndicatorUnit = .count, periodicity: Periodicity, polarity: Polarity = .neutral,
        partners: [String] = [], priorities: [Int] = [], dimensions: [String] = [], targets: [Period: Double] = [:],
        statisticalNeighbours: [Period: Double] = [:], england: [Period: Double] = [:], seasonality: Seasonality? = nil,
        description: String? = nil, source: String? = nil, derivation: Derivation? = nil
    ) {
        self.id = id
        self.title = title
        self.unit = unit
        self.periodicity = periodicity
        self.polarity = polarity
        self.partners = partners
        self.priorities = priorities
        self.dimensions = dimensions
        self.targets = targets
        self.statisticalNeighbours = statisticalNeighbours
        self.england = england
        self.seasonality = seasonality
        self.description = description
        self.source = source
        self.derivation = derivation
    }

    /// How many years after its period ends the last target stands for later periods, until the
    /// board sets the next (review helper-25: not for ever).
    public static let targetStandsYears = 1
    /// How many years after its period ends a benchmark stands for later periods (`use_latest`):
    /// published a year behind, so the latest may be a year older than the period judged, or two
    /// when a year's figure is late; older than that it no longer describes the comparison
    /// (review helper-28: the neighbours' 2011/12 average judged 2018/19 to 2022/23).
    public static let benchmarkStandsYears = 2

    /// A reference value for a period: the exact period's, else the one whose period contains it.
    ///
    /// With `latestEarlier`, falls back to the latest reference period ending on or before the
    /// period's end (e.g. the statistical neighbours' previous-year figure), and with
    /// `yearsAfter`, only if the period ends at most that many years after it.
    public static func reference(
        _ values: [Period: Double], for period: Period, latestEarlier: Bool = false, yearsAfter: Int? = nil
    ) -> (period: Period, value: Double)? {
        if let value = values[period] { return (period, value) }
        // One pass each, without the filtered copy a `filter` would allocate for every period
        // judged: the earliest value whose period contains this one, else (if asked) the latest
        // that ended by its end. Ties keep the first found, as `min(by:)` and `max(by:)` do.
        var containing: (period: Period, value: Double)?
        for (key, value) in values where key.contains(period) {
            if containing == nil || key < containing!.period { containing = (key, value) }
        }
        if let containing { return containing }
        guard latestEarlier else { return nil }
        var earlier: (period: Period, value: Double)?
        for (key, value) in values where key.end <= period.end {
            if earlier == nil || earlier!.period < key { earlier = (key, value) }
        }
        // At most `yearsAfter` years after its own period ends.
        if let years = yearsAfter, let found = earlier, period.end > found.period.end.yearsLater(years) { return nil }
        return earlier
    }
}

/// A number with thousands separators and a fixed number of decimals (0–3): `1,234.5`.
///
/// Every finding's explanation formats its numbers, for every period of every series evaluated,
/// so this writes ASCII bytes into a small buffer rather than building `Character`s.
public func formatNumber(_ value: Double, decimals: Int) -> String {
    // Beyond what Int holds (or not finite), fall back to Swift's own rendering rather than trap.
    guard value.isFinite, abs(value) < 1e15 else { return "\(value)" }
    let places = max(0, min(decimals, 3))
    let scale = [1, 10, 100, 1000][places]
    // The value in units of the last decimal place, rounded half away from zero.
    let units = Int((value * Double(scale)).rounded())
    var fraction = units.magnitude % UInt(scale)
    var whole = units.magnitude / UInt(scale)
    // Digits are written backwards from the end of a buffer: 15 digits, 4 commas, a point, 3
    // decimals and a sign fit in 32 bytes.
    return String(unsafeUninitializedCapacity: 32) { out in
        var buffer: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &buffer) { raw -> Int in
            var end = raw.count
            func put(_ byte: UInt8) {
                end -= 1
                raw[end] = byte
            }
            if places > 0 {
                for _ in 0..<places {
                    put(UInt8(ascii: "0") + UInt8(fraction % 10))
                    fraction /= 10
                }
                put(UInt8(ascii: "."))
            }
            var digits = 0
            repeat {
                if digits > 0 && digits % 3 == 0 { put(UInt8(ascii: ",")) }
                put(UInt8(ascii: "0") + UInt8(whole % 10))
                whole /= 10
                digits += 1
            } while whole > 0
            if units < 0 { put(UInt8(ascii: "-")) }
            let count = raw.count - end
            for i in 0..<count { out[i] = raw[end + i] }
            return count
        }
    }
}
