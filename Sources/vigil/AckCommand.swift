import ArgumentParser
import Foundation
import VigilCore
import VigilStore

/// `vigil ack ALERT-ID --by NAME --note …`: record who has seen an alert and what is being done.
struct AckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack", abstract: "Acknowledge an alert: who has seen it and what is being done.")

    @OptionGroup var options: ConfigOptions
    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "The alert's id (any of its event ids, or the first 8+ characters).")
    var alertId: String

    @Option(help: "Who acknowledges it.")
    var by: String

    @Option(help: "What is being done.")
    var note: String

    func run() throws {
        let loaded = try options.load()
        do {
            let (_, record) = try storeOptions.open(loaded, create: false).acknowledge(
                alertId: alertId, by: by, note: note, at: CivilDate.timestamp(unixSeconds: Date().timeIntervalSince1970))
            print(
                "acknowledged \(record.rule) on \(record.indicator)\(record.breakdown.isEmpty ? "" : " {\(record.breakdown)}") since \(record.start)"
            )
        } catch let error as VigilError {
            printError(error.description)
            throw ExitCode(1)
        }
    }
}
