import ArgumentParser
import Foundation
import VigilConfiguration
import VigilCore

/// `vigil rules check|test|coverage` (one file per subcommand: `RulesCommand+Check.swift`, …).
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules", abstract: "Lint the configuration, run rule unit tests, or show what the rules watch.",
        subcommands: [Check.self, Test.self, CoverageReport.self])
}
