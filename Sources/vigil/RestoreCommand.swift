import ArgumentParser
import Foundation
import VigilCore
import VigilStore

/// `vigil restore FILE`: replaces the store with a backup, with vigild stopped.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Replace the store with a backup made by `vigil backup` (stop vigild first).",
        discussion: """
            Refuses while vigild runs (it holds the store's lock). The backup is checked first \
            (a Vigil store passing SQLite's integrity check) and migrated to this release's schema.
            """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The backup file.")
    var file: String

    func run() throws {
        let loaded = try options.load()
        let path = storeOptions.path(loaded)
        do {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            let lock = try StoreLock.acquire(store: path, legacy: true)
            try Store.restore(from: file, into: path, lock: lock)
        } catch let error as VigilError {
            printError(error.description)
            throw ExitCode(error.code == .storeLocked ? 75 : 1)  // EX_TEMPFAIL: try again once vigild is stopped
        }
        print("restored \(path) from \(file)")
    }
}
