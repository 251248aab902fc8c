import ArgumentParser
import Foundation
import Logging
import VigilConfiguration
import VigilCore

/// `vigil`: check feeds, evaluate folders, test rules and read alerts.
@main
struct VigilCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Early-warning alerts for a children's safeguarding partnership.",
        subcommands: [
            CheckCommand.self, EvaluateCommand.self, RulesCommand.self, AlertsCommand.self, AckCommand.self, HistoryCommand.self,
            DigestCommand.self, DemoCommand.self,
        ])
}

/// Options every command that reads configuration shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "The Vigil configuration file.")
    var config: String = "config/vigil.yaml"

    @Option(name: .long, help: "Log level for diagnostics on standard error (trace, debug, info, notice, warning, error).")
    var logLevel: String = "warning"

    /// Bootstraps logging (executables only) and loads the configuration, printing every error.
    func load() throws -> LoadedConfiguration {
        CLILogging.bootstrap(level: Logger.Level(rawValue: logLevel) ?? .warning)
        do {
            return try ConfigurationLoader.load(path: config)
        } catch let errors as VigilErrors {
            printError(errors.description)
            throw ExitCode(2)
        }
    }
}

/// Output format.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

enum CLILogging {
    nonisolated(unsafe) private static var done = false
    static func bootstrap(level: Logger.Level) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
