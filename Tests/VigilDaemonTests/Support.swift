import Foundation
import Logging
import Testing
import VigilConfiguration
import VigilCore
import VigilStore
import VigilSystemd
import VigilTestSupport

@testable import VigilDaemon
@testable import VigilService
@testable import VigilSystemd

/// A throw-away Vigil deployment in a temporary folder: the repository's catalogue and rules with
/// every path under the folder.
struct TestDeployment {
    let root: String
    var config: String { root + "/etc/vigil.yaml" }
    var drop: String { root + "/drop" }
    var receipts: String { root + "/receipts" }
    var alerts: String { root + "/alerts" }
    /// The journal's `SYSLOG_IDENTIFIER` of this deployment's loops, its own: a journal can hold
    /// earlier runs' entries, and a test that matched them would pass on what it did not do.
    let identifier = "vigild-test-" + UUID().uuidString.prefix(8).lowercased()
    var state: String { root + "/state" }

    static let repo: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    init(extra: String = "") throws {
        root = NSTemporaryDirectory() + "vigild-test-" + UUID().uuidString
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/etc/rules.d", withIntermediateDirectories: true)
        try fm.copyItem(atPath: Self.repo + "/config/catalogue.yaml", toPath: root + "/etc/catalogue.yaml")
        for rule in try fm.contentsOfDirectory(atPath: Self.repo + "/config/rules.d") {
            try fm.copyItem(atPath: Self.repo + "/config/rules.d/" + rule, toPath: root + "/etc/rules.d/" + rule)
        }
        try fm.copyItem(atPath: Self.repo + "/config/records.d", toPath: root + "/etc/records.d")
        try """
        catalogue: catalogue.yaml
        rules: [rules.d/*.yaml]
        records: [records.d/*.yaml]
        paths: {state: ../state, drop: ../drop, receipts: ../receipts, alerts: ../alerts, digests: ../digests}
        partners: [police, childrens-services, community-safety, health]
        \(extra)
        """.write(toFile: config, atomically: true, encoding: .utf8)
    }

    func remove() { try? FileManager.default.removeItem(atPath: root) }

    /// Creates the state and alerts folders and opens the store, for an effect runner without a loop.
    func openStore() throws -> Store {
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: alerts, withIntermediateDirectories: true)
        return try Store.open(path: state + "/vigil.sqlite")
    }

    /// Drops a file the documented way: write it under a dot-name, then rename it in.
    func drop(_ partner: String, _ name: String, contents: String) throws {
        let folder = drop + "/" + partner
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let part = folder + "/.part-" + UUID().uuidString
        try contents.write(toFile: part, atomically: false, encoding: .utf8)
        guard rename(part, folder + "/" + name) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    /// An example feed's text.
    static func example(_ path: String) throws -> String {
        try String(contentsOfFile: repo + "/config/examples/peterborough-2012-13/" + path, encoding: .utf8)
    }

    /// Waits (polling real files, up to `seconds`) until `condition` holds.
    static func eventually(_ seconds: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    /// Receipt texts for a partner.
    func receipts(_ partner: String) -> [String] {
        let folder = receipts + "/" + partner
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".receipt.txt") }
            .sorted()
            .compactMap { try? String(contentsOfFile: folder + "/" + $0, encoding: .utf8) }
    }

    /// Lines of alerts.jsonl.
    var alertLines: [String] {
        ((try? String(contentsOfFile: alerts + "/alerts.jsonl", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Runs an intake loop on this deployment (real inotify, SQLite and, when one listens, the
    /// journal) until `body` returns; waits until it is ready first.
    func withLoop(
        settings: IntakeLoop.Settings = IntakeLoop.Settings(), now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = Logger(label: "test"), journal custom: Journal? = nil, notifier: Notifier = Notifier(),
        _ body: (IntakeLoop) throws -> Void
    ) throws {
        IntakeLoop.installHangupHandler()
        let journal = custom ?? (Journald.available ? Journal.connect(identifier: identifier) : nil)
        let loop = try IntakeLoop(
            configPath: config, logger: logger, journal: journal, notifier: notifier, settings: settings, now: now)
        loop.start()
        defer {
            // Polled, not awaited: blocking a test's thread on a Task can starve the two-thread
            // cooperative pool when two suites do it at once.
            loop.requestStop()
            #expect(TestDeployment.eventually(60) { loop.hasStopped })
        }
        #expect(TestDeployment.eventually { loop.isReady })
        try body(loop)
    }

    /// Receipt file names for a partner.
    func receiptNames(_ partner: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: receipts + "/" + partner)) ?? []).sorted()
    }
}

/// A clock a test moves by hand.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var date: Date
    init(_ date: Date) { self.date = date }
    /// The current time.
    func now() -> Date {
        lock.lock()
        defer { lock.unlock() }
        return date
    }
    /// Moves the time on by `seconds` and returns the new time.
    func advance(by seconds: Double) -> Date {
        lock.lock()
        defer { lock.unlock() }
        date += seconds
        return date
    }
    /// Sets the time.
    func set(_ new: Date) {
        lock.lock()
        date = new
        lock.unlock()
    }
    /// Noon UTC on a day given as yyyy-mm-dd.
    static func day(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text + "T12:00:00Z")!
    }
}

/// A log handler that keeps every line (message and metadata) in memory, for tests that search
/// what the service logged.
struct CapturingLogHandler: LogHandler {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func append(_ line: String) {
            lock.lock()
            lines.append(line)
            lock.unlock()
        }
        var all: [String] {
            lock.lock()
            defer { lock.unlock() }
            return lines
        }
    }
    let lines: Lines
    var logLevel: Logger.Level = .trace

    /// A logger that keeps every line, with the lines it keeps.
    static func logger() -> (logger: Logger, lines: Lines) {
        let lines = Lines()
        return (Logger(label: "test") { _ in CapturingLogHandler(lines: lines) }, lines)
    }
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        lines.append("\(event.level) \(event.message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })")
    }
}

extension CapturingLogHandler {
    /// A journal that accepts every entry and keeps its `MESSAGE`, with the messages it keeps.
    static func journal() -> (journal: Journal, sent: Lines) {
        let sent = Lines()
        let journal = Journal(identifier: "vigild-test") { fields in
            sent.append(fields.first { $0.0 == "MESSAGE" }?.1 ?? "")
            return true
        }
        return (journal, sent)
    }
}

extension TestDeployment {
    /// Waits until the partner's first file is answered and its alert lines are written:
    /// `firing.json` is rewritten after the alert lines are appended (the lanes' order), so the
    /// receipt alone can be read before them.
    func firstFileDone(_ partner: String) -> Bool {
        TestDeployment.eventually {
            receipts(partner).count == 1 && FileManager.default.fileExists(atPath: alerts + "/firing.json")
        }
    }
}
