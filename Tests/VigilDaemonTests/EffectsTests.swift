import Foundation
import Logging
import Testing
import VigilConfiguration
import VigilCore
import VigilStore

@testable import VigilService
@testable import VigilSystemd

/// The outbox builders, without a store: which effects a file and its events queue, in order.
struct EffectsTests {
    @Test func aRefusalQueuesAJournalEntryAndAReceiptThatSayWhy() throws {
        let items = Effect.forRefusal(
            partner: "police", name: "x\ny.csv", refusal: .notRegular(kind: "FIFO"), label: "police/x\\x0ay.csv")
        #expect(items.map(\.kind) == [Effect.fileJournal.rawValue, Effect.receipt.rawValue])
        guard case .receipt(let notice) = try OutboxEffect.decodeStored(items[1]) else {
            Issue.record("not a receipt")
            return
        }
        #expect(notice.text == "REJECTED police/x\\x0ay.csv: it is a FIFO, not a regular file; it was not read")
        #expect(notice.name == "x\ny.csv")
        #expect(notice.status == .rejected)
        #expect(try OutboxEffect.decodeStored(items[0]) == .fileJournal(notice))
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
        #expect(try OutboxEffect.decodeStored(items[0]) == .alertLine(id: event.id, line: event.jsonLine))
        #expect(try OutboxEffect.decodeStored(items[1]) == .alertJournal(event: event, partner: "police"))
        #expect(try OutboxEffect.decodeStored(items[4]) == .firing)
    }

    /// What this process encoded is performed from memory (`OutboxEffect.Recent`) and what it did
    /// not is read back from the row: both must be the same effect, for every kind, on numbers and
    /// text that a JSON round trip could bend.
    @Test func anEffectTakenFromMemoryIsTheEffectReadBackFromItsRow() throws {
        let values: [Double?] = [0.1 + 0.2, 1e-300, 123_456_789.012_345_6, -0.0, 47, nil, 1.0 / 3.0]
        let texts = ["plain", "quote \" and \\ back", "line\nbreak\u{2028}sep", "emoji 🧒 and é", "<tag>&amp;", "\u{0}\u{1F}"]
        var effects: [OutboxEffect] = [.firing]
        for (k, value) in values.enumerated() {
            let text = texts[k % texts.count]
            let event = AlertEvent(
                id: "id\(k)", event: k.isMultiple(of: 2) ? .firing : .resolved, rule: "r\(k)", kind: "spike",
                indicator: "missing.incidents", indicatorTitle: text, breakdown: ["age_band": text], period: "2012-03",
                periodLabel: "March 2012", since: "2012-03", value: value, expected: values[(k + 1) % values.count],
                unit: "count", severity: .warning, priority: 7, priorityTitle: "CSE", message: text, explanation: text,
                action: k.isMultiple(of: 3) ? nil : text, signal: "concern", ruleHash: "h", sources: [text, "s"],
                evaluatedAt: "2013-04-30")
            effects += [
                .alertLine(id: event.id, line: event.jsonLine), .alertJournal(event: event, partner: k == 0 ? nil : text),
            ]
            let notice = FileNotice(
                partner: "police", name: text, sha256: "ab", status: .accepted, rows: k, errors: 0, text: text, json: "{}")
            effects += [.fileJournal(notice), .receipt(notice)]
        }
        for effect in effects {
            let item = effect.item
            #expect(try OutboxEffect.decodeStored(item) == effect)
            // From memory once, then (taken) from the row.
            #expect(try OutboxEffect.decode(item) == effect)
            #expect(OutboxEffect.recent.take(item.payload) == nil)
            #expect(try OutboxEffect.decode(item) == effect)
        }
    }

    @Test func theEffectsInMemoryAreBounded() {
        let recent = OutboxEffect.Recent()
        for k in 0..<OutboxEffect.Recent.limit { recent.remember("p\(k)", .firing) }
        #expect(recent.take("p0") == .firing)
        recent.remember("p0", .firing)
        // Full: the next one starts afresh.
        recent.remember("new", .firing)
        #expect(recent.take("p1") == nil)
        #expect(recent.take("new") == .firing)
    }

    /// A partner's rejected files carry receipts of up to 200 errors each, and while journald
    /// refuses entries their journal effects are queued and not performed: the copies kept for
    /// them are bounded in bytes, not only in number.
    @Test func largeEffectsNeverPerformedStayWithinAByteBound() {
        let recent = OutboxEffect.Recent()
        let body = String(repeating: "e", count: 100_000)
        for k in 0..<400 { recent.remember("\(k)" + body, .firing) }
        #expect(recent.heldBytes <= 8 << 20)
        #expect(recent.take("399" + body) == .firing)
    }

