import ArgumentParser
import Foundation
import VigilConfiguration
import VigilCore
import VigilStore

/// Options naming the store.
struct StoreOptions: ParsableArguments {
    @Option(help: "The SQLite store (default: vigil.sqlite in the configured state folder).")
    var store: String?

    @Flag(help: "Use a private in-memory store that is discarded at exit.")
    var ephemeral = false

    /// The store file: `--store`, else `vigil.sqlite` in the configured state folder.
    func path(_ loaded: LoadedConfiguration) -> String {
        store ?? (loaded.resolve(loaded.config.statePath) as NSString).appendingPathComponent("vigil.sqlite")
    }

    func open(_ loaded: LoadedConfiguration, create: Bool = true) throws -> Store {
        if ephemeral { return try Store.inMemory() }
        let path = path(loaded)
        if !create && !FileManager.default.fileExists(atPath: path) {
            // A mistyped path must not look like "all clear".
            if access((path as NSString).deletingLastPathComponent, X_OK) != 0 {
                printError(
                    "\(path): error[store.failed]: the store's folder is not readable by this account; ask IT to add you to the vigil-readers group"
                )
            } else {
                printError("\(path): error[store.failed]: no store here; give --store the store's path (or ingest first)")
            }
            throw ExitCode(2)
        }
        if !create && access(path, W_OK) != 0 {
            // Readers (the vigil-readers group) read the live store without being able to change it.
            guard access(path, R_OK) == 0 else {
                printError(
                    "\(path): error[store.failed]: the store is not readable by this account; ask IT to add you to the vigil-readers group"
                )
                throw ExitCode(2)
            }
            return try Store.openReadOnly(path: path)
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        return try Store.open(path: path)
    }
}
