import Foundation
import Testing
import VigilCore
import VigilStore

#if canImport(Glibc)
    import Glibc
#endif

/// The store's lock decides who owns the store (vigild, or a restore). A lock can be taken on a
/// descriptor opened only for reading, so whoever can open the lock file can hold it while vigild
/// is stopped and keep every later start out (review helper-21: the file was `0640` in the state
/// folder's group, so any member of `vigil-readers` could).
@Suite struct StoreLockTests {
    @Test func theLockFileIsTheServicesAlone() throws {
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lock = try StoreLock.acquire(store: folder + "/vigil.sqlite")
        var info = stat()
        #expect(lstat(lock.path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        withExtendedLifetime(lock) {}
    }

    /// Before the fix, a reader kept a descriptor on the group-readable lock file and took the
    /// lock the moment vigild stopped: the next start failed with `store.locked` for good.
    @Test func aLockHeldOnTheOldLockFileDoesNotKeepTheServiceOut() throws {
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = folder + "/vigil.sqlite"
        let legacy = StoreLock.legacyPath(forStore: store)
        #expect(legacy == folder + "/vigil.sqlite.lock")
        let reader = open(legacy, O_RDONLY | O_CREAT | O_CLOEXEC, 0o640)
        #expect(reader >= 0)
        defer { close(reader) }
        #expect(flock(reader, LOCK_EX | LOCK_NB) == 0, "the reader holds the old file's lock")
        let lock = try StoreLock.acquire(store: store)
        #expect(lock.path != legacy)
        #expect(!FileManager.default.fileExists(atPath: legacy), "the old file is gone")
        // The lock still excludes a second owner.
        #expect(throws: VigilError.self) { _ = try StoreLock.acquire(store: store) }
        withExtendedLifetime(lock) {}
    }

    /// A restore (review helper-22) refuses while an older vigild holds the old file: between a
    /// package's unpacking and its restart, the store would be replaced under a running service.
    @Test func aRestoreWaitsForAnOlderVigild() throws {
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = folder + "/vigil.sqlite"
        let older = open(StoreLock.legacyPath(forStore: store), O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        #expect(older >= 0 && flock(older, LOCK_EX | LOCK_NB) == 0)
        do {
            _ = try StoreLock.acquire(store: store, legacy: true)
            Issue.record("the restore took the store from an older vigild")
        } catch let error as VigilError {
            #expect(
                error.description
                    == "\(store): error[store.locked]: the store is in use: an older vigild holds vigil.sqlite.lock; stop the service first (systemctl stop vigild)"
            )
        }
        close(older)
        let lock = try StoreLock.acquire(store: store, legacy: true)
        #expect(!FileManager.default.fileExists(atPath: StoreLock.legacyPath(forStore: store)))
        withExtendedLifetime(lock) {}
    }

    /// Made by root (`vigil restore` as root before vigild ever started), the lock file is the
    /// state folder owner's, or the service could not open it and never start (review helper-22).
    @Test func aLockMadeByRootIsTheFoldersOwners() throws {
        try #require(geteuid() == 0, "needs root (CI runs as root)")
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(chown(folder, 4321, 4322) == 0)
        let lock = try StoreLock.acquire(store: folder + "/vigil.sqlite")
        var info = stat()
        #expect(lstat(lock.path, &info) == 0)
        #expect(info.st_uid == 4321 && info.st_gid == 4322)
        withExtendedLifetime(lock) {}
    }
}
