/// Collects every error found while loading configuration or parsing a feed.
///
/// A reference type so that nested readers can share it; it is used on one thread at a time.
public final class Diagnostics: @unchecked Sendable {
    /// The errors so far, in the order found.
    public private(set) var errors: [VigilError] = []

    /// An empty collector.
    public init() {}

    /// Records an error.
    public func error(_ code: VigilError.Code, _ message: String, at location: SourceLocation?) {
        errors.append(VigilError(code: code, message: message, location: location))
    }

    /// Records an existing error.
    public func append(_ error: VigilError) { errors.append(error) }

    /// Whether anything was recorded.
    public var isEmpty: Bool { errors.isEmpty }

    /// Throws all recorded errors, sorted by location, if there are any.
    public func throwIfAny() throws {
        if !errors.isEmpty { throw VigilErrors(errors) }
    }
}
