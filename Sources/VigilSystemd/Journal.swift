import CSystemd
import Foundation

/// Structured entries to the systemd journal through `sd_journal_sendv`.
///
/// Field names must be `[A-Z0-9_]`, not start with `_` or a digit, at most 64 characters; invalid
/// names are dropped here rather than silently by journald.
public struct Journal: Sendable {
    /// The syslog identifier every entry carries (`journalctl -t vigild`).
    public let identifier: String

    /// Connects if a journal socket exists; nil on a machine without journald (a laptop, a container).
    public static func connect(identifier: String = "vigild", socket: String = "/run/systemd/journal/socket") -> Journal? {
        FileManager.default.fileExists(atPath: socket) ? Journal(identifier: identifier) : nil
    }

    /// Whether journald listens on `socket` now: a socket file left behind by a journald that has
    /// stopped refuses the connection, which a check for the file alone would miss.
    public static func isReachable(socket: String = "/run/systemd/journal/socket") -> Bool {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let path = Array(socket.utf8)
        guard path.count < MemoryLayout.size(ofValue: address.sun_path) else { return false }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.enumerated() { raw[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return result == 0
    }

    /// Where entries go instead of journald, when set (see `init(identifier:deliver:)`).
    private let deliver: (@Sendable ([(String, String)]) -> Bool)?

    /// Creates a journal writer (use `connect` to check that journald is reachable).
    public init(identifier: String) {
        self.identifier = identifier
        deliver = nil
    }

    /// A journal whose entries (all fields, in order) go to `deliver`, which returns whether it
    /// took them: for embedding elsewhere, and for tests of a journald that refuses.
    public init(identifier: String, deliver: @escaping @Sendable ([(String, String)]) -> Bool) {
        self.identifier = identifier
        self.deliver = deliver
    }

    /// Whether a field name is acceptable to journald.
    public static func isValidField(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 64, first != UInt8(ascii: "_"), !(48...57).contains(first) else {
            return false
        }
        return name.utf8.allSatisfy { (65...90).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "_") }
    }

    /// Sends one entry. `MESSAGE`, `PRIORITY` and `SYSLOG_IDENTIFIER` are added when absent.
    /// Returns false when journald refused it.
    @discardableResult
    public func send(message: String, priority: JournalPriority, fields: [(String, String)] = []) -> Bool {
        var all: [(String, String)] = [
            ("MESSAGE", message), ("PRIORITY", String(priority.rawValue)), ("SYSLOG_IDENTIFIER", identifier),
        ]
        all += fields.filter { Journal.isValidField($0.0) && !["MESSAGE", "PRIORITY", "SYSLOG_IDENTIFIER"].contains($0.0) }
        if let deliver { return deliver(all) }
        // One contiguous buffer; iovecs point into it inside a single closure, never escaping it.
        var buffer: [UInt8] = []
        var ranges: [Range<Int>] = []
        for (name, value) in all {
            let start = buffer.count
            buffer += Array(name.utf8)
            buffer.append(UInt8(ascii: "="))
            buffer += Array(value.utf8)
            ranges.append(start..<buffer.count)
        }
        let result = buffer.withUnsafeMutableBytes { raw -> Int32 in
            var iovecs = ranges.map { iovec(iov_base: raw.baseAddress! + $0.lowerBound, iov_len: $0.count) }
            return iovecs.withUnsafeMutableBufferPointer { sd_journal_sendv($0.baseAddress, Int32($0.count)) }
        }
        return result >= 0
    }
}
