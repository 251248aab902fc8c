import CSystemd
import Foundation

/// Files noticed in drop folders and waiting to be processed.
///
/// A file renamed in (`IN_MOVED_TO`, the documented protocol) is ready at once; one written in
/// place (SFTP, SMB) is ready when its size and modification time have not changed for `settle`
/// seconds. Dot-files (`.name.part`) are never picked up.
public struct PendingFiles: Sendable {
    struct Entry: Sendable {
        var immediate: Bool
        var size: Int64
        var mtime: Int64
        var changedAt: Double
    }

    /// Seconds a file written in place must be unchanged.
    public let settle: Double
    private var entries: [String: Entry] = [:]

    /// Creates an empty set.
    public init(settle: Double) { self.settle = settle }

    /// Keys are `partner/name`.
    static func key(_ partner: String, _ name: String) -> String { partner + "/" + name }

    /// Whether a name is picked up at all.
    public static func isCandidate(_ name: String) -> Bool { !name.hasPrefix(".") && !name.isEmpty }

    /// Notes a file; `immediate` for a rename into the folder.
    public mutating func note(partner: String, name: String, immediate: Bool, now: Double) {
        guard PendingFiles.isCandidate(name) else { return }
        let key = PendingFiles.key(partner, name)
        if var entry = entries[key] {
            entry.immediate = entry.immediate || immediate
            entries[key] = entry
        } else {
            entries[key] = Entry(immediate: immediate, size: -1, mtime: -1, changedAt: now)
        }
    }

    /// Number waiting.
    public var count: Int { entries.count }

    /// The files ready now, in name order; files that vanished are dropped.
    /// `stat` is injected (tests) and returns (size, mtime in ns) or nil when gone.
    public mutating func ready(now: Double, stat: (String, String) -> (Int64, Int64)?) -> [(partner: String, name: String)] {
        var out: [(String, String)] = []
        for key in entries.keys.sorted() {
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, var entry = entries[key] else { continue }
            guard let (size, mtime) = stat(parts[0], parts[1]) else {
                entries[key] = nil
                continue
            }
            if entry.immediate {
                out.append((parts[0], parts[1]))
                entries[key] = nil
                continue
            }
            if size != entry.size || mtime != entry.mtime {
                entry.size = size
                entry.mtime = mtime
                entry.changedAt = now
                entries[key] = entry
            } else if now - entry.changedAt >= settle {
                out.append((parts[0], parts[1]))
                entries[key] = nil
            }
        }
        return out.map { (partner: $0.0, name: $0.1) }
    }

    /// Seconds until the next in-place file could settle (for the poll timeout), or nil.
    public func nextDeadline(now: Double) -> Double? {
        entries.values.map { $0.immediate ? 0 : max(0, $0.changedAt + settle - now) }.min()
    }

    /// `lstat` of a drop entry: (size, mtime ns), or nil when it does not exist.
    public static func lstatEntry(_ folder: String, _ name: String) -> (Int64, Int64)? {
        var info = stat()
        guard lstat(folder + "/" + name, &info) == 0 else { return nil }
        return (Int64(info.st_size), Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }
}
