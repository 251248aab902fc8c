import Foundation
import VigilCore

#if canImport(Glibc)
    import Glibc
#endif

/// The store's owner: vigild holds an exclusive `flock` on `vigil.sqlite-lock` for as long as it
/// runs, so a second vigild cannot start on the same store and `vigil restore` can tell that the
/// service is running. The lock goes with the process, however it ends.
///
/// The lock file is the service's alone (`0600`): a lock can be taken on a descriptor opened only
/// for reading, so a file others could open would let them hold it while vigild was stopped and
/// keep every later start out (review helper-21: the file was `0640` in the state folder's group,
/// `vigil-readers`). Versions before it locked `vigil.sqlite.lock` (`legacyPath`); that file is
/// removed when the lock is taken, and a descriptor someone kept open on it locks nothing.
public final class StoreLock: Sendable {
    /// The lock file's path.
    public let path: String
    private let descriptor: Int32

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    /// The lock file of a store.
    public static func path(forStore store: String) -> String { store + "-lock" }

    /// The lock file of versions before 2026-12-06, readable by the state folder's group.
    public static func legacyPath(forStore store: String) -> String { store + ".lock" }

    /// Takes the lock, or throws `store.locked` naming who must stop first. `legacy`: also
    /// refuse while an older version holds `legacyPath` (a restore must not replace the store
    /// under a vigild of before the lock moved, between a package's unpacking and its restart;
    /// review helper-22); vigild itself never waits on that file, which others could hold.
    public static func acquire(store: String, legacy: Bool = false) throws -> StoreLock {
        let path = path(forStore: store)
        let old = legacy ? open(legacyPath(forStore: store), O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1
        defer { if old >= 0 { close(old) } }
        if old >= 0 && flock(old, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK {
            throw VigilError(
                code: .storeLocked,
                message:
                    "the store is in use: an older vigild holds vigil.sqlite.lock; stop the service first (systemctl stop vigild)",
                location: SourceLocation(file: store))
        }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw VigilError(
                code: .store, message: "cannot open the store's lock file", location: SourceLocation(file: path),
                cause: String(cString: strerror(errno)))
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let busy = errno == EWOULDBLOCK
            let cause = String(cString: strerror(errno))
            close(fd)
            if busy {
                throw VigilError(
                    code: .storeLocked,
                    message:
                        "the store is in use: vigild (or another restore) holds its lock; stop the service first (systemctl stop vigild)",
                    location: SourceLocation(file: store))
            }
            throw VigilError(code: .store, message: "cannot lock the store", location: SourceLocation(file: path), cause: cause)
        }
        // Only the service's user (or root) can make a file in the state folder; one made by
        // hand with a wider mode is made private too. Made by root (`vigil restore` run as
        // root), it is given to the folder's owner, or the service could not open it.
        _ = fchmod(fd, 0o600)
        var folder = stat()
        if geteuid() == 0,
            stat(
                (store as NSString).deletingLastPathComponent.isEmpty ? "." : (store as NSString).deletingLastPathComponent,
                &folder) == 0
        {
            _ = fchown(fd, folder.st_uid, folder.st_gid)
        }
        unlink(legacyPath(forStore: store))
        return StoreLock(path: path, descriptor: fd)
    }
}
