import CSystemd
import Foundation
import VigilConfiguration
import VigilCore
import VigilService
import VigilSystemd

/// Takes dropped files without trusting the drop folder or the partner who still owns the inode.
///
/// As Postfix's `pickup` does with the maildrop, Vigil copies what it takes into a queue it owns:
/// 1. `openat(O_NOFOLLOW|O_NONBLOCK)` on a dirfd, then `fstat` on that descriptor: only a regular
///    file with one link within the size limit goes on (anything else is moved aside unread);
/// 2. the drop entry is renamed into the processing folder as `<claim>.orig` (out of the
///    partner's folder), and must still be the inode that was checked;
/// 3. the approved descriptor is copied into `<claim>.part` (created `O_EXCL|O_NOFOLLOW`, mode
///    0600), stopping at `maxBytes + 1`; `fstat` again must show the size and modification time
///    it started with, and exactly that many bytes read;
/// 4. the copy is fsync'd and renamed to `<claim>`; the partner's inode is unlinked.
/// A partner that kept a descriptor open can grow, shrink or rewrite its own inode at any moment:
/// it never reaches Vigil's copy, and a change during the copy refuses the file.
public struct SafeIntake: Sendable {
    /// The private processing folder (same file system as the drop tree).
    public let processing: String
    /// Largest file accepted.
    public let maxBytes: Int
    /// Moves a folder back to its partner's folder (`putBack`; a seam for tests: as root, the
    /// tests cannot be refused the rename that a partner's `fchmod` refuses the service).
    var renameBack: @Sendable (Int32, [CChar], Int32, String) -> Bool = SafeIntake.putBack

    /// Creates the intake.
    public init(processing: String, maxBytes: Int) {
        self.processing = processing
        self.maxBytes = maxBytes
    }

    /// What became of a claim.
    public enum Outcome: Sendable {
        /// Vigil's copy is ready for processing.
        case claimed(ClaimedFile)
        /// Refused; the entry was moved aside unread (or its partial copy removed).
        case refused(IntakeRefusal)
        /// Refused and left where it is: a folder (never moved into Vigil's tree), or an entry
        /// that could not be moved aside. The caller remembers its identity to answer it once.
        case refusedInPlace(IntakeRefusal, RefusedEntries.Identity)
        /// The entry was gone before it could be taken.
        case vanished
    }

