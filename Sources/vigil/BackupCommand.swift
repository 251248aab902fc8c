import ArgumentParser
import Foundation
import VigilCore
import VigilStore

/// `vigil backup FILE`: an online copy of the store, safe while vigild runs.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the store to FILE (SQLite online backup; safe while vigild runs).",
        discussion: """
            The copy is one self-contained SQLite file holding every value, revision, file record, \
            alert and event committed when the backup started. It holds what the store holds, \
            child-level data excepted (the store keeps none): protect it like the store (docs/operations.md).
            """)

    @OptionGroup var options: ConfigOptions
    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "Where to write the backup (replaced if it exists).")
    var file: String

    func run() throws {
        let loaded = try options.load()
        let path = storeOptions.path(loaded)
        guard FileManager.default.fileExists(atPath: path) else {
            printError("\(path): error[store.failed]: no store here; give --store the store's path")
            throw ExitCode(2)
        }
        do {
            let old = umask(0o077)  // the copy is as private as the store
            defer { umask(old) }
            try storeOptions.open(loaded, create: false).backup(to: file)
        } catch let error as VigilError {
            printError(error.description)
            throw ExitCode(1)
        }
        print("backed up \(path) to \(file)")
    }
}
