import ArgumentParser
import Foundation
import VigilConfiguration
import VigilCore

extension RulesCommand {
    /// `vigil rules check`: validate every configuration file and report all errors.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the configuration, catalogue and every rule file (exit 2 on errors).")
        @OptionGroup var options: ConfigOptions

        func run() throws {
            let loaded = try options.load()
            print(
                "OK \(loaded.path): \(loaded.catalogue.indicators.count) indicators, \(loaded.rules.count) rules in \(loaded.ruleFiles.count) file(s)"
            )
        }
    }
}
