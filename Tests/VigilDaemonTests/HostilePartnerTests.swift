import Foundation
import Logging
import Testing
import VigilCore
import VigilStore
import VigilTestSupport

@testable import VigilDaemon
@testable import VigilService
@testable import VigilSystemd

/// What a partner's account can try against vigild (issue 8): files that fail every attempt,
/// names built to break sinks, and reading other partners' business from receipts.
@Suite(.serialized) struct HostilePartnerTests {
    struct Poison: Error {}

    /// Quick settings; a file named in `poison` fails every attempt at processing it.
    private func settings(poison: Set<String> = [], evaluateInterval: Double = 1e9) -> IntakeLoop.Settings {
        var settings = IntakeLoop.Settings()
        settings.settle = 0.2
        settings.evaluateInterval = evaluateInterval
        if !poison.isEmpty { settings.policy = IntakePolicy { _, name in if poison.contains(name) { throw Poison() } } }
        return settings
    }

    private func intake(_ d: TestDeployment) -> [IntakeRecord] {
        (try? Store.open(path: d.state + "/vigil.sqlite").openIntake()) ?? []
    }

    /// A file that fails (a parser crash, a stall the watchdog ends) is tried twice, each attempt
    /// committed before it starts, then set aside with a receipt; the service is ready throughout.
    @Test func aFileThatFailsEveryAttemptIsSetAsideAfterTwo() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        let good = try TestDeployment.example("police/missing-individuals.csv")
        try d.withLoop(settings: settings(poison: ["poison.csv"])) { _ in
            try d.drop("police", "poison.csv", contents: "indicator,period,value\nmissing.incidents,2013-04,9\n")
            #expect(TestDeployment.eventually { intake(d).first?.attempts == 1 })
            // The service goes on with other files meanwhile.
            try d.drop("police", "good.csv", contents: good)
            #expect(TestDeployment.eventually { d.receipts("police").count == 1 })
        }
        try d.withLoop(settings: settings(poison: ["poison.csv"])) { loop in
            #expect(loop.isReady)
            #expect(TestDeployment.eventually { intake(d).first?.attempts == 2 })
        }
        try d.withLoop(settings: settings(poison: ["poison.csv"])) { loop in
            #expect(loop.isReady)
            #expect(TestDeployment.eventually { d.receipts("police").count == 2 })
        }
        let receipt = try #require(d.receipts("police").first { $0.hasPrefix("REJECTED") })
        #expect(
            receipt
                == "REJECTED police/poison.csv: processing it failed or was cut short 2 times; it was set aside for IT to examine (quote this receipt)\n"
        )
        #expect(intake(d).isEmpty)
        #expect((try FileManager.default.contentsOfDirectory(atPath: d.state + "/processing")).isEmpty)
        let setAside = try FileManager.default.subpathsOfDirectory(atPath: d.state + "/rejected/police")
        #expect(setAside.count == 2)  // the day's folder and the file
    }

    /// One claim that fails when resumed at a start does not hold back the others: they were
    /// left until the next start.
    @Test func aClaimThatFailsWhenResumedDoesNotHoldBackTheOthers() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        try d.withLoop(settings: settings(poison: ["a.csv", "z.csv"])) { _ in
            try d.drop("police", "a.csv", contents: "indicator,period,value\nmissing.incidents,2013-04,9\n")
            #expect(TestDeployment.eventually { intake(d).count == 1 })
            try d.drop("police", "z.csv", contents: "indicator,period,value\nmissing.incidents,2013-05,8\n")
            #expect(TestDeployment.eventually { intake(d).count == 2 })
        }
        try d.withLoop(settings: settings(poison: ["a.csv"])) { _ in
            #expect(TestDeployment.eventually { d.receipts("police").contains { $0.hasPrefix("ACCEPTED police/z.csv") } })
        }
        #expect(intake(d).map(\.name) == ["a.csv"])
    }

    /// The same for claims left by a version that named them `<claim>.<partner>.<name>`: one that
    /// fails does not stop the rest.
    @Test func aLegacyClaimThatFailsDoesNotHoldBackTheOthers() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        try FileManager.default.createDirectory(atPath: d.state + "/processing", withIntermediateDirectories: true)
        for (claim, month) in [("1700000000000-1-1.police.a.csv", "04"), ("1700000000000-1-2.police.z.csv", "05")] {
            try "indicator,period,value\nmissing.incidents,2013-\(month),9\n".write(
                toFile: d.state + "/processing/" + claim, atomically: false, encoding: .utf8)
        }
        try d.withLoop(settings: settings(poison: ["a.csv"])) { _ in
            #expect(TestDeployment.eventually { d.receipts("police").contains { $0.hasPrefix("ACCEPTED police/z.csv") } })
        }
        #expect(intake(d).map(\.name) == ["a.csv"])
    }

    /// A folder, and an entry vigild cannot move aside, are refused once each, where they are,
    /// however many scans see them again; a new entry under the same name is answered again.
    @Test func anEntryLeftInPlaceIsRefusedOnce() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        // The refused folder cannot be made (as root, a permission would not stop the move).
        try FileManager.default.createDirectory(atPath: d.state + "/rejected", withIntermediateDirectories: true)
        try "not a folder".write(toFile: d.state + "/rejected/police", atomically: false, encoding: .utf8)
        var fast = settings()
        fast.scanInterval = 0.1
        let (logger, lines) = CapturingLogHandler.logger()
        // Each answer logs one warning; receipts of one name replace each other.
        let answers = { lines.all.filter { $0.hasPrefix("warning refused a dropped entry") }.count }
        try d.withLoop(settings: fast, logger: logger) { _ in
            let folder = d.drop + "/police"
            try FileManager.default.createDirectory(atPath: folder + "/sub.csv/inner", withIntermediateDirectories: true)
            #expect(mkfifo(folder + "/pipe.csv", 0o600) == 0)
            #expect(TestDeployment.eventually { d.receipts("police").count == 2 })
            usleep(1_500_000)  // fifteen scans
            let receipts = d.receipts("police")
            #expect(receipts.count == 2)
            #expect(answers() == 2)
            #expect(
                receipts.contains(
                    "REJECTED police/sub.csv: it is a directory, not a regular file; it was not read; it is left in the folder and not reported again: remove it\n"
                ))
            #expect(
                receipts.contains(
                    "REJECTED police/pipe.csv: it is a FIFO, not a regular file; it was not read; it is left in the folder and not reported again: remove it\n"
                ))
            #expect((try FileManager.default.contentsOfDirectory(atPath: folder)).sorted() == ["pipe.csv", "sub.csv"])
            // A new entry under a refused name is a new drop: answered again.
            #expect(unlink(folder + "/pipe.csv") == 0)
            #expect(mkfifo(folder + "/pipe.csv", 0o600) == 0)
            #expect(TestDeployment.eventually { answers() == 3 })
        }
        #expect((try FileManager.default.contentsOfDirectory(atPath: d.state + "/processing")).isEmpty)
    }

    /// Makes an entry whose name is `prefix` then the byte 0xFF then `n` (not UTF-8).
    private func makeRaw(_ folder: String, _ n: Int, folder isFolder: Bool = false) {
        let path: [UInt8] = Array((folder + "/x").utf8) + [0xFF] + Array("\(n)".utf8)
        let cPath = path.map { CChar(bitPattern: $0) } + [0]
        if isFolder {
            #expect(mkdir(cPath, 0o750) == 0)
        } else {
            let fd = open(cPath, O_WRONLY | O_CREAT | O_EXCL, 0o640)
            #expect(fd >= 0)
            close(fd)
        }
    }

    /// Review (helper-17): a partner's file name reached the journal (MESSAGE, VIGIL_FILE,
    /// VIGIL_RECEIPT) and the service's log, so `Jane Smith CHILD-REF-601.csv` put a child's name
    /// where IT and its monitoring read. The journal and log name such a file by its hash; the
    /// partner's own receipt still names it as dropped, and a name of the catalogue's words is
    /// shown as before.
    @Test func aFileNameOutsideTheCataloguesWordsNeverReachesTheJournalOrTheLog() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        let fields = CapturingLogHandler.Lines()
        let journal = Journal(identifier: "vigild-test") { sent in
            for (name, value) in sent { fields.append("\(name)=\(value)") }
            return true
        }
        let (logger, logged) = CapturingLogHandler.logger()
        try d.drop("police", "Jane Smith CHILD-REF-601.csv", contents: "indicator,period,value\nmissing.incidents,2013-04,ten\n")
        try d.drop("police", "missing-2013-05.csv", contents: "indicator,period,value\nmissing.incidents,2013-05,4\n")
        try d.withLoop(settings: settings(), logger: logger, journal: journal) { _ in
            #expect(TestDeployment.eventually(20) { d.receipts("police").count >= 2 })
            #expect(TestDeployment.eventually(10) { fields.all.contains { $0.hasPrefix("VIGIL_FILE=missing-2013-05.csv") } })
        }
        let all = (fields.all + logged.all).joined(separator: "\n")
        #expect(!all.contains("Jane"))
        #expect(!all.contains("CHILD-REF"))
        #expect(
            fields.all.contains {
                $0.hasPrefix("MESSAGE=REJECTED police/(name not shown, SHA-256 ")
                    && $0.hasSuffix("): 1 error(s); nothing from this file was stored")
            }, "\(fields.all.filter { $0.hasPrefix("MESSAGE=") })")
        #expect(fields.all.contains { $0.hasPrefix("VIGIL_RECEIPT=REJECTED police/(name not shown, SHA-256 ") })
        #expect(
            fields.all.contains(
                "MESSAGE=ACCEPTED police/missing-2013-05.csv: 1 row, 1 indicator (missing.incidents), periods 2013-05"))
        #expect(d.receipts("police").contains { $0.hasPrefix("REJECTED police/Jane Smith CHILD-REF-601.csv: 1 error(s)") })
    }

    /// Names that are not UTF-8 take turns like any other: a flood of them from one partner was
    /// refused all at once, before any other partner's file and without a watchdog ping between
    /// them (a hostile-partner review: 20,000 such folders kept vigild restarting for ever).
    @Test func aFloodOfNamesThatAreNotUTF8TakesItsTurn() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        let folder = d.drop + "/police"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for n in 0..<100 { makeRaw(folder, n) }
        try d.drop("health", "deaths.csv", contents: "indicator,period,value\n")
        let sent = CapturingLogHandler.Lines()
        let journal = Journal(identifier: "vigild-test") { fields in
            if let message = fields.first(where: { $0.0 == "MESSAGE" })?.1,
                message.hasPrefix("REJECTED ") || message.hasPrefix("ACCEPTED ")
            {
                sent.append(message)
            }
            return true
        }
        try d.withLoop(settings: settings(), journal: journal) { _ in
            #expect(TestDeployment.eventually(30) { sent.all.count == 101 })
        }
        let health = try #require(sent.all.firstIndex { $0.hasPrefix("REJECTED health/deaths.csv") })
        #expect(health < 3, "health's file came after \(health) of police's refusals")
        #expect(sent.all.filter { $0.contains("its name is not valid UTF-8") }.count == 100)
    }

    /// Past the partner's share of remembered refusals, folders whose names are not UTF-8 are
    /// left unanswered after their first answer, like any other folder: they were answered again
    /// at every scan.
    @Test func foldersWithNamesThatAreNotUTF8PastTheCapAreNotAnsweredAtEveryScan() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        var fast = settings()
        fast.scanInterval = 0.1
        fast.refusedPerPartner = 2
        let (logger, lines) = CapturingLogHandler.logger()
        let answers = { lines.all.filter { $0.hasPrefix("warning refused a dropped entry") }.count }
        let folder = d.drop + "/police"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for n in 0..<3 { makeRaw(folder, n, folder: true) }
        try d.withLoop(settings: fast, logger: logger) { _ in
            // The three are seen together, before any is remembered: each is answered once.
            #expect(TestDeployment.eventually { answers() == 3 })
            usleep(1_000_000)  // ten scans: the one past the cap is not answered again
            #expect(answers() == 3)
        }
        #expect(IntakeLoop.rawNames(in: folder).count == 3)
    }

    /// Names are data: up to 255 bytes work, newlines stay escaped, bytes that are not UTF-8 get
    /// a receipt of their own.
    @Test func namesOfAnyShapeAreTakenOrAnsweredOnce() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        let long = String(repeating: "n", count: 246) + ".csv"
        #expect(long.utf8.count == 250)
        try d.withLoop(settings: settings()) { _ in
            try d.drop("police", long, contents: "indicator,period,value\nmissing.incidents,2013-04,9\n")
            #expect(TestDeployment.eventually { d.receipts("police").count == 1 })
            #expect(d.receipts("police")[0].hasPrefix("ACCEPTED police/\(long): 1 row,"))

            try d.drop("police", "x\nWATCHDOG=trigger\ny.csv", contents: "indicator,period,value\nmissing.incidents,2013-05,7\n")
            #expect(TestDeployment.eventually { d.receipts("police").count == 2 })
            let escaped = try #require(d.receipts("police").first { $0.contains("WATCHDOG") })
            #expect(escaped.hasPrefix("ACCEPTED police/x\\x0aWATCHDOG=trigger\\x0ay.csv: 1 row,"))
            #expect(d.receiptNames("police").allSatisfy { !$0.contains("\n") })

            // "bad\xff.csv", created by bytes.
            let raw: [UInt8] = Array((d.drop + "/police/bad").utf8) + [0xFF] + Array(".csv".utf8)
            let fd = open(raw.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT | O_EXCL, 0o640)
            #expect(fd >= 0)
            close(fd)
            #expect(TestDeployment.eventually { d.receipts("police").count == 3 })
            #expect(
                d.receipts("police").contains(
                    "REJECTED police/bad\\xff.csv: its name is not valid UTF-8; rename it with letters, digits, '-', '_' and '.'; it was not read\n"
                ))
            #expect(IntakeLoop.rawNames(in: d.drop + "/police").isEmpty)
        }
        let archived = try FileManager.default.subpathsOfDirectory(atPath: d.state + "/archive/police")
        // day/file: both files archived, under Vigil's names (claim, hash, the name escaped and cut).
        #expect(archived.filter { $0.contains("/") }.count == 2)
        #expect(archived.allSatisfy { $0.utf8.count < 200 && !$0.contains("\n") })
    }

    /// A folder whose name is not UTF-8 is answered for its name, as `vigil check` answers it
    /// (review helper-39: vigild said "a directory", check "not valid UTF-8"): the name is judged
    /// before the entry, by both. A folder is never moved, so it stays, answered once.
    @Test func aFolderNamedInBytesIsAnsweredForItsNameAsCheckAnswersIt() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        try d.withLoop(settings: settings()) { _ in
            let raw: [UInt8] = Array((d.drop + "/police/dir").utf8) + [0xFF]
            #expect(mkdir(raw.map { CChar(bitPattern: $0) } + [0], 0o750) == 0)
            #expect(TestDeployment.eventually { d.receipts("police").count == 1 })
            let answer =
                "REJECTED police/dir\\xff: its name is not valid UTF-8; rename it with letters, digits, '-', '_' and '.'; it was not read; it is left in the folder and not reported again: remove it\n"
            #expect(d.receipts("police") == [answer])
            usleep(500_000)  // five scans: answered once
            #expect(d.receipts("police").count == 1)
        }
        #expect(IntakeLoop.rawNames(in: d.drop + "/police").count == 1)
    }

    /// A police receipt never shows children's services' alerts, even when they fall due while
    /// police's file is processed: a file re-evaluates only the rules on what it supplied, and the
    /// clock's evaluation raises the overdue CAFs, credited to no partner in the journal.
    @Test func aReceiptCarriesOnlyThePartnersOwnAlerts() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        let clock = TestClock(TestClock.day("2026-11-20"))
        try d.withLoop(settings: settings(evaluateInterval: 0.3), now: clock.now) { _ in
            try d.drop("childrens-services", "caf.csv", contents: "indicator,period,value\ncaf.registered,2026-10,40\n")
            #expect(TestDeployment.eventually { d.receipts("childrens-services").count == 1 })
            #expect(!d.alertLines.contains { $0.contains("caf-overdue") })
            // Sixty days on (November's CAFs were due by 14 January), police's file arrives as the
            // CAFs fall overdue.
            clock.set(TestClock.day("2027-01-20"))
            try d.drop("police", "missing.csv", contents: "indicator,period,value\nmissing.incidents,2026-12,10\n")
            #expect(TestDeployment.eventually { d.receipts("police").count == 1 })
            #expect(TestDeployment.eventually { d.alertLines.contains { $0.contains("\"rule\":\"caf-overdue\"") } })
        }
        let police = d.receipts("police")[0]
        #expect(police.hasPrefix("ACCEPTED police/missing.csv: 1 row,"))
        #expect(!police.contains("CAF"))
        let overdue = try #require(d.alertLines.first { $0.contains("\"rule\":\"caf-overdue\"") })
        #expect(overdue.contains("\"event\":\"firing\""))
        do {
            try #require(Journald.available, "needs systemd-journald (as root one is started)")
            let id = String(overdue.dropFirst(7).prefix(32))
            var entries: [[String: Any]] = []
            #expect(
                TestDeployment.eventually {
                    entries = Journald.entries("VIGIL_ALERT_ID=\(id)", "SYSLOG_IDENTIFIER=" + d.identifier)
                    return !entries.isEmpty
                })
            #expect(entries.allSatisfy { $0["VIGIL_PARTNER"] == nil })
        }
    }

    /// Duplicates are judged per partner and after the checks: another partner's identical bytes
    /// get that partner's own verdict, so DUPLICATE reveals nothing about what others sent.
    @Test func anotherPartnersBytesGetThatPartnersOwnVerdict() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        let bytes = "indicator,period,value\nmissing.incidents,2013-04,9\n"
        try d.withLoop(settings: settings()) { _ in
            try d.drop("police", "guess.csv", contents: bytes)
            #expect(TestDeployment.eventually { d.receipts("police").count == 1 })
            try d.drop("childrens-services", "guess.csv", contents: bytes)
            #expect(TestDeployment.eventually { d.receipts("childrens-services").count == 1 })
            try d.drop("police", "again.csv", contents: bytes)
            #expect(TestDeployment.eventually { d.receipts("police").count == 2 })
        }
        #expect(
            d.receipts("childrens-services")[0]
                == "REJECTED childrens-services/guess.csv: 1 error(s); nothing from this file was stored\n  childrens-services/guess.csv:2:1: error[feed.permission]: partner 'childrens-services' may not supply 'missing.incidents'; the catalogue grants it to police\n"
        )
        #expect(d.receipts("police").contains { $0.hasPrefix("DUPLICATE police/again.csv") })
    }

    /// Child references reach no sink: not receipts, alert files, logs or the journal, not the
    /// store's file (they are hashed in memory), and not the archive once retention has passed.
    /// A headerless extract and an aggregate file quoting a reference are tried too.
    @Test func noChildIdentifierLeavesTheStore() throws {
        let d = try TestDeployment(extra: "retention: {record_files: 30}")
        defer { d.remove() }
        let token = "Kid-" + UUID().uuidString.prefix(8)
        let clock = TestClock(TestClock.day("2013-05-02"))
        let (logger, lines) = CapturingLogHandler.logger()
        let header = "episode_id,child_ref,reported_at,returned_at,in_care,age,sex,locality,source\n"
        let rows = (1...40).map {
            "E\($0),\(token)-\($0 % 6),2013-04-\(10 + $0 % 9)T10:00:00,,\($0 % 2 == 0 ? "Y" : "N"),14,F,North,police"
        }
        let extract = rows.joined(separator: "\n") + "\n"
        // The hourly evaluation on the (injected) clock is what purges.
        try d.withLoop(settings: settings(evaluateInterval: 3600), now: clock.now, logger: logger) { _ in
            try d.drop("police", "episodes.csv", contents: header + extract)
            try d.drop("police", "headerless.csv", contents: extract)
            try d.drop(
                "police", "quoted.csv", contents: "indicator,period,value\n\(token)-1,2013-04,3\nmissing.incidents,\(token)-2,4\n"
            )
            try d.drop("police", "broken.csv", contents: header + extract + "E99,\(token)-9,not-a-date,,Y,14,F,North,police\n")
            // Generous: in CI this runs beside the Chromium rendering tests on two cores.
            #expect(TestDeployment.eventually(30) { d.receipts("police").count == 4 })
            #expect(d.receipts("police").contains { $0.hasPrefix("ACCEPTED police/episodes.csv: 40 rows") })
            #expect(FileManager.default.fileExists(atPath: d.state + "/archive-records/police/2013-05-02"))
            // A month on, the clock's evaluation purges the record-level files; an aggregate file wakes the loop.
            clock.set(TestClock.day("2013-06-05"))
            try d.drop("health", "deaths.csv", contents: try TestDeployment.example("health/child-deaths.csv"))
            #expect(
                TestDeployment.eventually(30) {
                    !FileManager.default.fileExists(atPath: d.state + "/archive-records/police/2013-05-02")
                })
        }
        var places: [String: String] = [:]
        let fm = FileManager.default
        for root in [d.receipts, d.alerts, d.state] {
            for path in (try? fm.subpathsOfDirectory(atPath: root)) ?? [] {
                if let data = fm.contents(atPath: root + "/" + path) {
                    places[root + "/" + path] = String(decoding: data, as: UTF8.self)
                }
            }
        }
        #expect(places.keys.contains { $0.hasSuffix("vigil.sqlite") })
        #expect(!(try fm.subpathsOfDirectory(atPath: d.state + "/rejected/police")).contains { $0.contains("/") })
        places["log"] = lines.all.joined(separator: "\n")
        try #require(Journald.available, "needs systemd-journald (as root one is started)")
        places["journal"] = Journald.export("SYSLOG_IDENTIFIER=" + d.identifier)
        // `episodes` is not the catalogue's word, so the journal names the extract by its
        // published identity: the HMAC of police's id and its SHA-256 under the store's key.
        let plain = SHA256.hex(header + extract)
        let keyed = Store.publishedIdentity(
            of: plain, partner: "police", key: try Store.open(path: d.state + "/vigil.sqlite").fileKey())
        let accepted = "MESSAGE=ACCEPTED police/(name not shown, SHA-256 \(keyed.prefix(12))): 40 rows"
        #expect(places["journal"]!.contains(accepted))
        for (place, text) in places {
            #expect(!text.lowercased().contains(token.lowercased()), "a child reference in \(place)")
        }
        #expect(places["log"]!.contains("deleted record-level files past their retention"))
    }

    /// journald refusing entries holds back only the journal: receipts, alert lines and
    /// firing.json go out at once, and the journal entries follow, in order, once it recovers.
    @Test func aRefusingJournalNeverStopsReceiptsOrAlertFiles() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        let refusing = Journal(identifier: "vigild-test") { _ in false }
        try d.withLoop(settings: settings(), journal: refusing) { _ in
            try d.drop("police", "missing.csv", contents: try TestDeployment.example("police/missing-incidents.csv"))
            #expect(TestDeployment.eventually { d.receipts("police").count == 1 })
            #expect(TestDeployment.eventually { FileManager.default.fileExists(atPath: d.alerts + "/firing.json") })
            #expect(d.alertLines.contains { $0.contains("missing-incidents-spike") })
        }
        let store = try Store.open(path: d.state + "/vigil.sqlite")
        let held = try store.pendingOutbox()
        #expect(!held.isEmpty)
        #expect(held.allSatisfy { $0.item.kind == Effect.fileJournal.rawValue || $0.item.kind == Effect.alertJournal.rawValue })
        #expect(held.first?.item.kind == Effect.fileJournal.rawValue)
        // journald is back: what was held is delivered, the file's entry first.
        let delivered = CapturingLogHandler.Lines()
        let accepting = Journal(identifier: "vigild-test") { fields in
            // Another suite's SIGHUP (process-wide) can make this loop log a reload: not an outbox entry.
            let id = fields.first { $0.0 == "MESSAGE_ID" }?.1 ?? ""
            if id != MessageID.configReloaded.rawValue && id != MessageID.configRejected.rawValue { delivered.append(id) }
            return true
        }
        try d.withLoop(settings: settings(), journal: accepting) { _ in
            #expect(TestDeployment.eventually { (try? store.pendingOutbox().isEmpty) == true })
        }
        #expect(delivered.all.count == held.count)
        #expect(delivered.all.first == MessageID.fileAccepted.rawValue)
        #expect(delivered.all.contains(MessageID.alertFiring.rawValue))
    }

    /// A count of 1e-308 under a percentage's numerator made the percentage infinite: its alert
    /// could not be encoded into the outbox, and that row stopped the journal lane for every
    /// partner, for ever (a hostile-partner review, 2026-12-05). Every later entry must go out.
    @Test func aTinyDenominatorNeverStopsTheJournal() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        let delivered = CapturingLogHandler.Lines()
        let journal = Journal(identifier: "vigild-test") { fields in
            let id = fields.first { $0.0 == "MESSAGE_ID" }?.1 ?? ""
            if id != MessageID.configReloaded.rawValue && id != MessageID.configRejected.rawValue { delivered.append(id) }
            return true
        }
        let tiny = """
            indicator,period,value
            cp.new_plans_repeat,2025/26,1
            cp.new_plans,2025/26,1e-308
            cp.plans_ended_2yrs_plus,2025/26,1
            cp.plans_ended,2025/26,1e-308
            cp.plans_ended_2yrs_plus,2024/25,1
            cp.plans_ended,2024/25,10

            """
        try d.withLoop(settings: settings(), journal: journal) { _ in
            try d.drop("childrens-services", "tiny.csv", contents: tiny)
            #expect(TestDeployment.eventually { d.receipts("childrens-services").count == 1 })
            try d.drop("police", "missing.csv", contents: try TestDeployment.example("police/missing-incidents.csv"))
            #expect(TestDeployment.eventually { d.receipts("police").count == 1 })
            let store = try Store.open(path: d.state + "/vigil.sqlite")
            #expect(TestDeployment.eventually { (try? store.pendingOutbox().isEmpty) == true })
        }
        #expect(delivered.all.contains(MessageID.alertFiring.rawValue))
        #expect(
            delivered.all.filter { $0 == MessageID.fileAccepted.rawValue || $0 == MessageID.fileRejected.rawValue }.count == 2)
        #expect(!d.alertLines.contains { $0.contains("\"indicator\":\"cp.repeat_plans_pct\"") })
        // The counts are the partner's to send; the percentages over them are no value.
        #expect(d.receipts("childrens-services")[0].hasPrefix("ACCEPTED childrens-services/tiny.csv: 6 rows"))
    }

    /// Another partner's extract (child references included) dropped by a partner that sends no
    /// record-level data is rejected; its copy must not outlive the retention either.
    @Test func anotherPartnersExtractIsNotKeptPastRetention() throws {
        let d = try TestDeployment(extra: "retention: {record_files: 30}")
        defer { d.remove() }
        let clock = TestClock(TestClock.day("2013-05-02"))
        let header = "episode_id,child_ref,reported_at,returned_at,in_care,age,sex,locality,source\n"
        let rows = (1...5).map { "E\($0),Kid-\($0),2013-04-1\($0)T10:00:00,,N,14,F,North,police" }.joined(separator: "\n") + "\n"
        try d.withLoop(settings: settings(evaluateInterval: 3600), now: clock.now) { _ in
            try d.drop("health", "extract.csv", contents: header + rows)
            try d.drop("health", "headerless.csv", contents: rows)
            // 30 s, as the other daemon tests wait: in CI this loop shares two cores with the
            // Chromium rendering tests (it missed 10 s there once the pack had 132 rules).
            #expect(TestDeployment.eventually(30) { d.receipts("health").count == 2 })
            #expect(d.receipts("health").allSatisfy { $0.hasPrefix("REJECTED") })
            #expect(FileManager.default.fileExists(atPath: d.state + "/rejected/health/2013-05-02"))
            clock.set(TestClock.day("2013-06-05"))
            try d.drop("health", "deaths.csv", contents: try TestDeployment.example("health/child-deaths.csv"))
            #expect(
                TestDeployment.eventually(30) { !FileManager.default.fileExists(atPath: d.state + "/rejected/health/2013-05-02") }
            )
        }
    }

    /// A partner cannot grow the store (and vigild's copy of it in memory) without bound: past
    /// `max_values_per_partner` its file is rejected whole with a receipt saying why, and its
    /// revisions, and other partners' files, are still taken.
    @Test func aPartnersStoredValuesAreBoundedByTheService() throws {
        let d = try TestDeployment(extra: "max_values_per_partner: 40")
        defer { d.remove() }
        try d.withLoop { _ in
            try d.drop("police", "a.csv", contents: try TestDeployment.example("police/missing-incidents.csv"))
            #expect(TestDeployment.eventually { d.receipts("police").count == 1 })
            let earlier = (4...8).map { "missing.incidents,2009-0\($0),7" }.joined(separator: "\n")
            try d.drop("police", "b.csv", contents: "indicator,period,value\n" + earlier + "\n")
            #expect(TestDeployment.eventually { d.receipts("police").count == 2 })
            #expect(
                d.receipts("police").contains(
                    "REJECTED police/b.csv: 1 error(s); nothing from this file was stored\n  police/b.csv: error[feed.quota]: this file's 5 new values would give police 41 stored values, more than its limit of 40 (max_values_per_partner in vigil.yaml, set by IT); nothing from this file was stored\n"
                ))
            try d.drop(
                "police", "c.csv", contents: "indicator,period,value\nmissing.incidents,2010-04,99\nmissing.incidents,2009-04,7\n"
            )
            #expect(TestDeployment.eventually { d.receipts("police").count == 3 })
            #expect(
                d.receipts("police").contains {
                    $0.hasPrefix("ACCEPTED police/c.csv: 2 rows") && $0.contains("1 new value(s), 1 revised")
                })
            try d.drop("health", "h.csv", contents: try TestDeployment.example("health/child-deaths.csv"))
            #expect(TestDeployment.eventually { d.receipts("health").count == 1 })
            #expect(d.receipts("health").first?.hasPrefix("ACCEPTED") == true)
        }
    }

    /// A drop folder of millions of names takes longer to read than the watchdog waits (review:
    /// scans and inotify overflows read it without a ping), so reading reports progress every
    /// `progressEvery` entries and the scan pings the watchdog from there.
    @Test func aLongFolderReadReportsProgress() throws {
        let folder = NSTemporaryDirectory() + "vigild-names-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for n in 0..<25 { FileManager.default.createFile(atPath: folder + "/f\(n).csv", contents: Data()) }
        var progress = 0
        var names = 0
        IntakeLoop.forEachRawName(in: folder, progressEvery: 10, progress: { progress += 1 }, { _ in names += 1 })
        #expect(names == 25)
        #expect(progress == 2)
    }
}
