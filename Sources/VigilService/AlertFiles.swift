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

    /// The ids of the last `lines` events in the log, oldest first: the lines a crash could have
    /// appended without marking them done (at most one batch of 500), so none is written twice.
    /// The log is read backwards, `chunk` bytes at a time, until it has that many lines, never
    /// whole (it grows for years); lines may be of any length. A partial last line (a crash in
    /// the middle of an append) is cut off first: its event is still pending and will be written
    /// whole.
    public func recentIds(lines wanted: Int = 501, chunk: Int = 1 << 20) -> [String] {
        let fd = open(logPath, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return [] }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return [] }
        // Chunks read so far, last first; `newlines` counts the line ends in them.
        var chunks: [[UInt8]] = []
        var newlines = 0
        var offset = Int(info.st_size)
        var cutPartial = true
        while offset > 0 && newlines <= wanted {
            let start = max(0, offset - chunk)
            var data = [UInt8](repeating: 0, count: offset - start)
            let read = data.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(start)) }
            guard read == data.count else { return [] }
            offset = start
            if cutPartial {
                // Until the first line end from the back is found, the bytes are a partial line.
                if let last = data.lastIndex(of: UInt8(ascii: "\n")) {
                    cutPartial = false
                    data.removeSubrange((last + 1)...)
                    // Compared with the file's end, not this chunk's: the partial line may fill
                    // the chunks read before this one exactly.
                    if start + last + 1 < Int(info.st_size) {
                        _ = ftruncate(fd, off_t(start + last + 1))
                        _ = fsync(fd)
                    }
                } else {
                    if start == 0 {
                        _ = ftruncate(fd, 0)
                        _ = fsync(fd)
                    }
                    continue
                }
            }
            newlines += data.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            chunks.append(data)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chunks.reduce(0) { $0 + $1.count })
        for data in chunks.reversed() { bytes.append(contentsOf: data) }
        var all = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
        // Reading stopped inside a line unless it reached the start: that first piece is not a line.
        if offset > 0 { all = all.dropFirst() }
        var ids: [String] = []
        let prefix = Array("{\"id\":\"".utf8)
        for line in all.suffix(wanted) {
            // Each line starts with {"id":"<id>", by contract.
            guard line.count > prefix.count, line.starts(with: prefix) else { continue }
            let rest = line.dropFirst(prefix.count)
            if let close = rest.firstIndex(of: UInt8(ascii: "\"")) {
                ids.append(String(decoding: rest[rest.startIndex..<close], as: UTF8.self))
            }
        }
        return ids
    }

    /// What identifies the log's content so far: its file and length. Another process that
    /// appended to it since (`vigil evaluate` beside the service) changed it.
    struct LogIdentity: Equatable {
        var device: UInt64
        var inode: UInt64
        var size: Int64
    }

    /// The log's identity now, or nil when it does not exist yet.
    func logIdentity() -> LogIdentity? {
        var info = stat()
        guard stat(logPath, &info) == 0 else { return nil }
        return LogIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size))
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
