import ArgumentParser
import Foundation
import VigilConfiguration
import VigilCore

extension RulesCommand {
    /// `vigil rules coverage`: per priority and per indicator, the rules that watch it.
    struct CoverageReport: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "coverage",
            abstract: "Show, per priority and per indicator, the rules that watch it and what is not watched.")
        @OptionGroup var options: ConfigOptions

        func run() throws {
            let loaded = try options.load()
            print(Coverage(catalogue: loaded.catalogue, rules: loaded.rules, notWatched: loaded.notWatched).text)
        }
    }
}
