import ArgumentParser
import Foundation
import VigilConfiguration
import VigilCore
import VigilStore

/// `vigil demo`: replay the bundled 2012/13 data and print the alerts by board priority.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Replay the bundled Peterborough 2012/13 data and print the alerts grouped by board priority.")

    @OptionGroup var options: ConfigOptions

    @Option(help: "The example folder (default: examples/peterborough-2012-13 beside the configuration).")
    var example: String?

    @Option(help: "Evaluation date (default 2013-04-30, just after the report's year).")
    var at: String = "2013-04-30"

    @Option(help: "Output format: text or json (every alert event, one per line).")
    var format: OutputFormat = .text

    func run() throws {
        let loaded = try options.load()
        let folder = example ?? loaded.resolve("examples/peterborough-2012-13")
        var session = IngestSession(loaded: loaded, store: try Store.inMemory(), date: try IngestSession.date(at))
        let events = try session.run(files: try IngestSession.files([folder]), partner: nil)
        if format == .json {
            events.forEach { print($0.jsonLine) }
            return
        }
        let records = try session.store.alertRecords()
        print(DemoReport(loaded: loaded, folder: folder, date: session.date, outcomes: session.outcomes, records: records).text)
    }
}

/// The demo's text report: files, then alerts grouped by priority.
struct DemoReport {
    let loaded: LoadedConfiguration
    let folder: String
    let date: CivilDate
    let outcomes: [(file: String, partner: String?, outcome: IngestOutcome)]
    let records: [AlertRecord]

    var text: String {
        var lines: [String] = []
        let accepted = outcomes.filter { $0.outcome.status == .accepted }.count
        lines.append("Vigil replay of \(folder), evaluated at \(date)")
        let rejected = outcomes.filter { $0.outcome.status == .rejected }.count
        let duplicates = outcomes.count - accepted - rejected
        lines.append(
            "\(outcomes.count) files: \(accepted) accepted, \(rejected) rejected"
                + (duplicates > 0 ? ", \(duplicates) duplicate" : ""))
        for (file, _, outcome) in outcomes where outcome.status == .rejected {
            lines.append("  REJECTED \(relative(file))")
            lines += outcome.errors.map { "    \($0)" }
        }
        let shown = records.filter { $0.state != .retracted }
        let firing = shown.filter { $0.state == .firing }.count
        lines.append("\(firing) alert(s) firing, \(shown.count - firing) resolved")
        for priority in loaded.catalogue.priorities {
            let alerts = shown.filter { $0.lastEvent.priority == priority.id }
                .sorted {
                    ($0.state.rawValue, $0.lastEvent.severity.rawValue, $0.start) < (
                        $1.state.rawValue, $1.lastEvent.severity.rawValue, $1.start
                    )
                }
            guard !alerts.isEmpty else { continue }
            lines.append("")
            lines.append("Priority \(priority.id): \(priority.title)")
            for record in alerts {
                let event = record.firingEvent
                let status = record.state == .firing ? "FIRING since \(record.start)" : "RESOLVED at \(record.lastEvent.period)"
                lines.append("  [\(event.severity.rawValue)] \(status)  \(event.rule) (\(event.kind))")
                lines.append("    \(event.message)")
                if record.state == .resolved { lines.append("    \(record.lastEvent.message)") }
                if let action = event.action { lines.append("    Action: \(action)") }
            }
        }
        return lines.joined(separator: "\n")
    }

    private func relative(_ file: String) -> String {
        file.hasPrefix(folder + "/") ? String(file.dropFirst(folder.count + 1)) : file
    }
}
