import Foundation
import Logging
import VigilCore

/// A swift-log handler that writes to the journal with proper priorities; metadata keys become
/// `VIGIL_<KEY>` fields (upper-cased, other characters replaced by `_`). An entry journald refuses
/// goes to standard error instead.
public struct JournalLogHandler: LogHandler {
    private let journal: Journal
    private let label: String
    /// Entries below this level are dropped.
    public var logLevel: Logger.Level = .info
    /// Metadata attached to every entry.
    public var metadata: Logger.Metadata = [:]

    /// Creates a handler.
    public init(label: String, journal: Journal) {
        self.label = label
        self.journal = journal
    }

    /// Metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// journald priority for a swift-log level.
    public static func priority(_ level: Logger.Level) -> JournalPriority {
        switch level {
        case .trace, .debug: return .debug
        case .info: return .info
        case .notice: return .notice
        case .warning: return .warning
        case .error: return .error
        case .critical: return .critical
        }
    }

    /// A journal field name for a metadata key: `file` → `VIGIL_FILE`.
    public static func fieldName(_ key: String) -> String {
        let upper = key.uppercased().map { ($0.isASCII && ($0.isLetter || $0.isNumber)) ? $0 : "_" }
        let name = String(upper)
        return name.hasPrefix("VIGIL_") ? name : "VIGIL_" + name
    }

    /// Writes the entry.
    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        var fields = merged.map { (JournalLogHandler.fieldName($0.key), "\($0.value)") }
        fields.append(("CODE_FILE", event.file))
        fields.append(("CODE_LINE", String(event.line)))
        fields.append(("CODE_FUNC", event.function))
        fields.append(("VIGIL_LOGGER", label))
        // MESSAGE is one line (fields keep the raw values: the journal stores them binary-safe).
        let delivered = journal.send(
            message: UntrustedText.line("\(event.message)"), priority: JournalLogHandler.priority(event.level), fields: fields)
        if !delivered {
            // journald has stopped (its socket is still there): standard error rather than silence.
            let line = StderrLogHandler.line(label: label, level: event.level, message: "\(event.message)", metadata: merged)
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
