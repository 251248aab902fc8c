import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import VigilConfiguration
import VigilDaemon
import VigilService
import VigilSystemd

/// `vigild`: the Vigil service. Watches the drop tree, evaluates files and writes alerts to the
/// journal and alert files. Runs under systemd (`Type=notify`) or from a checkout.
@main
enum VigildMain {
    /// Installs the SIGHUP handler first, so reloads are never fatal.
    static func main() async {
        IntakeLoop.installHangupHandler()
        IntakeLoop.disableCoreDumps()
        await VigildCommand.main()
    }
}

struct VigildCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigild", abstract: "Vigil's service: watch partners' drop folders and raise explained alerts.",
        version: VigilVersion.description)

    @Option(help: "The Vigil configuration file.")
    var config: String = "/etc/vigil/vigil.yaml"

    @Option(help: "Seconds a file written in place must be unchanged before it is read.")
    var settle: Double = 1

    @Option(help: "Seconds between full scans of the drop tree.")
    var scanInterval: Double = 60

    @Option(help: "Seconds between evaluations against the clock (overdue feeds).")
    var evaluateInterval: Double = 3600

    @Option(help: "Log level (trace, debug, info, notice, warning, error, critical).")
    var logLevel: String = "info"

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        let journal = Journal.connect()
        LoggingSystem.bootstrap { label in
            if let journal {
                var handler = JournalLogHandler(label: label, journal: journal)
                handler.logLevel = level
                return handler
            }
            var handler = StderrLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "vigild")
        if journal == nil {
            logger.notice(
                "no systemd journal is reachable; vigild logs to standard error and still writes its alert files and receipts")
        }
        var settings = IntakeLoop.Settings()
        settings.settle = settle
        settings.scanInterval = scanInterval
        settings.evaluateInterval = evaluateInterval
        if let stall = ProcessInfo.processInfo.environment["VIGILD_TEST_STALL_AFTER"].flatMap(Double.init) {
            settings.stallAfter = stall
        }
        let loop: IntakeLoop
        do {
            loop = try IntakeLoop(configPath: config, logger: logger, journal: journal, settings: settings)
        } catch {
            logger.critical("vigild cannot start: \(error)")
            FileHandle.standardError.write(Data("vigild: cannot start:\n\(error)\n".utf8))
            throw ExitCode(StartFailure.exitStatus(for: error))
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: IntakeService(loop: loop), successTerminationBehavior: .gracefullyShutdownGroup)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        do {
            try await group.run()
        } catch let failure as StartFailure {
            FileHandle.standardError.write(Data("vigild: cannot start:\n\(failure)\n".utf8))
            throw ExitCode(failure.exitStatus)
        }
    }
}