    /// A value JSON has no number for (infinity) still makes a row that reads back as the same
    /// effect: an empty payload once made a row no run could perform.
    @Test func aNonFiniteValueStillMakesARowThatReadsBack() throws {
        let event = AlertEvent(
            id: "id-inf", event: .firing, rule: "r", kind: "threshold", indicator: "cp.repeat_plans_pct", indicatorTitle: "t",
            breakdown: [:], period: "2025/26", periodLabel: "2025/26", since: "2025/26", value: .infinity,
            expected: -.infinity, unit: "percent", severity: .warning, priority: 2, priorityTitle: "p", message: "m",
            explanation: "e", action: nil, signal: "concern", ruleHash: "h", sources: ["s"], evaluatedAt: "2026-12-05")
        let effect = OutboxEffect.alertJournal(event: event, partner: "childrens-services")
        let item = effect.item
        #expect(!item.payload.isEmpty)
        #expect(try OutboxEffect.decodeStored(item) == effect)
    }

    /// An outbox row that can never be read (a payload no version wrote) is logged and passed
    /// over: it must not hold back the rest of its lane, for every partner, for ever.
    @Test func aRowThatCannotBeReadDoesNotStopItsLane() throws {
        let d = try TestDeployment()
        defer { d.remove() }
        let store = try d.openStore()
        let notice = FileNotice(
            partner: "police", name: "m.csv", sha256: "", status: .rejected, rows: 0, errors: 1, text: "REJECTED m", json: "{}")
        let line = #"{"id":"abc","event":"firing"}"#
        let rows = [
            OutboxItem(kind: Effect.alertJournal.rawValue, payload: ""),
            OutboxEffect.fileJournal(notice).item,
            OutboxItem(kind: Effect.fileJournal.rawValue, payload: "{}"),
            OutboxEffect.alertLine(id: "abc", line: line).item,
        ]
        _ = try store.evaluate(
            engine: Engine(catalogue: Catalogue(priorities: [], partners: [], dimensions: [], indicators: []), rules: []),
            date: CivilDate(year: 2026, month: 12, day: 5)!,
            at: "2026-12-05T00:00:00Z", effects: { _ in rows })
        let (journal, sent) = CapturingLogHandler.journal()
        let (logger, logged) = CapturingLogHandler.logger()
        let runner = EffectRunner(
            store: store, alertFiles: AlertFiles(folder: d.alerts), receiptsRoot: d.receipts, journal: journal,
            logger: logger, now: { Date() })
        try runner.runPending()
        #expect(sent.all == ["REJECTED m"])
        #expect(try String(contentsOfFile: d.alerts + "/alerts.jsonl", encoding: .utf8) == line + "\n")
        #expect(try store.pendingOutbox().isEmpty)
        #expect(logged.all.filter { $0.contains("could not be read") }.count == 2)
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
        // Not an alert line (the fallback payload of an effect that could not be encoded): it is
        // never appended to alerts.jsonl.
        #expect(throws: VigilError.self) { try OutboxEffect.decode(OutboxItem(kind: "alert-file", payload: "{}")) }
    }

    /// Different files of a partner never share a receipt (review): names cut at the same place,
    /// a short name ending in the ellipsis a cut leaves, an entry refused unread whose name ends in
    /// another file's hash, and a name that is not UTF-8 (escaped once, as `\xff`) beside a name
    /// holding a backslash, `x` and two hex digits.
    @Test func differentFilesNeverShareAReceipt() {
        func notice(_ name: String, _ sha: String, _ status: IngestOutcome.Status, escaped: Bool = false) -> FileNotice {
            var notice = FileNotice(
                partner: "police", name: name, sha256: sha, status: status, rows: 0, errors: 0, text: "", json: "{}")
            notice.nameIsEscaped = escaped ? true : nil
            return notice
        }
        let sha = "abcdef123456" + String(repeating: "0", count: 52)
        let long = String(repeating: "a", count: 200)
        let cut = UntrustedText.line(long + "1", maxBytes: 150)
        let rawName = UntrustedText.line(bytes: [0xFF] + Array(".csv".utf8))
        let literal = "\\xff.csv"
        // Review: the name's hash was of the name before escaping, which these two share.
        let rawLong = UntrustedText.line(bytes: Array(String(repeating: "A", count: 150).utf8) + [0xFF])
        let literalLong = String(repeating: "A", count: 150) + "\\xff"
        let notices = [
            notice(long + "1.csv", sha, .accepted), notice(long + "2.csv", sha, .accepted), notice(cut, sha, .accepted),
            notice("x.csv", sha, .rejected), notice("x.csv.abcdef123456", "", .rejected),
            notice("x.csv", sha, .duplicate), notice("x.csv.abcdef123456.unread", "", .rejected),
            notice(rawName, "", .rejected, escaped: true), notice(literal, "", .rejected),
            notice(rawLong, "", .rejected, escaped: true), notice(literalLong, "", .rejected),
        ]
        let names = notices.map(EffectRunner.receiptName)
        #expect(Set(names).count == notices.count, "\(names)")
        #expect(names.allSatisfy { $0.utf8.count <= 190 }, "\(names.map(\.utf8.count))")
        #expect(names[3] == "x.csv.abcdef123456.rejected.receipt")
        #expect(names[4] == "x.csv.abcdef123456.unread.rejected.receipt")
        #expect(names[7] == rawName + ".unread.rejected.receipt")
        #expect(names[0].hasPrefix(String(repeating: "a", count: 137) + "…"))
    }
}
