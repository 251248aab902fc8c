import CSystemd
import Foundation
import VigilCore

/// Why a dropped entry was refused without being read.
public enum IntakeRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// A symbolic link (never followed).
    case symlink
    /// A hard link to a file with other names.
    case hardLink(links: Int)
    /// Not a regular file: a FIFO, device, socket or directory.
    case notRegular(kind: String)
    /// Larger than the configured limit.
    case oversized(size: Int, limit: Int)
    /// It vanished or could not be opened or read.
    case unreadable(String)

    /// The reason, for receipts and the journal.
    public var description: String {
        switch self {
        case .symlink: return "it is a symbolic link; links are never followed: copy the file itself"
        case .hardLink(let n): return "it is a hard link (\(n) names for one file); drop a file of its own"
        case .notRegular(let kind): return "it is a \(kind), not a regular file"
        case .oversized(let size, let limit): return "it is \(size) bytes, over the limit of \(limit) bytes"
        case .unreadable(let why): return "it could not be read (\(why))"
        }
    }
}

/// A file safely claimed for processing: moved into the private processing folder, out of the
/// partner's reach; it is read from there in chunks (`read(chunkSize:)`), never whole.
public struct ClaimedFile: Sendable {
    /// The claim id (the processing file's name).
    public var claim: String
    /// The supplying partner.
    public var partner: String
    /// The name the partner gave it.
    public var name: String
    /// Its path in the processing folder.
    public var path: String

    /// Streams the claimed file in chunks to `body` (nil marks the end), without following links.
    public func read(chunkSize: Int = 1 << 20) -> (() throws -> [UInt8]?)? {
        let fd = open(path, O_RDONLY | vigil_o_nofollow() | vigil_o_cloexec())
        guard fd >= 0 else { return nil }
        let box = FileDescriptorBox(fd)
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        return {
            while true {
                let n = chunk.withUnsafeMutableBytes { Glibc.read(box.fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw DurableFile.posixError("read") }
                if n == 0 {
                    box.close()
                    return nil
                }
                return Array(chunk[0..<n])
            }
        }
    }
}

/// Closes a file descriptor once, when asked or when released.
final class FileDescriptorBox: @unchecked Sendable {
    private(set) var fd: Int32
    init(_ fd: Int32) { self.fd = fd }
    func close() {
        if fd >= 0 { _ = Glibc.close(fd) }
        fd = -1
    }
    deinit { close() }
}

/// Opens and claims dropped files without trusting the drop folder.
///
/// A dirfd (`O_DIRECTORY|O_NOFOLLOW`), then `openat(O_NOFOLLOW|O_NONBLOCK)`, then `fstat` on the fd:
/// only a regular file with one link within the size limit is accepted; it is claimed with `renameat`
/// into the private processing folder before a byte is parsed.
public struct SafeIntake: Sendable {
    /// The private processing folder (same file system as the drop tree).
    public let processing: String
    /// Largest file accepted.
    public let maxBytes: Int

    /// Creates the intake.
    public init(processing: String, maxBytes: Int) {
        self.processing = processing
        self.maxBytes = maxBytes
    }

    /// Claims `name` from a partner's drop folder. On refusal the entry itself (link, FIFO…) is moved
    /// to `refusedFolder` unread, so it is reported once.
    public func claim(folder: String, partner: String, name: String, claimId: String, refusedFolder: String) -> Result<
        ClaimedFile, IntakeRefusal
    > {
        let dirfd = open(folder, O_RDONLY | vigil_o_directory() | vigil_o_nofollow() | vigil_o_cloexec())
        guard dirfd >= 0 else { return .failure(.unreadable("drop folder: \(String(cString: strerror(errno)))")) }
        defer { close(dirfd) }
        let fd = openat(dirfd, name, O_RDONLY | vigil_o_nofollow() | vigil_o_nonblock() | vigil_o_cloexec())
        if fd < 0 {
            let code = errno
            if code == ELOOP {
                moveAside(dirfd, name, refusedFolder, claimId)
                return .failure(.symlink)
            }
            if code == EACCES || code == ENXIO || code == EPERM {
                // Not readable by the service (e.g. mode 0600): move it aside once, unread.
                moveAside(dirfd, name, refusedFolder, claimId)
                return .failure(.unreadable("permission denied: give the partner group read access (mode 0640)"))
            }
            return .failure(.unreadable(String(cString: strerror(code))))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        if vigil_s_isreg(info.st_mode) == 0 {
            moveAside(dirfd, name, refusedFolder, claimId)
            return .failure(.notRegular(kind: SafeIntake.kind(info.st_mode)))
        }
        if info.st_nlink != 1 {
            moveAside(dirfd, name, refusedFolder, claimId)
            return .failure(.hardLink(links: Int(info.st_nlink)))
        }
        if Int(info.st_size) > maxBytes {
            moveAside(dirfd, name, refusedFolder, claimId)
            return .failure(.oversized(size: Int(info.st_size), limit: maxBytes))
        }
        // Claim before parsing: the partner can no longer change or replace it.
        let target = open(processing, O_RDONLY | vigil_o_directory() | vigil_o_nofollow() | vigil_o_cloexec())
        guard target >= 0 else { return .failure(.unreadable("processing folder: \(String(cString: strerror(errno)))")) }
        defer { close(target) }
        guard renameat(dirfd, name, target, claimId) == 0 else {
            return .failure(.unreadable("claim: \(String(cString: strerror(errno)))"))
        }
        return .success(ClaimedFile(claim: claimId, partner: partner, name: name, path: processing + "/" + claimId))
    }

    /// A claimed file left in the processing folder (resuming after a crash).
    public func reopen(claimId: String, partner: String, name: String) -> Result<ClaimedFile, IntakeRefusal> {
        var info = stat()
        guard lstat(processing + "/" + claimId, &info) == 0, vigil_s_isreg(info.st_mode) != 0 else {
            return .failure(.unreadable("the claimed file is missing or not a regular file"))
        }
        return .success(ClaimedFile(claim: claimId, partner: partner, name: name, path: processing + "/" + claimId))
    }

    private func moveAside(_ dirfd: Int32, _ name: String, _ folder: String, _ claimId: String) {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let target = open(folder, O_RDONLY | vigil_o_directory() | vigil_o_nofollow() | vigil_o_cloexec())
        guard target >= 0 else { return }
        defer { close(target) }
        _ = renameat(dirfd, name, target, claimId)
    }

    static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "FIFO"
        case S_IFCHR: return "character device"
        case S_IFBLK: return "block device"
        case S_IFSOCK: return "socket"
        case S_IFDIR: return "directory"
        default: return "special file"
        }
    }
}
