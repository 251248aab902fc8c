import Foundation
import Logging
import Testing
import VigilCore
import VigilTestSupport

@testable import VigilDaemon
@testable import VigilService
@testable import VigilSystemd

@Suite(.serialized) struct JournalTests {
    @Test func fieldNamesJournaldAccepts() {
        #expect(Journal.isValidField("VIGIL_ALERT_ID"))
        #expect(!Journal.isValidField("vigil_rule"))
        #expect(!Journal.isValidField("_PID"))
        #expect(!Journal.isValidField("1ABC"))
        #expect(!Journal.isValidField(String(repeating: "A", count: 65)))
        #expect(JournalLogHandler.fieldName("file_sha256") == "VIGIL_FILE_SHA256")
        #expect(JournalLogHandler.fieldName("from-path") == "VIGIL_FROM_PATH")
        #expect(
            EffectRunner.priority(.critical).rawValue == 2 && EffectRunner.priority(.warning).rawValue == 4
                && EffectRunner.priority(.info).rawValue == 6)
    }

    /// A listening socket is reachable; the file a closed one leaves behind is not (a stopped journald).
    @Test func reachabilityTellsAListeningSocketFromAStaleOne() throws {
        let path = NSTemporaryDirectory() + "vigil-journal-\(UUID().uuidString.prefix(8)).socket"
        defer { unlink(path) }
        #expect(!Journal.isReachable(socket: path))
        let fd = Journald.boundDatagramSocket(path)
        #expect(fd >= 0)
        #expect(Journal.isReachable(socket: path))
        close(fd)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(!Journal.isReachable(socket: path))
    }

    @Test
    func anAlertEntryCarriesEveryVigilField() throws {
        try #require(Journald.available, "needs systemd-journald (as root one is started)")
        let journal = try #require(Journal.connect(identifier: "vigild-test"))
        let id = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let event = AlertEvent(
            id: id, event: .firing, rule: "lac-rate-above-target", kind: "target", indicator: "lac.rate_per_10k",
            indicatorTitle: "Children looked after per 10,000", breakdown: ["gender": "male"], period: "2013-03-31",
            periodLabel: "31 March 2013",
            since: "2013-03-31", value: 79.3, expected: 74, unit: "rate_per_10k", severity: .critical, priority: 2,
            priorityTitle: "Protection",
            message: "Children looked after per 10,000, 31 March 2013: 79.3 is 7.2% above the target", explanation: "x",
            action: "Ask why",
            signal: "concern", ruleHash: "h", sources: ["abc", "def"], evaluatedAt: "2013-04-30")
        #expect(
            journal.send(
                message: event.message, priority: EffectRunner.priority(event.severity),
                fields: EffectRunner.journalFields(event, partner: "childrens-services")))
        var entries: [[String: Any]] = []
        #expect(
            TestDeployment.eventually(10) {
                entries = Journald.entries("VIGIL_ALERT_ID=\(id)")
                return !entries.isEmpty
            })
        let entry = try #require(entries.first)
        #expect(entry["MESSAGE"] as? String == event.message)
        #expect(entry["PRIORITY"] as? String == "2")
        #expect(entry["SYSLOG_IDENTIFIER"] as? String == "vigild-test")
        #expect(entry["MESSAGE_ID"] as? String == MessageID.alertFiring.rawValue)
        #expect(entry["VIGIL_RULE"] as? String == "lac-rate-above-target")
        #expect(entry["VIGIL_INDICATOR"] as? String == "lac.rate_per_10k")
        #expect(entry["VIGIL_BREAKDOWN"] as? String == "gender=male")
        #expect(entry["VIGIL_PERIOD"] as? String == "2013-03-31")
        #expect(entry["VIGIL_VALUE"] as? String == "79.3")
        #expect(entry["VIGIL_EXPECTED"] as? String == "74")
        #expect(entry["VIGIL_SEVERITY"] as? String == "critical")
        #expect(entry["VIGIL_PRIORITY"] as? String == "2")
        #expect(entry["VIGIL_PARTNER"] as? String == "childrens-services")
        #expect(entry["VIGIL_FILE_SHA256"] as? String == "abc,def")
    }

    @Test
    func theLogHandlerWritesPrioritiesAndMetadata() throws {
        try #require(Journald.available, "needs systemd-journald (as root one is started)")
        let journal = try #require(Journal.connect(identifier: "vigild-test"))
        let marker = UUID().uuidString
        var logger = Logger(label: "vigil.test") { JournalLogHandler(label: $0, journal: journal) }
        logger[metadataKey: "marker"] = "\(marker)"
        logger.warning("something to look at", metadata: ["partner": "police"])
        var entries: [[String: Any]] = []
        #expect(
            TestDeployment.eventually(10) {
                entries = Journald.entries("VIGIL_MARKER=\(marker)")
                return !entries.isEmpty
            })
        #expect(entries.first?["PRIORITY"] as? String == "4")
        #expect(entries.first?["VIGIL_PARTNER"] as? String == "police")
        #expect(entries.first?["MESSAGE"] as? String == "something to look at")
    }
}

