import CSystemd
import Foundation
import VigilService
import VigilSystemd

/// A thin inotify wrapper: watches partner folders and decodes events (the name is a flexible
/// array member Swift does not import, so the 16-byte header and name are parsed by hand).
public final class Inotify: @unchecked Sendable {
    /// One decoded event.
    public struct Event: Sendable, Equatable {
        /// The watch descriptor.
        public var wd: Int32
        /// The event mask.
        public var mask: UInt32
        /// The entry's name as the kernel gives it: any bytes but `/` and NUL (empty for events
        /// on the folder itself).
        public var rawName: [UInt8]
        /// The name, when it is valid UTF-8.
        public var name: String? { String(validating: rawName, as: UTF8.self) }

        /// Creates an event.
        public init(wd: Int32, mask: UInt32, rawName: [UInt8]) {
            self.wd = wd
            self.mask = mask
            self.rawName = rawName
        }
    }

    /// The inotify file descriptor (non-blocking).
    public let fd: Int32
    private var watches: [Int32: String] = [:]

    /// Mask used for drop folders.
    public static let dropMask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_ONLYDIR | IN_DONT_FOLLOW)

    /// Opens an inotify instance.
    public init() throws {
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { throw DurableFile.posixError("inotify_init1") }
    }

    deinit { close(fd) }

    /// Watches a folder for a key (the partner); replaces any watch for the same key.
    public func watch(_ path: String, key: String) throws {
        // Added first: the same folder keeps its watch descriptor (and the events queued under
        // it, which a reload must not drop); only a different folder's watch is removed.
        let wd = inotify_add_watch(fd, path, Inotify.dropMask)
        guard wd >= 0 else { throw DurableFile.posixError("inotify_add_watch \(path)") }
        for (old, existing) in watches where existing == key && old != wd {
            inotify_rm_watch(fd, old)
            watches[old] = nil
        }
        watches[wd] = key
    }

    /// Removes every watch whose key is not in `keep`.
    public func retain(_ keep: Set<String>) {
        for (wd, key) in watches where !keep.contains(key) {
            inotify_rm_watch(fd, wd)
            watches[wd] = nil
        }
    }

    /// The key of a watch descriptor.
    public func key(_ wd: Int32) -> String? { watches[wd] }

    /// Reads every queued event (non-blocking).
    public func read() -> [Event] {
        var events: [Event] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            events += Inotify.decode(Array(buffer[0..<n]))
        }
        return events
    }

    /// Decodes a buffer of `struct inotify_event` records (a truncated last record is dropped).
    public static func decode(_ bytes: [UInt8]) -> [Event] {
        var events: [Event] = []
        var offset = 0
        func u32(_ at: Int) -> UInt32 {
            UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 | UInt32(bytes[at + 2]) << 16 | UInt32(bytes[at + 3]) << 24
        }
        while offset + 16 <= bytes.count {
            let wd = Int32(bitPattern: u32(offset))
            let mask = u32(offset + 4)
            let length = Int(u32(offset + 12))
            guard offset + 16 + length <= bytes.count else { break }
            let raw = bytes[(offset + 16)..<(offset + 16 + length)]
            events.append(Event(wd: wd, mask: mask, rawName: Array(raw.prefix { $0 != 0 })))
            offset += 16 + length
        }
        return events
    }
}
