import ArgumentParser
import VigilCore
import VigilStore

/// `vigil alerts`: the current alert state.
struct AlertsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts", abstract: "Show the alerts firing now (and, with --all, every alert's last event).")

    @OptionGroup var options: ConfigOptions
    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Show resolved and retracted alerts too.")
    var all = false

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    func run() throws {
        let loaded = try options.load()
        let store = try storeOptions.open(loaded, create: false)
        let acks = Dictionary(try store.acknowledgements().map { ($0.alertKey, $0) }, uniquingKeysWith: { _, latest in latest })
        let records = try store.alertRecords()
            .filter { all || $0.state == .firing }
            .sorted { ($0.lastEvent.priority, $0.start, $0.rule) < ($1.lastEvent.priority, $1.start, $1.rule) }
        for record in records {
            switch format {
            case .json: print(record.lastEvent.jsonLine)
            case .text:
                print(
                    EventText.line(record.state == .firing ? record.current ?? record.lastEvent : record.lastEvent)
                        + (record.state == .firing ? "\n          Firing since \(record.start)" : "")
                        + (acks[record.key?.description ?? ""].map {
                            "\n          Acknowledged by \($0.by) on \($0.at.prefix(10)): \($0.note)"
                        } ?? "")
                )
            }
        }
        if format == .text { print("\(records.filter { $0.state == .firing }.count) alert(s) firing") }
    }
}
