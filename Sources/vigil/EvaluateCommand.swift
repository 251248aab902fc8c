import ArgumentParser
import Foundation
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
        var session = IngestSession(
            loaded: loaded, store: try storeOptions.open(loaded), date: try IngestSession.date(at), live: live)
        let events = try session.run(
            files: try IngestSession.files(paths), partner: feedOptions.partner, feed: feedOptions.feed,
            checkPartners: !noPartnerCheck, showCells: feedOptions.showCells)
        for (file, _, outcome) in session.outcomes where outcome.status != .accepted {
            printError(
                "\(outcome.status.rawValue.uppercased()) \(UntrustedText.line(file))"
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
}
