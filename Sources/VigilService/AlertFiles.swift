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

    /// The ids of the events at the end of the log, oldest first: the lines a crash could have
    /// appended without marking them done (at most one batch of 500), so none is written twice.
    /// Only the last `tailBytes` are read (16 MiB: 500 lines of up to 32 KiB), never the whole
    /// log, which grows for years; a line the tail starts inside is skipped. A partial last line
    /// (a crash in the middle of an append) is cut off first: its event is still pending and will
    /// be written whole.
    public func recentIds(tailBytes: Int = 16 << 20) -> [String] {
        let fd = open(logPath, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return [] }
        let size = Int(info.st_size)
        // One byte more than the tail, to know whether the tail starts at a line's start.
        let start = max(0, size - tailBytes - 1)
        var data = [UInt8](repeating: 0, count: size - start)
        let read = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
        guard read == data.count else { return [] }
        if data.last != UInt8(ascii: "\n") {
            let keep = data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
            if start == 0 || keep > 0 {
                _ = ftruncate(fd, off_t(start + keep))
                _ = fsync(fd)
            }
            data.removeSubrange(keep...)
        }
        var lines = data[...]
        if start > 0 {
            // Skip the extra byte and, unless it ended a line, the line the tail starts inside.
            guard let firstEnd = lines.firstIndex(of: UInt8(ascii: "\n")) else { return [] }
            lines = lines[(firstEnd + 1)...]
        }
        var ids: [String] = []
        let prefix = Array("{\"id\":\"".utf8)
        for line in lines.split(separator: UInt8(ascii: "\n")) {
            // Each line starts with {"id":"<id>", by contract.
            guard line.count > prefix.count, line.starts(with: prefix) else { continue }
            let rest = line.dropFirst(prefix.count)
            if let end = rest.firstIndex(of: UInt8(ascii: "\"")) {
                ids.append(String(decoding: rest[rest.startIndex..<end], as: UTF8.self))
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
