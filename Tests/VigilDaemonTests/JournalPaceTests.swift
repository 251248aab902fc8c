import Foundation
import Logging
import Testing
import VigilCore
import VigilStore

@testable import VigilDaemon
@testable import VigilService
@testable import VigilSystemd

/// journald drops a unit's messages past its rate limit and the sender is not told, so vigild
/// paces its journal entries below it and keeps the rest in the outbox for the next window.
@Suite struct JournalPaceTests {
    @Test func aWindowsBudgetIsSpentThenRenewed() {
        var pace = JournalPace(budget: 2, interval: 30)
        let taken = [100, 101, 102, 129.9, 130].map { pace.take(at: $0) }
        #expect(taken == [true, true, false, false, true])
        #expect(pace.resumes(after: 130) == nil)
        let again = [131, 140].map { pace.take(at: $0) }
        #expect(again == [true, false])
        #expect(pace.resumes(after: 140) == 160)
        // A clock set back starts a new window rather than holding entries until it catches up.
        let back = pace.take(at: 50)
        #expect(back)
    }

    /// One file's many alert events: the journal gets the budget now and the rest in the next
    /// windows, in order, none lost; receipts and alert files are not held back.
    @Test func entriesPastTheBudgetWaitInTheOutboxInOrder() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        let store = try d.openStore()
        let events = (1...7).map { n in
            AlertEvent(
                id: "id-\(n)", event: .firing, rule: "r", kind: "threshold", indicator: "missing.incidents",
                indicatorTitle: "Missing", breakdown: [:], period: "2013-0\(n)", periodLabel: "p", since: "2013-0\(n)",
                value: Double(n), expected: 1, unit: "count", severity: .warning, priority: 7, priorityTitle: "p",
                message: "event \(n)", explanation: "e", action: nil, signal: "concern", ruleHash: "h", sources: ["s"],
                evaluatedAt: "2013-12-01")
        }
        _ = try store.evaluate(
            engine: Engine(catalogue: Catalogue(priorities: [], partners: [], dimensions: [], indicators: []), rules: []),
            date: CivilDate(year: 2013, month: 12, day: 1)!, at: "2013-12-01T00:00:00Z",
            effects: { _ in Effect.forEvents(events, partner: "police") })
        let sent = CapturingLogHandler.Lines()
        let journal = Journal(identifier: "vigild-test") { fields in
            sent.append(fields.first { $0.0 == "MESSAGE" }?.1 ?? "")
            return true
        }
        let clock = TestClock(TestClock.day("2013-12-01"))
        let start = clock.now().timeIntervalSince1970
        let (logger, logged) = CapturingLogHandler.logger()
        let runner = EffectRunner(
            store: store, alertFiles: AlertFiles(folder: d.alerts), receiptsRoot: d.receipts, journal: journal, logger: logger,
            now: { clock.now() }, pace: JournalPace(budget: 3, interval: 30))
        try runner.runPending()
        #expect(sent.all == ["event 1", "event 2", "event 3"])
        #expect(runner.journalDue(after: start) == start + 30)
        // The alert-file lines are not held back by the journal's pace.
        let lines = try String(contentsOfFile: d.alerts + "/alerts.jsonl", encoding: .utf8)
        #expect(lines.split(separator: "\n").count == 7)
        #expect(logged.all.filter { $0.contains("journal entries are paced") }.count == 1)
        try runner.runPending()
        #expect(sent.all.count == 3)
        clock.set(Date(timeIntervalSince1970: start + 30))
        try runner.runPending()
        clock.set(Date(timeIntervalSince1970: start + 60))
        try runner.runPending()
        #expect(sent.all == (1...7).map { "event \($0)" })
        #expect(try store.pendingOutbox().isEmpty)
        #expect(runner.journalDue(after: start + 60) == nil)
    }

    /// The intake loop wakes when the window ends and sends what was held, with no further file,
    /// scan or watchdog ping to wake it (review: the deadline was read as a delay, so held entries
    /// waited for the next scan, a minute later).
    @Test func theLoopSendsHeldEntriesWhenTheWindowEnds() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        let sent = CapturingLogHandler.Lines()
        let journal = Journal(identifier: "vigild-test") { fields in
            sent.append(fields.first { $0.0 == "MESSAGE" }?.1 ?? "")
            return true
        }
        var settings = IntakeLoop.Settings()
        settings.settle = 0.2
        settings.journalPace = JournalPace(budget: 2, interval: 1)
        try d.withLoop(settings: settings, journal: journal) { loop in
            try d.drop("police", "missing.csv", contents: try TestDeployment.example("police/missing-incidents.csv"))
            #expect(TestDeployment.eventually { d.receipts("police").count == 1 })
            let expected = 1 + d.alertLines.count
            #expect(expected > 4, "enough entries to need several windows")
            #expect(TestDeployment.eventually(8) { sent.all.count == expected }, "\(sent.all.count) of \(expected) sent")
        }
    }
}
