/// A position in a source file: which file, and (when known) the 1-based line and column.
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The file's path as given to Vigil (or a label such as `<memory>`).
    public var file: String
    /// 1-based line, or nil when the error concerns the whole file.
    public var line: Int?
    /// 1-based column, or nil when only the line is known.
    public var column: Int?

    /// Creates a location.
    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, omitting the parts that are unknown.
    public var description: String {
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }

    /// Orders the values.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line ?? 0, lhs.column ?? 0) < (rhs.file, rhs.line ?? 0, rhs.column ?? 0)
    }
}

/// Every error Vigil reports: a stable code, a readable message, where it happened and why.
///
/// The `description` is the contract tests assert: `file:line:column: error[code]: message`.
public struct VigilError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable machine-readable error codes.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// The code's text, e.g. `feed.value`.
        public var rawValue: String
        /// Creates a code from its text.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's text.
        public var description: String { rawValue }

        /// A file could not be read or decoded at all.
        public static let unreadable = Code(rawValue: "file.unreadable")
        /// The CSV or JSON structure is broken (quotes, ragged rows, bad UTF-8).
        public static let syntax = Code(rawValue: "feed.syntax")
        /// The header is missing, duplicated or names an unknown column.
        public static let header = Code(rawValue: "feed.header")
        /// An indicator id is not in the catalogue.
        public static let unknownIndicator = Code(rawValue: "feed.indicator")
        /// A period's text is malformed or of the wrong periodicity.
        public static let period = Code(rawValue: "feed.period")
        /// A value is not a number or known disclosure marker.
        public static let value = Code(rawValue: "feed.value")
        /// A breakdown value is not declared for its dimension.
        public static let dimension = Code(rawValue: "feed.dimension")
        /// The partner may not supply this indicator.
        public static let permission = Code(rawValue: "feed.permission")
        /// Two rows give the same indicator, period and breakdown.
        public static let duplicate = Code(rawValue: "feed.duplicate")
        /// Storing the file would give its partner more values than `max_values_per_partner`.
        public static let quota = Code(rawValue: "feed.quota")
        /// Configuration is invalid.
        public static let config = Code(rawValue: "config.invalid")
        /// A rule is invalid.
        public static let rule = Code(rawValue: "rule.invalid")
        /// The store failed.
        public static let store = Code(rawValue: "store.failed")
        /// The store is held by a running vigild (or a restore in progress).
        public static let storeLocked = Code(rawValue: "store.locked")
        /// More errors were found than are listed.
        public static let truncated = Code(rawValue: "feed.more")
        /// A rule unit test failed.
        public static let ruleTest = Code(rawValue: "rule.test")
    }

    /// What kind of error this is.
    public var code: Code
    /// What went wrong and what was expected, in plain English.
    public var message: String
    /// Where, when known.
    public var location: SourceLocation?
    /// A lower-level error that caused this one, if any.
    public var cause: String?

    /// Creates an error.
    public init(code: Code, message: String, location: SourceLocation? = nil, cause: String? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.cause = cause
    }

    /// `file:line:column: error[code]: message (cause)`.
    public var description: String {
        var text = ""
        if let location { text += "\(location): " }
        text += "error[\(code)]: \(message)"
        if let cause { text += " (\(cause))" }
        return text
    }
}

/// Several errors at once: Vigil reports every error in a file or a configuration, not just the first.
public struct VigilErrors: Error, Sendable, CustomStringConvertible {
    /// The errors, in source order.
    public var errors: [VigilError]
    /// Creates the aggregate, sorting by location.
    public init(_ errors: [VigilError]) {
        self.errors = errors.sorted { ($0.location ?? SourceLocation(file: "")) < ($1.location ?? SourceLocation(file: "")) }
    }
    /// One error per line.
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
