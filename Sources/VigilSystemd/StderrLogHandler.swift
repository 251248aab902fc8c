import Foundation
import Logging
import VigilCore

/// A swift-log handler for standard error (vigild without a journal, and the journal handler's
/// fallback): one line per entry, whatever the message or metadata hold.
///
/// A partner's file name reaches the log as metadata. Written raw, a name holding a newline and
/// `<0>` would forge a second, emergency-level line for whatever reads standard error (systemd
/// parses `<N>` prefixes); every value is escaped with `UntrustedText.line`.
public struct StderrLogHandler: LogHandler {
    private let label: String
    /// Entries below this level are dropped.
    public var logLevel: Logger.Level = .info
    /// Metadata attached to every entry.
    public var metadata: Logger.Metadata = [:]

    /// Creates a handler.
    public init(label: String) { self.label = label }

    /// Metadata by key.
    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// The line written for an entry (without its newline).
    public static func line(label: String, level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        let context = metadata.sorted { $0.key < $1.key }.map {
            " \(UntrustedText.line($0.key))=\(UntrustedText.line("\($0.value)"))"
        }.joined()
        return "\(label): \(level): \(UntrustedText.line(message))\(context)"
    }

    /// Writes the entry.
    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let text = StderrLogHandler.line(label: label, level: event.level, message: "\(event.message)", metadata: merged)
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
