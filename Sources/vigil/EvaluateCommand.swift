import ArgumentParser
import Foundation
import VigilConfiguration
import VigilCore
import VigilStore

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
        if !storeOptions.ephemeral {
            // The service's state and alerts folders, or the folder of the store named (review
            // helper-35: --store into the service's state folder wrote it as root).
            let folders =
                live
                ? [loaded.config.statePath, loaded.config.alertsPath].map(loaded.resolve)
                : [(storeOptions.path(loaded) as NSString).deletingLastPathComponent]
            try Self.refuseRootInAnotherUsersTree(folders.map { $0.isEmpty ? "." : $0 })
        }
        var session = IngestSession(
            loaded: loaded, store: try storeOptions.open(loaded), date: try IngestSession.date(at), live: live)
        let events = try session.run(
            files: try IngestSession.files(paths), partner: feedOptions.partner, feed: feedOptions.feed,
            checkPartners: !noPartnerCheck, showCells: feedOptions.showCells)
        for (file, _, outcome) in session.outcomes where outcome.status != .accepted {
            printError(
                "\(outcome.status.rawValue.uppercased()) \(FeedFiles.label(file, partner: nil))"
                    + outcome.errors.map { "\n  \($0)" }.joined())
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

    /// Root writing the service's tree makes files the service cannot write (review helper-33:
    /// `alerts.jsonl` made by root's `vigil evaluate` stopped vigild's alert lines, 14 left queued;
    /// SQLite's `-wal` made by root would stop the service opening its store). When a folder it
    /// would write (the state and alerts folders, or the folder of `--store`) belongs to another
    /// user, root is told to run as that user, and nothing is written.
    static func refuseRootInAnotherUsersTree(_ folders: [String]) throws {
        guard geteuid() == 0 else { return }
        for folder in folders {
            var info = stat()
            guard stat(folder, &info) == 0, info.st_uid != 0 else { continue }
            let user = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "\(info.st_uid)"
            printError(
                "\(UntrustedText.line(folder)): error[store.failed]: this folder belongs to the user '\(user)'; run vigil evaluate as that user (runuser -u \(user) -- vigil evaluate …): files root made here (SQLite's -wal, alerts.jsonl, firing.json) would be root's, and the service could not write them; nothing was stored"
            )
            throw ExitCode(2)
        }
    }

}
