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
        discussion: """
            Without --config, the configuration is $VIGIL_CONFIG, else config/vigil.yaml when run in a \
            checkout, else /etc/vigil/vigil.yaml.
            """,
        version: VigilVersion.description,
        subcommands: [
            CheckCommand.self, EvaluateCommand.self, RulesCommand.self, AlertsCommand.self, AckCommand.self, HistoryCommand.self,
            DigestCommand.self, DemoCommand.self, BackupCommand.self, RestoreCommand.self, TemplateCommand.self,
        ])
}

/// Options every command that reads configuration shares.
struct ConfigOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "The Vigil configuration file (default: $VIGIL_CONFIG, else ./config/vigil.yaml if no one else may write it, else /etc/vigil/vigil.yaml)."
    )
    var config: String?

    /// The configuration file these options name (`ConfigurationSearch`). A checkout's
    /// configuration others could have written is an error, not a reason to use the installed
    /// one: `sudo vigil evaluate` in a colleague's checkout would have written into the
    /// service's store (review helper-22).
    func configPath() throws -> String {
        var ignored: String?
        let path = ConfigurationSearch.path(given: config, environment: ProcessInfo.processInfo.environment) { path in
            guard path == ConfigurationSearch.checkout else { return FileManager.default.fileExists(atPath: path) }
            switch ConfigurationSearch.verdict() {
            case .usable: return true
            case .absent: return false
            case .ignored(let why):
                ignored = why
                return false
            }
        }
        if let ignored {
            printError(
                "vigil: not using ./\(ConfigurationSearch.checkout): \(ignored); give --config to name the configuration to use"
            )
            throw ExitCode(2)
        }
        return path
    }

    @Option(name: .long, help: "Log level for diagnostics on standard error (trace, debug, info, notice, warning, error).")
    var logLevel: String = "warning"

    /// Bootstraps logging (executables only) and loads the configuration, printing every error.
    func load() throws -> LoadedConfiguration {
        CLILogging.bootstrap(level: Logger.Level(rawValue: logLevel) ?? .warning)
        do {
            return try ConfigurationLoader.load(path: try configPath())
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
