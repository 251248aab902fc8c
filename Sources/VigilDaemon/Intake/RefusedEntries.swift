import CSystemd
import Foundation

/// Drop entries refused where they are (folders, and entries vigild could not move aside), so
/// that each is answered once, not at every scan that finds it again.
///
/// An entry is known by its identity: device and inode, and for anything but a folder its change
/// time too (a folder's changes with every entry made inside it, which the partner controls). A
/// new entry under a refused name is a new drop and is answered again. What a scan no longer
/// finds is forgotten, so memory follows what is in the folders, up to `maxPerPartner` entries per
/// partner: past that, further folders are not answered at all (a partner making a million
/// folders must not cost the service its memory, nor IT a million journal entries a minute).
/// Held in memory: after a restart each such entry is answered once more.
public struct RefusedEntries: Sendable {
    /// What identifies one entry.
    public struct Identity: Sendable, Hashable {
        /// Device.
        public var device: UInt64
        /// Inode.
        public var inode: UInt64
        /// Change time in nanoseconds; 0 for a folder.
        public var changed: Int64
        /// Whether it is a folder.
        public var isFolder: Bool

        /// The identity of an entry's `lstat`/`fstat`.
        public init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            isFolder = vigil_s_isdir(info.st_mode) != 0
            changed = isFolder ? 0 : Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
        }
    }

    private var entries: [String: [[UInt8]: Identity]] = [:]
    /// Most entries remembered per partner.
    public let maxPerPartner: Int

    /// Creates an empty set.
    public init(maxPerPartner: Int = 10_000) { self.maxPerPartner = maxPerPartner }

    /// Remembers that `name` was refused in place as `identity`; false when the partner's share
    /// is full (and the name not already remembered).
    @discardableResult
    public mutating func remember(partner: String, name: [UInt8], identity: Identity) -> Bool {
        guard entries[partner]?[name] != nil || !isFull(partner: partner) else { return false }
        entries[partner, default: [:]][name] = identity
        return true
    }

    /// Whether the partner's share is full.
    public func isFull(partner: String) -> Bool { (entries[partner]?.count ?? 0) >= maxPerPartner }

    /// Whether a name of this partner is remembered (as any entry).
    public func contains(partner: String, name: [UInt8]) -> Bool { entries[partner]?[name] != nil }

    /// Whether `name` is the very entry already refused in place.
    public func isRefused(partner: String, name: [UInt8], identity: Identity) -> Bool {
        entries[partner]?[name] == identity
    }

    /// Forgets a partner's entries whose names a scan of the whole folder did not find.
    public mutating func retain(partner: String, names: Set<[UInt8]>) {
        guard let known = entries[partner] else { return }
        let kept = known.filter { names.contains($0.key) }
        entries[partner] = kept.isEmpty ? nil : kept
    }

    /// Forgets the entries of partners not in `partners` (removed by a reload).
    public mutating func retain(partners: Set<String>) {
        entries = entries.filter { partners.contains($0.key) }
    }

    /// How many are remembered.
    public var count: Int { entries.values.reduce(0) { $0 + $1.count } }
}
