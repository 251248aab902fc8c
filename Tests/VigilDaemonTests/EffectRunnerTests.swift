import Dispatch
import Foundation
import Logging
import Testing
import VigilCore
import VigilStore

@testable import VigilService

/// Two processes performing one outbox: `vigil evaluate` into the configured store runs the
/// service's `EffectRunner` while `vigild` may be running its own.
struct EffectRunnerTests {
    /// Review: both runners read the same pending rows and appended them, so alert lines were
    /// written twice (and one's first read of the log could cut the other's line half-written).
    /// Runners of the same outbox now take turns, and one reads the log's end again when another
    /// has written to it since.
    @Test func twoRunnersOnOneOutboxWriteEachLineOnce() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        let first = try d.openStore()
        let second = try Store.open(path: d.state + "/vigil.sqlite")
        let rows = (0..<3000).map { n in
            OutboxEffect.alertLine(id: "id\(n)", line: #"{"id":"id\#(n)","event":"firing"}"#).item
        }
        _ = try first.evaluate(
            engine: Engine(catalogue: Catalogue(priorities: [], partners: [], dimensions: [], indicators: []), rules: []),
            date: CivilDate(year: 2026, month: 12, day: 6)!, at: "2026-12-06T00:00:00Z", effects: { _ in rows })
        let runners = [first, second].map { store in
            EffectRunner(
                store: store, alertFiles: AlertFiles(folder: d.alerts), receiptsRoot: d.receipts, journal: nil,
                logger: Logger(label: "test"), now: { Date() })
        }
        DispatchQueue.concurrentPerform(iterations: 2) { index in _ = try? runners[index].runPending() }
        let lines = try String(contentsOfFile: d.alerts + "/alerts.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3000)
        #expect(Set(lines).count == 3000)
        #expect(try first.pendingOutbox().isEmpty)
        // A line the other runner appended without marking it done (it crashed) is not written
        // again by one that read the log's end before: written once, then the next batch.
        let more = (3000..<3010).map { n in
            OutboxEffect.alertLine(id: "id\(n)", line: #"{"id":"id\#(n)","event":"firing"}"#).item
        }
        _ = try first.evaluate(
            engine: Engine(catalogue: Catalogue(priorities: [], partners: [], dimensions: [], indicators: []), rules: []),
            date: CivilDate(year: 2026, month: 12, day: 6)!, at: "2026-12-06T00:00:00Z", effects: { _ in more })
        try AlertFiles(folder: d.alerts).append([#"{"id":"id3000","event":"firing"}"#])
        try runners[0].runPending()
        let after = try String(contentsOfFile: d.alerts + "/alerts.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(after.count == 3010)
        #expect(Set(after).count == 3010)
    }

    /// While another process holds the turn longer than the runner's patience, the effects stay
    /// pending (nothing is written out of turn) and are performed at the next run.
    @Test func effectsWaitWhileAnotherProcessHasTheTurn() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        let store = try d.openStore()
        _ = try store.evaluate(
            engine: Engine(catalogue: Catalogue(priorities: [], partners: [], dimensions: [], indicators: []), rules: []),
            date: CivilDate(year: 2026, month: 12, day: 6)!, at: "2026-12-06T00:00:00Z",
            effects: { _ in [OutboxEffect.alertLine(id: "a", line: #"{"id":"a"}"#).item] })
        let (logger, logged) = CapturingLogHandler.logger()
        let runner = EffectRunner(
            store: store, alertFiles: AlertFiles(folder: d.alerts), receiptsRoot: d.receipts, journal: nil, logger: logger,
            now: { Date() }, turnPatience: 0.05)
        let other = open(d.alerts + "/.effects.lock", O_RDONLY | O_CREAT, 0o640)
        #expect(other >= 0)
        #expect(flock(other, LOCK_EX) == 0)
        let whileHeld = try runner.runPending()
        #expect(whileHeld == 0)
        #expect(try store.pendingOutbox().count == 1)
        #expect(!FileManager.default.fileExists(atPath: d.alerts + "/alerts.jsonl"))
        #expect(logged.all.contains { $0.contains("another process has been performing the outbox's effects") })
        // The service's loop tries again in a second, without waiting for another file.
        #expect(runner.journalDue(after: 100) == 101)
        close(other)
        let after = try runner.runPending()
        #expect(after == 1)
        #expect(runner.journalDue(after: 100) == nil)
        let log = try String(contentsOfFile: d.alerts + "/alerts.jsonl", encoding: .utf8)
        #expect(log == #"{"id":"a"}"# + "\n")
    }
}
