/// An output's filters compiled for the row loop.
extension RecordAggregator {
    /// One filter of one output, flattened: plain fields instead of an enum whose payload holds
    /// an array, so reading it per row and output copies no array and retains nothing (the
    /// nested filter arrays it replaces were about a tenth of a record-level ingest's CPU).
    struct FilterStep {
        /// What the step checks.
        enum Kind: UInt8 {
            /// The column is not blank.
            case notBlank
            /// A yes/no column's value is one the filter lets through (`yes`, `no`).
            case flag
            /// A category or text column's interned value is one the filter lets through
            /// (`filterAccepts[slot]`, filled as values are interned).
            case accepts
            /// The date in `other` is at least `years` calendar years after the date in `column`.
            case lastedYears
        }

        var kind: Kind
        /// The column filtered (the start date of `lastedYears`).
        var column: Int
        /// The end date's column of `lastedYears` (else -1).
        var other = -1
        /// The years of `lastedYears`.
        var years = 0
        /// Whether yes and no pass a `flag` step.
        var yes = false
        var no = false
        /// The step's index among `accepts` steps (else -1).
        var slot = -1

        /// The steps of every output of `feed`, output after output; where each output's steps
        /// begin (with the end as a last entry); and per `accepts` step, the values it lets
        /// through as bytes.
        static func compile(_ feed: RecordFeed) -> (steps: [FilterStep], bounds: [Int], accepted: [[[UInt8]]]) {
            var steps: [FilterStep] = []
            var bounds: [Int] = []
            var accepted: [[[UInt8]]] = []
            for output in feed.outputs {
                bounds.append(steps.count)
                for filter in output.filters {
                    switch filter {
                    case .notBlank(let c):
                        steps.append(FilterStep(kind: .notBlank, column: c))
                    case .oneOf(let c, let values) where feed.columns[c].kind == .bool:
                        let column = feed.columns[c]
                        steps.append(
                            FilterStep(
                                kind: .flag, column: c,
                                yes: values.contains("true") || values.contains { column.trueValues.contains($0) },
                                no: values.contains("false") || values.contains { column.falseValues.contains($0) }))
                    case .oneOf(let c, let values):
                        steps.append(FilterStep(kind: .accepts, column: c, slot: accepted.count))
                        accepted.append(values.map { Array($0.utf8) })
                    case .lastedYears(let from, let to, let years):
                        steps.append(FilterStep(kind: .lastedYears, column: from, other: to, years: years))
                    }
                }
            }
            bounds.append(steps.count)
            return (steps, bounds, accepted)
        }
    }
}
