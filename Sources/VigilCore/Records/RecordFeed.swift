/// A record-level extract Vigil aggregates itself: its typed columns and the measures it yields.
public struct RecordFeed: Sendable {
    /// A filter on a row.
    public enum Filter: Sendable, Hashable {
        /// The column's value is one of these (raw values; for bools `true`/`false`).
        case oneOf(column: Int, values: [String])
        /// The column is not blank.
        case notBlank(column: Int)
        /// `to` is at least `years` calendar years after `from` (both dates present).
        case lastedYears(from: Int, to: Int, years: Int)
    }

    /// What is computed.
    public enum Measure: Sendable, Hashable {
        /// Rows.
        case count
        /// Distinct values of an id column.
        case distinct(column: Int)
        /// Sum of an int column.
        case sum(column: Int)
        /// Distinct ids by how many rows each has (1 … n, then `n_plus`).
        case distribution(column: Int)
        /// Rows active at each snapshot date: start ≤ date and (no end, or end > date).
        case active(start: Int, end: Int?, snapshots: Periodicity)
    }

    /// One output: an indicator computed from the rows.
    public struct Output: Sendable, Hashable {
        /// The indicator.
        public var indicator: String
        /// The measure.
        public var measure: Measure
        /// The date column that gives each row's period (not for `active`).
        public var periodColumn: Int?
        /// Row filters (all must hold).
        public var filters: [Filter]
        /// Indicator dimension → column whose (mapped) values break the measure down.
        public var dimensions: [(dimension: String, column: Int)]

        /// Equality ignores nothing.
        public static func == (lhs: Output, rhs: Output) -> Bool {
            lhs.indicator == rhs.indicator && lhs.measure == rhs.measure && lhs.periodColumn == rhs.periodColumn
                && lhs.filters == rhs.filters
                && lhs.dimensions.map { "\($0.dimension)=\($0.column)" } == rhs.dimensions.map { "\($0.dimension)=\($0.column)" }
        }

        /// Hashes the indicator and measure.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(indicator)
            hasher.combine(measure)
        }
    }

    /// Id, e.g. `police-missing-episodes`.
    public var id: String
    /// The partner that supplies it.
    public var partner: String
    /// Columns in header order.
    public var columns: [RecordColumn]
    /// Outputs.
    public var outputs: [Output]

    /// The exact header line that recognises it.
    public var header: [String] { columns.map(\.name) }
}
