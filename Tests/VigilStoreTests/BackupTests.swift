import Foundation
import Testing
import VigilConfiguration
import VigilCore
import VigilStore

/// `vigil backup` and `vigil restore` on real SQLite files: a backup taken while files are being
/// ingested is a consistent snapshot; a restore refuses while the store's lock is held, refuses
/// what is not a sound Vigil store, and migrates what it restores.
@Suite struct BackupTests {
    let loaded: LoadedConfiguration
    let engine: Engine
    let files: [String]
    let date = CivilDate(year: 2013, month: 4, day: 30)!

    init() throws {
        loaded = try ConfigurationLoader.load(path: Repo.config)
        engine = Engine(catalogue: loaded.catalogue, rules: loaded.rules)
        files = try FeedFiles.collect([Repo.example])
    }

    private func ingest(_ file: String, into store: Store) throws {
        let feed = try FeedFiles.parsed(file, loaded)
        _ = try store.ingest(feed, receivedAt: "\(date)", engine: engine, date: date)
    }

    @Test func aBackupDuringABurstHoldsExactlyTheFilesCommittedBeforeIt() async throws {
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try Store.open(path: folder + "/vigil.sqlite")
        let burst = Task.detached { [files, self] in
            for file in files { try self.ingest(file, into: store) }
        }
        while try store.files().count < 5 { try await Task.sleep(for: .milliseconds(1)) }
        try store.backup(to: folder + "/backup.sqlite")
        try await burst.value

        #expect(!FileManager.default.fileExists(atPath: folder + "/backup.sqlite.partial"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/backup.sqlite-wal"), "the backup is one file")
        let copy = try Store.open(path: folder + "/backup.sqlite")
        let committed = try copy.files()
        #expect(committed.count >= 5)
        // The copy is the store as it stood after its first `committed.count` files: the same
        // file records, values and alert records as a store that ingested just those.
        let reference = try Store.inMemory()
        for file in files.prefix(committed.count) { try ingest(file, into: reference) }
        #expect(committed.map(\.sha256) == (try reference.files().map(\.sha256)))
        #expect(try copy.dataset().observations == reference.dataset().observations)
        #expect(try copy.alertRecords() == reference.alertRecords())
    }

    @Test func aRestoreRefusesWhileTheStoreIsLockedAndRestoresOnceFree() throws {
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let live = folder + "/vigil.sqlite"
        let half = files.count / 2
        let store = try Store.open(path: live)
        for file in files.prefix(half) { try ingest(file, into: store) }
        try store.backup(to: folder + "/backup.sqlite")
        let atBackup = try store.dataset().observations
        // The live store moves on after the backup.
        for file in files.dropFirst(half) { try ingest(file, into: store) }
        #expect(try store.dataset().observations != atBackup)

        // While vigild holds the lock, a restore cannot take it.
        do {
            let held = try StoreLock.acquire(store: live)
            do {
                _ = try StoreLock.acquire(store: live)
                Issue.record("a second lock was granted while the first was held")
            } catch let error as VigilError {
                #expect(
                    error.description
                        == "\(live): error[store.locked]: the store is in use: vigild (or another restore) holds its lock; stop the service first (systemctl stop vigild)"
                )
            }
            withExtendedLifetime(held) {}
        }

        // Once it is released (vigild stopped), the restore takes the lock and brings the backup back.
        let lock = try StoreLock.acquire(store: live)
        try Store.restore(from: folder + "/backup.sqlite", into: live, lock: lock)
        #expect(try Store.open(path: live).dataset().observations == atBackup)
        #expect(try Store.open(path: live).files().count == half)
    }

    @Test func aRestoreRefusesWhatIsNotASoundVigilStore() throws {
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let live = folder + "/vigil.sqlite"
        let store = try Store.open(path: live)
        try ingest(files[0], into: store)
        let before = try store.dataset().observations
        try Data("not a database, just a partner's spreadsheet".utf8).write(to: URL(fileURLWithPath: folder + "/junk"))
        let lock = try StoreLock.acquire(store: live)
        #expect(throws: VigilError.self) { try Store.restore(from: folder + "/junk", into: live, lock: lock) }
        #expect(throws: VigilError.self) { try Store.restore(from: folder + "/missing", into: live, lock: lock) }
        #expect(try Store.open(path: live).dataset().observations == before, "a refused restore changes nothing")
    }
}
