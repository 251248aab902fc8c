import CSystemd
import Foundation
import VigilService
import VigilSystemd

/// Files noticed in drop folders and waiting to be processed, in arrival order.
///
/// A file renamed in (`IN_MOVED_TO`, the documented protocol) is ready at once; one written in
/// place (SFTP, SMB), or found by a scan, is ready when its size and modification time have not
/// changed for `settle` seconds. Dot-files (`.name.part`) are never picked up.
///
/// **Order.** Within a partner, files are taken in the order they arrived: by the inode's change
/// time (`st_ctime`, set by the kernel when the file is renamed in or written, and not settable
/// by its owner), then by name. A file that is not ready yet holds back the partner's later ones,
/// so a restart (where every file is found by a scan and must settle) takes them in the same
/// order as an uninterrupted run, and an earlier revision never lands after a later one.
///
/// **Fairness and bounds.** Partners take turns (one file each, in partner name order), and one
/// `ready` hands out at most `batchPerPartner` files of a partner, so a flood from one partner
/// delays another's file by one turn, not by the whole flood. At most `maxWaitingPerPartner`
/// names are held per partner; past that, names are not noted, and a later scan finds them as
/// the earlier ones clear (in a flood that large, the order across the cut is the scan's). A
/// partner `paused` (its journal entries wait for the pace) has its files wait, in order.
public struct PendingFiles: Sendable {
    /// What `lstat` says of a drop entry.
    public struct Look: Sendable, Equatable {
        /// Size in bytes.
        public var size: Int64
        /// Modification time, nanoseconds since the epoch.
        public var mtime: Int64
        /// Change time, nanoseconds since the epoch: when it arrived (renamed in) or last changed.
        public var ctime: Int64
        /// Which entry it is (device, inode), when read from the file system.
        public var identity: RefusedEntries.Identity?
        /// Creates a look.
        public init(size: Int64, mtime: Int64, ctime: Int64, identity: RefusedEntries.Identity? = nil) {
            self.size = size
            self.mtime = mtime
            self.ctime = ctime
            self.identity = identity
        }
    }

    struct Entry: Sendable {
        var immediate: Bool
        var look: Look?
        var changedAt: Double
        /// Held back by an earlier file of the same partner at the last `ready`.
        var held = false
    }

    /// Seconds a file written in place must be unchanged.
    public let settle: Double
    /// Most files of one partner handed out by one `ready`.
    public let batchPerPartner: Int
    /// Most names held for one partner.
    public let maxWaitingPerPartner: Int
    /// Partners whose files wait, noted but not handed out and with no deadline: those with too
    /// many journal entries held back by the pace (`IntakeLoop`).
    public var paused: Set<String> = []
    /// Partners paused during the current batch: the rest of their batch is put back.
    private var putBack: Set<String> = []
    private var entries: [String: [String: Entry]] = [:]

    /// Creates an empty set.
    public init(settle: Double, batchPerPartner: Int = 32, maxWaitingPerPartner: Int = 10_000) {
        self.settle = settle
        self.batchPerPartner = batchPerPartner
        self.maxWaitingPerPartner = maxWaitingPerPartner
    }

    /// Whether a name is picked up at all.
    public static func isCandidate(_ name: String) -> Bool { !name.hasPrefix(".") && !name.isEmpty }