    /// Claims `name` from a partner's drop folder. `record` is called (and must commit the claim)
    /// after the checks and before the entry leaves the drop folder. On refusal the entry itself
    /// (link, FIFO, oversized file…) is moved to `refusedFolder` unread, so it is reported once;
    /// a folder is refused where it is (see `refuse`).
    public func claim(
        folder: String, partner: String, name: String, claimId: String, refusedFolder: String, record: () throws -> Void
    ) -> Outcome {
        let dirfd = open(folder, O_RDONLY | vigil_o_directory() | vigil_o_nofollow() | vigil_o_cloexec())
        guard dirfd >= 0 else { return .refused(.unreadable("drop folder: \(String(cString: strerror(errno)))")) }
        defer { close(dirfd) }
        let fd = openat(dirfd, name, O_RDONLY | vigil_o_nofollow() | vigil_o_nonblock() | vigil_o_cloexec())
        if fd < 0 {
            let code = errno
            switch code {
            case ENOENT: return .vanished
            case ELOOP: return refuse(.symlink, dirfd, name, seen: nil, refusedFolder, claimId)
            case EACCES, ENXIO, EPERM:
                // A socket (ENXIO) or device it may not open is no regular file, and says so
                // (review helper-38: a socket was told to change its mode).
                var info = stat()
                if fstatat(dirfd, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT != S_IFREG {
                    return refuse(
                        .notRegular(kind: IntakeRefusal.kind(info.st_mode)), dirfd, name, seen: nil, refusedFolder, claimId)
                }
                // Not readable by the service (e.g. mode 0600): move it aside once, unread.
                return refuse(
                    .unreadable("permission denied: give the partner group read access (mode 0640)"), dirfd, name, seen: nil,
                    refusedFolder, claimId)
            default:
                return refuse(.unreadable(String(cString: strerror(code))), dirfd, name, seen: nil, refusedFolder, claimId)
            }
        }
        defer { close(fd) }
        var before = stat()
        guard fstat(fd, &before) == 0 else { return .refused(.unreadable(String(cString: strerror(errno)))) }
        if let refusal = IntakeRefusal.check(fd, before, maxBytes: maxBytes) {
            return refuse(refusal, dirfd, name, seen: before, refusedFolder, claimId)
        }
        let target = open(processing, O_RDONLY | vigil_o_directory() | vigil_o_nofollow() | vigil_o_cloexec())
        guard target >= 0 else { return .refused(.unreadable("processing folder: \(String(cString: strerror(errno)))")) }
        defer { close(target) }
        do {
            try record()
        } catch {
            return .refused(.unreadable("the claim could not be recorded: \(error)"))
        }
        // Out of the partner's folder: from here the name is Vigil's.
        guard renameat(dirfd, name, target, claimId + ".orig") == 0 else {
            let code = errno
            if code == ENOENT { return .vanished }
            return refuse(
                .unreadable("claim: \(String(cString: strerror(code)))"), dirfd, name, seen: nil, refusedFolder, claimId)
        }
        var moved = stat()
        guard fstatat(target, claimId + ".orig", &moved, AT_SYMLINK_NOFOLLOW) == 0, moved.st_dev == before.st_dev,
            moved.st_ino == before.st_ino
        else {
            // Another entry took the name since the check; a folder goes back to the partner.
            moveAside(target, claimId + ".orig", refusedFolder, claimId, home: dirfd, partner: partner)
            return .refused(.replaced)
        }
        return copy(
            from: fd, approved: before, target: target, home: dirfd, claimId: claimId, partner: partner, name: name,
            refusedFolder: refusedFolder)
    }

    /// Finishes a claim a crash interrupted after the entry left the drop folder (`<claim>.orig`
    /// is there, its copy is not): checks and copies it again. `folder` is the partner's drop
    /// folder, where a folder found under the claim's name is put back.
    public func resumeCopy(claimId: String, partner: String, name: String, folder: String, refusedFolder: String) -> Outcome {
        let target = open(processing, O_RDONLY | vigil_o_directory() | vigil_o_nofollow() | vigil_o_cloexec())
        guard target >= 0 else { return .refused(.unreadable("processing folder: \(String(cString: strerror(errno)))")) }
        defer { close(target) }
        let home = open(folder, O_RDONLY | vigil_o_directory() | vigil_o_nofollow() | vigil_o_cloexec())
        defer { if home >= 0 { close(home) } }
        unlinkat(target, claimId + ".part", 0)
        let fd = openat(target, claimId + ".orig", O_RDONLY | vigil_o_nofollow() | vigil_o_nonblock() | vigil_o_cloexec())
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { return .vanished }
            moveAside(target, claimId + ".orig", refusedFolder, claimId, home: home, partner: partner)
            return .refused(.unreadable(String(cString: strerror(code))))
        }
        defer { close(fd) }
        var before = stat()
        guard fstat(fd, &before) == 0 else { return .refused(.unreadable(String(cString: strerror(errno)))) }
        if let refusal = IntakeRefusal.check(fd, before, maxBytes: maxBytes) {
            moveAside(target, claimId + ".orig", refusedFolder, claimId, home: home, partner: partner)
            return .refused(refusal)
        }
        return copy(
            from: fd, approved: before, target: target, home: home, claimId: claimId, partner: partner, name: name,
            refusedFolder: refusedFolder)
    }

