import Foundation
import Testing
import VigilCore
import VigilStore

@testable import VigilService

/// The outbox builders, without a store: which effects a file and its events queue, in order.
struct EffectsTests {
    @Test func aRefusalQueuesAJournalEntryAndAReceiptThatSayWhy() throws {
        let items = Effect.forRefusal(
            partner: "police", name: "x\ny.csv", reason: "it is a FIFO, not a regular file", unread: true,
            label: "police/x\\x0ay.csv")
        #expect(items.map(\.kind) == [Effect.fileJournal.rawValue, Effect.receipt.rawValue])
        guard case .receipt(let notice) = try OutboxEffect.decode(items[1]) else {
            Issue.record("not a receipt")
            return
        }
        #expect(notice.text == "REJECTED police/x\\x0ay.csv: it is a FIFO, not a regular file; it was not read")
        #expect(notice.name == "x\ny.csv")
        #expect(notice.status == .rejected)
        #expect(try OutboxEffect.decode(items[0]) == .fileJournal(notice))
    }

    @Test func eventsQueueALineAndAJournalEntryEachThenOneFiringRewrite() throws {
        #expect(Effect.forEvents([]).isEmpty)
        let event = AlertEvent(
            id: "0eaf5a3167a8dad0b2b2cdbf4e22491e", event: .firing, rule: "missing-incidents-spike", kind: "spike",
            indicator: "missing.incidents", indicatorTitle: "Missing incidents", breakdown: [:], period: "2012-03",
            periodLabel: "March 2012", since: "2012-03", value: 47, expected: 13, unit: "count", severity: .warning, priority: 7,
            priorityTitle: "CSE", message: "m", explanation: "e", action: nil, signal: "concern", ruleHash: "h", sources: ["s"],
            evaluatedAt: "2013-04-30")
        let items = Effect.forEvents([event, event], partner: "police")
        #expect(
            items.map(\.kind) == [
                Effect.alertFile.rawValue, Effect.alertJournal.rawValue, Effect.alertFile.rawValue, Effect.alertJournal.rawValue,
                Effect.firing.rawValue,
            ])
        #expect(try OutboxEffect.decode(items[0]) == .alertLine(id: event.id, line: event.jsonLine))
        #expect(try OutboxEffect.decode(items[1]) == .alertJournal(event: event, partner: "police"))
        #expect(try OutboxEffect.decode(items[4]) == .firing)
    }

    /// Rows queued by a version before typed effects are still performed after an upgrade.
    @Test func legacyOutboxRowsAreRead() throws {
        let line = #"{"id":"abc","event":"firing"}"#
        #expect(try OutboxEffect.decode(OutboxItem(kind: "alert-file", payload: line)) == .alertLine(id: "abc", line: line))
        let legacy =
            #"{"partner":"police","name":"m.csv","sha256":"","status":"rejected","rows":0,"errors":1,"text":"REJECTED","json":"{}"}"#
        let notice = FileNotice(
            partner: "police", name: "m.csv", sha256: "", status: .rejected, rows: 0, errors: 1, text: "REJECTED", json: "{}")
        #expect(try OutboxEffect.decode(OutboxItem(kind: "receipt", payload: legacy)) == .receipt(notice))
        #expect(try OutboxEffect.decode(OutboxItem(kind: "firing", payload: "")) == .firing)
        #expect(throws: VigilError.self) { try OutboxEffect.decode(OutboxItem(kind: "mystery", payload: "{}")) }
    }
}
