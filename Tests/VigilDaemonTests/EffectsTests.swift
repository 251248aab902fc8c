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
        let payload = try JSONSerialization.jsonObject(with: Data(items[1].payload.utf8)) as! [String: Any]
        #expect(payload["text"] as? String == "REJECTED police/x\\x0ay.csv: it is a FIFO, not a regular file; it was not read")
        #expect(payload["name"] as? String == "x\ny.csv")
        #expect(payload["status"] as? String == "rejected")
    }

    @Test func eventsQueueALineAndAJournalEntryEachThenOneFiringRewrite() {
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
        #expect(items[0].payload == event.jsonLine)
        #expect(items[1].payload.hasPrefix("{\"partner\":\"police\",\"event\":{"))
    }
}