    /// Copies the approved descriptor into `<claim>.part` (at most `maxBytes + 1` bytes read),
    /// checks it did not change, then makes the copy `<claim>` and unlinks `<claim>.orig`.
    private func copy(
        from fd: Int32, approved before: stat, target: Int32, home: Int32, claimId: String, partner: String, name: String,
        refusedFolder: String
    ) -> Outcome {
        let part = claimId + ".part"
        let out = openat(target, part, O_WRONLY | O_CREAT | O_EXCL | vigil_o_nofollow() | vigil_o_cloexec(), 0o600)
        guard out >= 0 else { return .refused(.unreadable("copy: \(String(cString: strerror(errno)))")) }
        var total = 0
        var failure: IntakeRefusal?
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while failure == nil {
            let want = min(buffer.count, maxBytes + 1 - total)
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, want, off_t(total)) }
            if n < 0 {
                if errno == EINTR { continue }
                failure = .unreadable(String(cString: strerror(errno)))
                break
            }
            if n == 0 { break }
            total += n
            if total > maxBytes {
                failure = .overLimitWhenRead(limit: maxBytes)
                break
            }
            var offset = 0
            while offset < n {
                let w = buffer[offset..<n].withUnsafeBytes { write(out, $0.baseAddress, $0.count) }
                if w < 0 {
                    if errno == EINTR { continue }
                    failure = .unreadable("copy: \(String(cString: strerror(errno)))")
                    break
                }
                offset += w
            }
        }
        var after = stat()
        if failure == nil {
            if fstat(fd, &after) != 0 || after.st_size != before.st_size || after.st_mtim.tv_sec != before.st_mtim.tv_sec
                || after.st_mtim.tv_nsec != before.st_mtim.tv_nsec || total != Int(before.st_size)
            {
                failure = .changed
            }
        }
        if failure == nil && fsync(out) != 0 { failure = .unreadable("copy: \(String(cString: strerror(errno)))") }
        close(out)
        if let failure {
            unlinkat(target, part, 0)
            moveAside(target, claimId + ".orig", refusedFolder, claimId, home: home, partner: partner)
            return .refused(failure)
        }
        guard renameat(target, part, target, claimId) == 0 else {
            unlinkat(target, part, 0)
            return .refused(.unreadable("copy: \(String(cString: strerror(errno)))"))
        }
        unlinkat(target, claimId + ".orig", 0)
        fsync(target)
        return .claimed(ClaimedFile(claim: claimId, partner: partner, name: name, path: processing + "/" + claimId))
    }

    /// Refuses the entry `name` in `dirfd` unread. It is moved into `refusedFolder` (so it is
    /// reported once), except a folder: its owner keeps every right over it, including over
    /// what is inside it, so it is never moved into Vigil's tree and is refused where it is;
    /// so is an entry that cannot be moved. `seen` is its `fstat`, when it was opened.
    private func refuse(
        _ refusal: IntakeRefusal, _ dirfd: Int32, _ name: [CChar], seen: stat?, _ refusedFolder: String, _ claimId: String
    ) -> Outcome {
        var info = stat()
        if let seen {
            info = seen
        } else if fstatat(dirfd, name, &info, AT_SYMLINK_NOFOLLOW) != 0 {
            return errno == ENOENT ? .vanished : .refused(refusal)
        }
        if vigil_s_isdir(info.st_mode) != 0 {
            // The name is judged before the entry, as `vigil check` judges it (review helper-39).
            let why = refusal == .nameNotUTF8 ? refusal : .notRegular(kind: IntakeRefusal.kind(info.st_mode))
            return .refusedInPlace(why, RefusedEntries.Identity(info))
        }
        if moveAside(dirfd, name, refusedFolder, claimId, home: dirfd) { return .refused(refusal) }
        return .refusedInPlace(refusal, RefusedEntries.Identity(info))
    }

    private func refuse(
        _ refusal: IntakeRefusal, _ dirfd: Int32, _ name: String, seen: stat?, _ refusedFolder: String, _ claimId: String
    ) -> Outcome {
        refuse(refusal, dirfd, Array(name.utf8CString), seen: seen, refusedFolder, claimId)
    }

    /// Moves an entry (by name, in `dirfd`) into `folder` as `claimId`, unread; returns whether it
    /// left `dirfd`. A folder is never moved in: one found there (or swapped in during the move)
    /// goes back to the partner's folder `home` as `.vigil-refused-<claim>`, a name never taken.
    @discardableResult
    func moveAside(_ dirfd: Int32, _ name: [CChar], _ folder: String, _ claimId: String, home: Int32, partner: String = "")
        -> Bool
    {
        let returned = SafeIntake.returnedPrefix + claimId
        var info = stat()
        if fstatat(dirfd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && vigil_s_isdir(info.st_mode) != 0 {
            guard home >= 0 && home != dirfd else { return false }
            if renameBack(dirfd, name, home, returned) { return true }
            // Swapped into the processing folder and then made unwritable to the service (`fchmod`
            // on a descriptor the partner kept): a folder whose `..` would change cannot move to
            // another folder, so it is set apart in this one, out of the claims' way, and returned
            // at each start (`returnSetApart`).
            guard !partner.isEmpty else { return false }
            return renameat(dirfd, name, dirfd, SafeIntake.setApartPrefix + partner + "." + claimId) == 0
        }
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let target = open(folder, O_RDONLY | vigil_o_directory() | vigil_o_nofollow() | vigil_o_cloexec())
        guard target >= 0 else { return false }
        defer { close(target) }
        guard renameat(dirfd, name, target, claimId) == 0 else { return false }
        if fstatat(target, claimId, &info, AT_SYMLINK_NOFOLLOW) == 0 && vigil_s_isdir(info.st_mode) != 0 && home >= 0 {
            _ = renameBack(target, Array(claimId.utf8CString), home, returned)
        }
        return true
    }

    /// Moves a folder back to the partner's folder as `returned`, or, when a partner took that
    /// name first (claim ids can be guessed), as `returned-<random>`, so it never stays in Vigil's tree.
    static func putBack(_ dirfd: Int32, _ name: [CChar], _ home: Int32, _ returned: String) -> Bool {
        if renameat(dirfd, name, home, returned) == 0 { return true }
        return renameat(dirfd, name, home, returned + "-" + UUID().uuidString) == 0
    }

    /// The prefix of a folder set apart in the processing folder: `.returning.<partner>.<claim>`.
    static let setApartPrefix = ".returning."
    /// The prefix of a folder given back to its partner's folder: `.vigil-refused-<claim>`.
    static let returnedPrefix = ".vigil-refused-"

    /// Returns the folders set apart in the processing folder to their partners' drop folders
    /// (`dropFolder`; nil for a partner no longer configured) as `.vigil-refused-<claim>`, and
    /// gives the names of those still set apart.
    public func returnSetApart(dropFolder: (String) -> String?) -> [String] {
        let target = open(processing, O_RDONLY | vigil_o_directory() | vigil_o_nofollow() | vigil_o_cloexec())
        guard target >= 0 else { return [] }
        defer { close(target) }
        var left: [String] = []
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: processing)) ?? []
        for entry in entries.sorted() where entry.hasPrefix(SafeIntake.setApartPrefix) {
            let rest = entry.dropFirst(SafeIntake.setApartPrefix.count)
            guard let dot = rest.lastIndex(of: "."), let folder = dropFolder(String(rest[..<dot])) else {
                left.append(entry)
                continue
            }
            let home = open(folder, O_RDONLY | vigil_o_directory() | vigil_o_nofollow() | vigil_o_cloexec())
            defer { if home >= 0 { close(home) } }
            let returned = SafeIntake.returnedPrefix + rest[rest.index(after: dot)...]
            if home < 0 || !renameBack(target, Array(entry.utf8CString), home, returned) { left.append(entry) }
        }
        return left
    }

    @discardableResult
    func moveAside(_ dirfd: Int32, _ name: String, _ folder: String, _ claimId: String, home: Int32, partner: String = "")
        -> Bool
    {
        moveAside(dirfd, Array(name.utf8CString), folder, claimId, home: home, partner: partner)
    }

    /// Refuses an entry whose name is raw bytes (not UTF-8), unread: moved into `refusedFolder`
    /// as `claimId`, or left where it is (a folder, or when it cannot be moved).
    public func refuse(_ refusal: IntakeRefusal, folder: String, rawName: [UInt8], refusedFolder: String, claimId: String)
        -> Outcome
    {
        let dirfd = open(folder, O_RDONLY | vigil_o_directory() | vigil_o_nofollow() | vigil_o_cloexec())
        guard dirfd >= 0 else { return .refused(.unreadable("drop folder: \(String(cString: strerror(errno)))")) }
        defer { close(dirfd) }
        return refuse(refusal, dirfd, rawName.map { CChar(bitPattern: $0) } + [0], seen: nil, refusedFolder, claimId)
    }
}
