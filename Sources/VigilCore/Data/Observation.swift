/// One value of one series at one period, with where it came from.
public struct Observation: Hashable, Sendable {
    /// The series.
    public var series: SeriesKey
    /// The period.
    public var period: Period
    /// The value.
    public var value: ObservedValue
    /// SHA-256 of the source files it came from (for a derived value, its inputs' files).
    public var sources: [String]
    /// Where in the source it was read (file:line:column), if known.
    public var location: SourceLocation?

    /// Creates an observation.
    public init(series: SeriesKey, period: Period, value: ObservedValue, sources: [String] = [], location: SourceLocation? = nil)
    {
        self.series = series
        self.period = period
        self.value = value
        self.sources = sources
        self.location = location
    }
}

/// One point of a series as rules see it.
public struct SeriesPoint: Hashable, Sendable {
    /// The period.
    public var period: Period
    /// The value.
    public var value: ObservedValue
    /// Source file hashes.
    public var sources: [String]

    /// The number, or nil when censored or unavailable.
    public var number: Double? { value.number }

    /// Creates a point.
    public init(period: Period, value: ObservedValue, sources: [String]) {
        self.period = period
        self.value = value
        self.sources = sources
    }
}
