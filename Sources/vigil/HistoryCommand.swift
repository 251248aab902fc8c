import ArgumentParser
import Foundation
import VigilCore
import VigilStore

/// `vigil history INDICATOR`: every revision of an indicator's values.
struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show every stored value of an indicator with its revisions.")

    @OptionGroup var options: ConfigOptions
    @OptionGroup var storeOptions: StoreOptions

    @Argument(help: "Indicator id, e.g. cp.plans.")
    var indicator: String

    func run() throws {
        let loaded = try options.load()
        guard loaded.catalogue.indicator(indicator) != nil else {
            printError("error: unknown indicator '\(indicator)'")
            throw ExitCode(2)
        }
        let rows = try storeOptions.open(loaded, create: false).history(indicator: indicator)
        var current = ""
        for row in rows {
            let name = "\(row.series) \(row.period)"
            if name != current {
                print(name)
                current = name
            }
            print("  revision \(row.revision): \(row.value)  (file \(row.fileSHA256.prefix(12)), recorded \(row.recordedAt))")
        }
        if rows.isEmpty { print("no values stored for \(indicator)") }
    }
}