    /// The name an entry is held under: its own when it is UTF-8; otherwise NUL (which no file
    /// name holds) and its bytes in hex, so it takes its turn and counts against the partner's
    /// bounds like any other (`isRaw`, `rawName(of:)`). Nil for an empty name or a dot-name.
    public static func key(rawName: [UInt8]) -> String? {
        guard let first = rawName.first, first != UInt8(ascii: ".") else { return nil }
        if let name = String(validating: rawName, as: UTF8.self) { return name }
        let hex = Array("0123456789abcdef".utf8)
        return "\u{0}" + String(decoding: rawName.flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] }, as: UTF8.self)
    }

    /// Whether a held name stands for one that is not UTF-8.
    public static func isRaw(_ name: String) -> Bool { name.utf8.first == 0 }

    /// The bytes of the entry name a held name stands for.
    public static func rawName(of name: String) -> [UInt8] {
        guard isRaw(name) else { return Array(name.utf8) }
        func nibble(_ c: UInt8) -> UInt8 { c <= UInt8(ascii: "9") ? c - UInt8(ascii: "0") : c - UInt8(ascii: "a") + 10 }
        let digits = Array(name.utf8.dropFirst())
        return stride(from: 0, to: digits.count - 1, by: 2).map { nibble(digits[$0]) << 4 | nibble(digits[$0 + 1]) }
    }

    /// Notes a file; `immediate` for a rename into the folder. Returns false when the name is
    /// not held: not a candidate, or the partner already has `maxWaitingPerPartner` waiting.
    @discardableResult
    public mutating func note(partner: String, name: String, immediate: Bool, now: Double) -> Bool {
        guard PendingFiles.isCandidate(name) else { return false }
        if var entry = entries[partner]?[name] {
            entry.immediate = entry.immediate || immediate
            entries[partner]![name] = entry
        } else {
            guard hasRoom(partner: partner) else { return false }
            entries[partner, default: [:]][name] = Entry(immediate: immediate, look: nil, changedAt: now)
        }
        return true
    }

    /// Forgets the names of partners not in `partners` (removed by a reload).
    public mutating func retain(partners: Set<String>) {
        entries = entries.filter { partners.contains($0.key) }
    }

    /// Whether another name of this partner can be held.
    public func hasRoom(partner: String) -> Bool { (entries[partner]?.count ?? 0) < maxWaitingPerPartner }

    /// Number waiting.
    public var count: Int { entries.values.reduce(0) { $0 + $1.count } }

    /// The files ready now: each partner's files in arrival order up to the first that is not
    /// ready (at most `batchPerPartner`), partners taking turns; files that vanished are dropped.
    /// `stat` is injected (tests) and returns the entry's look, or nil when it is gone.
    public mutating func ready(now: Double, stat: (String, String) -> Look?) -> [(partner: String, name: String)] {
        putBack = []
        var turns: [[(partner: String, name: String)]] = []
        for partner in entries.keys.sorted() where !paused.contains(partner) {
            var out: [(partner: String, name: String)] = []
            var waiting = entries[partner]!
            var order: [(name: String, look: Look)] = []
            for (name, var entry) in waiting {
                guard let look = stat(partner, name) else {
                    waiting[name] = nil
                    continue
                }
                if entry.look?.size != look.size || entry.look?.mtime != look.mtime {
                    entry.changedAt = now
                }
                entry.look = look
                waiting[name] = entry
                order.append((name, look))
            }
            order.sort { ($0.look.ctime, $0.name) < ($1.look.ctime, $1.name) }
            var blocked = false
            for (name, _) in order {
                // Seen changing only now (a first look) counts as a change: it must settle.
                let isReady =
                    waiting[name]!.immediate || (now - waiting[name]!.changedAt >= settle && waiting[name]!.changedAt < now)
                if blocked || !isReady || out.count == batchPerPartner {
                    // Past the batch, ready files wait their turn without holding back later ones.
                    waiting[name]!.held = blocked
                    blocked = blocked || !isReady
                    continue
                }
                out.append((partner, name))
                waiting[name] = nil
            }
            entries[partner] = waiting.isEmpty ? nil : waiting
            turns.append(out)
        }
        var out: [(partner: String, name: String)] = []
        for turn in 0..<(turns.map(\.count).max() ?? 0) {
            for files in turns where turn < files.count { out.append(files[turn]) }
        }
        return out
    }

    /// Whether a file of the current batch is taken now: not when its partner is paused, or was
    /// paused earlier in the batch; such a file is noted again, to settle and come in its turn
    /// (so a later revision never overtakes an earlier one put back).
    public mutating func admits(partner: String, name: String, now: Double) -> Bool {
        guard paused.contains(partner) || putBack.contains(partner) else { return true }
        putBack.insert(partner)
        note(partner: partner, name: name, immediate: false, now: now)
        return false
    }

    /// The partners with files noted.
    public var partners: [String] { entries.keys.sorted() }

    /// Seconds until the next file could be ready (for the poll timeout), or nil.
    public func nextDeadline(now: Double) -> Double? {
        // A file held back by an earlier one waits for that one's deadline, not its own.
        entries.filter { !paused.contains($0.key) }.values.flatMap(\.values).filter { !$0.held }.map {
            $0.immediate ? 0 : max(0, $0.changedAt + settle - now)
        }
        .min()
    }

    /// `lstat` of a drop entry (by its held name), or nil when it does not exist.
    public static func lstatEntry(_ folder: String, _ name: String) -> Look? {
        var info = stat()
        let path = (Array(folder.utf8) + [UInt8(ascii: "/")] + rawName(of: name)).map { CChar(bitPattern: $0) } + [0]
        guard lstat(path, &info) == 0 else { return nil }
        return Look(
            size: Int64(info.st_size), mtime: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec),
            ctime: Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec),
            identity: RefusedEntries.Identity(info))
    }
}
