import Foundation
import VigilCore

/// The alert files: an append-only JSON Lines event log and the current `firing.json`.
public struct AlertFiles: Sendable {
    /// The folder holding them.
    public let folder: String

    /// Creates the writer.
    public init(folder: String) { self.folder = folder }

    /// `alerts.jsonl`.
    public var logPath: String { (folder as NSString).appendingPathComponent("alerts.jsonl") }
    /// `firing.json`.
    public var firingPath: String { (folder as NSString).appendingPathComponent("firing.json") }

    /// Event ids already in the log (to never write an event twice after a crash). A partial last
    /// line (a crash in the middle of an append) is cut off first: its event is still pending and
    /// will be written whole.
    public func loggedIds() -> Set<String> {
        guard var data = FileManager.default.contents(atPath: logPath) else { return [] }
        if let last = data.last, last != UInt8(ascii: "\n") {
            let keep = (data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 }) ?? 0
            truncate(logPath, off_t(keep))
            data = data.prefix(keep)
        }
        var ids = Set<String>()
        for line in data.split(separator: UInt8(ascii: "\n")) {
            // Each line starts with {"id":"<id>", by contract.
            let prefix = Array("{\"id\":\"".utf8)
            guard line.count > prefix.count, line.starts(with: prefix) else { continue }
            let rest = line.dropFirst(prefix.count)
            if let end = rest.firstIndex(of: UInt8(ascii: "\"")) {
                ids.insert(String(decoding: rest[rest.startIndex..<end], as: UTF8.self))
            }
        }
        return ids
    }

    /// Appends event lines (fsync'd).
    public func append(_ lines: [String]) throws {
        guard !lines.isEmpty else { return }
        try DurableFile.append(lines.map { $0 + "\n" }.joined(), to: logPath)
    }

    /// Rewrites `firing.json` atomically with the alerts firing now.
    public func writeFiring(_ records: [AlertRecord], generatedAt: String) throws {
        let items = records.filter { $0.state == .firing }.map { record -> String in
            var w = JSONWriter()
            w.string("since", record.start)
            w.string("latest_period", record.latestPeriod)
            w.raw("event", record.firingEvent.jsonLine)
            if let current = record.current, current.period != record.firingEvent.period { w.raw("current", current.jsonLine) }
            return w.finish()
        }
        let text = "{\"generated_at\":\(JSONWriter.quote(generatedAt)),\"firing\":[\n" + items.joined(separator: ",\n") + "\n]}\n"
        try DurableFile.replace(firingPath, with: text)
    }
}
