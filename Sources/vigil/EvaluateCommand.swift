import ArgumentParser
import Foundation
import VigilCore
import VigilStore

/// Options naming the store.
struct StoreOptions: ParsableArguments {
    @Option(help: "The SQLite store (default: vigil.sqlite in the configured state folder).")
    var store: String?

    @Flag(help: "Use a private in-memory store that is discarded at exit.")
    var ephemeral = false

    func open(_ loaded: LoadedConfiguration, create: Bool = true) throws -> Store {
        if ephemeral { return try Store.inMemory() }
        let path = store ?? (loaded.resolve(loaded.config.statePath) as NSString).appendingPathComponent("vigil.sqlite")
        if !create && !FileManager.default.fileExists(atPath: path) {
            // A mistyped path must not look like "all clear".
            printError("\(path): error[store.failed]: no store here; give --store the store's path (or ingest first)")
            throw ExitCode(2)
        }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        return try Store.open(path: path)
    }
}

/// Options naming who supplies the files and, optionally, which record-level extract they are.
struct FeedOptions: ParsableArguments {
    @Option(help: "The supplying partner for every file (default: each file's folder name, when it is a partner).")
    var partner: String?

    @Option(help: "Name a record-level extract definition (default: recognised by the header).")
    var feed: String?
}

/// `vigil evaluate PATH…`: ingest files or folders in order and print the alert events.
struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Ingest feed files or folders in order and print the alert events (exit 1 if a file was rejected).")

    @OptionGroup var options: ConfigOptions
    @OptionGroup var storeOptions: StoreOptions

    @OptionGroup var feedOptions: FeedOptions

    @Option(help: "Evaluation date YYYY-MM-DD (default: today); overdue rules judge against it.")
    var at: String?

    @Option(help: "Output format: text or json (one alert event per line).")
    var format: OutputFormat = .text

    @Flag(help: "Ingest files whose partner is unknown (no --partner, not in a partner's folder) without permission checks.")
    var noPartnerCheck = false

    @Argument(help: "Feed files or folders, ingested in the order given (folders sorted by path).")
    var paths: [String]

    func run() throws {
        let loaded = try options.load()
        // The configured store is the service's: its alert files and journal hear of every event.
        let live = storeOptions.store == nil && !storeOptions.ephemeral
        var session = IngestSession(
            loaded: loaded, store: try storeOptions.open(loaded), date: try IngestSession.date(at), live: live)
        let events = try session.run(
            files: try IngestSession.files(paths), partner: feedOptions.partner, feed: feedOptions.feed,
            checkPartners: !noPartnerCheck)
        for (file, _, outcome) in session.outcomes where outcome.status != .accepted {
            printError("\(outcome.status.rawValue.uppercased()) \(file)" + outcome.errors.map { "\n  \($0)" }.joined())
        }
        switch format {
        case .json: events.forEach { print($0.jsonLine) }
        case .text:
            events.forEach { print(EventText.line($0)) }
            let accepted = session.outcomes.filter { $0.outcome.status == .accepted }.count
            print(
                "\(session.outcomes.count) file(s): \(accepted) accepted, \(session.outcomes.count - accepted) not; \(events.count) alert event(s)"
            )
        }
        if session.outcomes.contains(where: { $0.outcome.status == .rejected }) { throw ExitCode(1) }
    }
}