@Suite struct AlertFilesTests {
    @Test func aPartialLineFromACrashIsCutOffAndRewritten() throws {
        let folder = NSTemporaryDirectory() + "alertfiles-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = AlertFiles(folder: folder)
        try files.append(["{\"id\":\"aaaa\",\"event\":\"firing\"}"])
        try DurableFile.append("{\"id\":\"bbbb\",\"ev", to: files.logPath)
        #expect(files.recentIds() == ["aaaa"])
        try files.append(["{\"id\":\"bbbb\",\"event\":\"firing\"}"])
        #expect(
            try String(contentsOfFile: files.logPath, encoding: .utf8)
                == "{\"id\":\"aaaa\",\"event\":\"firing\"}\n{\"id\":\"bbbb\",\"event\":\"firing\"}\n")
    }

    /// Only the end of `alerts.jsonl` can hold lines still pending after a crash (one batch), so
    /// only the end is read: a log of years of events is never read whole into memory (review: a
    /// partner's flood could grow it by about 1 GB an hour, read whole at every start, past the
    /// unit's MemoryMax=1G).
    @Test func onlyTheEndOfTheLogIsRead() throws {
        let folder = NSTemporaryDirectory() + "alertfiles-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = AlertFiles(folder: folder)
        let padding = String(repeating: "x", count: 1000)
        try files.append((0..<5000).map { "{\"id\":\"old-\($0)\",\"message\":\"\(padding)\"}" })
        try files.append((1...3).map { "{\"id\":\"recent-\($0)\",\"event\":\"firing\"}" })
        let ids = files.recentIds(lines: 10, chunk: 4096)
        #expect(ids == (4993..<5000).map { "old-\($0)" } + ["recent-1", "recent-2", "recent-3"])
    }

    /// The last batch's lines are read however long they are (review: a tail of 16 MiB held 409
    /// of 500 lines of 40 KiB, since `sources` grows with a partner's files), and a partial last
    /// line longer than a chunk is still cut off.
    @Test func theLastBatchIsReadWhateverItsLinesLength() throws {
        let folder = NSTemporaryDirectory() + "alertfiles-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = AlertFiles(folder: folder)
        let padding = String(repeating: "s", count: 40_000)
        let lines = (0..<600).map { "{\"id\":\"line-\($0)\",\"sources\":\"\(padding)\"}" }
        try files.append(lines)
        try DurableFile.append("{\"id\":\"partial\",\"sources\":\"" + padding + padding, to: files.logPath)
        let ids = files.recentIds()
        #expect(ids.count == 501)
        #expect(ids.first == "line-99")
        #expect(ids.last == "line-599")
        let size = (try FileManager.default.attributesOfItem(atPath: files.logPath)[.size] as? Int) ?? 0
        let whole = lines.reduce(0) { $0 + $1.utf8.count + 1 }
        #expect(size == whole, "the partial line is cut off")
    }

    /// Review: a partial last line whose length is a whole number of chunks was left in place
    /// (the cut compared the line end with the chunk's end, not the file's).
    @Test func aPartialLineOfWholeChunksIsCutOff() throws {
        let folder = NSTemporaryDirectory() + "alertfiles-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = AlertFiles(folder: folder)
        let whole = "{\"id\":\"aa\"}\n{\"id\":\"bb\"}\n"
        #expect(whole.utf8.count == 24, "whole lines end on a chunk boundary")
        let partial = "{\"id\":\"partial12"
        #expect(partial.utf8.count == 16, "two chunks of partial line")
        try DurableFile.append(whole + partial, to: files.logPath)
        #expect(files.recentIds(lines: 5, chunk: 8) == ["aa", "bb"])
        #expect(try String(contentsOfFile: files.logPath, encoding: .utf8) == whole)
    }

    /// The runner remembers the ids it appended only as far back as a crash could repeat them.
    @Test func recentIdsForgetTheOldest() {
        var recent = RecentIds(capacity: 3)
        for id in ["a", "b", "c", "d"] { recent.insert(id) }
        #expect(["a", "b", "c", "d"].map { recent.contains($0) } == [false, true, true, true])
        recent.insert("c")
        recent.insert("e")
        #expect(["b", "c", "d", "e"].map { recent.contains($0) } == [false, true, true, true])
    }

    @Test func firingJSONIsReplacedAtomically() throws {
        let folder = NSTemporaryDirectory() + "alertfiles-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = AlertFiles(folder: folder)
        try files.writeFiring([], generatedAt: "2013-04-30T00:00:00Z")
        #expect(
            try String(contentsOfFile: files.firingPath, encoding: .utf8)
                == "{\"generated_at\":\"2013-04-30T00:00:00Z\",\"firing\":[\n\n]}\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["firing.json"])
    }
}

/// Log lines for standard error stay one line whatever a partner named its file.
@Suite struct StderrLogHandlerTests {
    @Test func aForgedLineBecomesPartOfOneEscapedLine() {
        let line = StderrLogHandler.line(
            label: "vigild", level: .warning, message: "refused a dropped entry",
            metadata: ["file": "x\n<0>vigild: emergency: forged", "partner": "police"])
        #expect(line == "vigild: warning: refused a dropped entry file=x\\x0a<0>vigild: emergency: forged partner=police")
        #expect(!line.contains("\n"))
    }
}
