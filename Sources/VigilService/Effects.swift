import Foundation
import VigilCore
import VigilStore

/// The effects vigild records in its outbox, and how each is described.
public enum Effect: String, Sendable, CaseIterable {
    /// Append an alert event to `alerts.jsonl`.
    case alertFile = "alert-file"
    /// Send an alert event to the journal.
    case alertJournal = "alert-journal"
    /// Send a file accepted/rejected entry to the journal.
    case fileJournal = "file-journal"
    /// Write a receipt into the partner's receipts folder.
    case receipt
    /// Rewrite `firing.json`.
    case firing

    /// Outbox items for alert events: a file line and a journal entry each, then firing.json.
    public static func forEvents(_ events: [AlertEvent], partner: String? = nil) -> [OutboxItem] {
        guard !events.isEmpty else { return [] }
        return events.flatMap { event in
            var w = JSONWriter()
            w.string("partner", partner)
            w.raw("event", event.jsonLine)
            return [
                OutboxItem(kind: alertFile.rawValue, payload: event.jsonLine),
                OutboxItem(kind: alertJournal.rawValue, payload: w.finish()),
            ]
        } + [OutboxItem(kind: firing.rawValue, payload: "")]
    }

    /// Outbox items for a processed file: journal entry, receipt, then its alert events.
    public static func forFile(partner: String, name: String, receipt: Receipt, events: [AlertEvent]) -> [OutboxItem] {
        var w = JSONWriter()
        w.string("partner", partner)
        w.string("name", name)
        w.string("sha256", receipt.feed.sha256)
        w.string("status", receipt.status)
        w.number("rows", Double(receipt.feed.rows))
        w.number("errors", Double(receipt.feed.errors.count))
        w.string("text", receipt.text)
        w.string("json", receipt.jsonLine)
        let payload = w.finish()
        return [
            OutboxItem(kind: fileJournal.rawValue, payload: payload), OutboxItem(kind: Effect.receipt.rawValue, payload: payload),
        ]
            + forEvents(events, partner: partner)
    }

    /// Outbox items for an entry refused unread (link, FIFO, oversized…).
    /// `label` is how the file is shown: `partner/name` with the name escaped; `reason` says why,
    /// and `unread` whether its content was left unread.
    public static func forRefusal(partner: String, name: String, reason: String, unread: Bool, label: String) -> [OutboxItem] {
        let text = "REJECTED \(label): \(reason)" + (unread ? "; it was not read" : "")
        var j = JSONWriter()
        j.string("file", label)
        j.string("status", "rejected")
        j.string("reason", reason)
        var w = JSONWriter()
        w.string("partner", partner)
        w.string("name", name)
        w.string("sha256", "")
        w.string("status", "rejected")
        w.number("rows", 0)
        w.number("errors", 1)
        w.string("text", text)
        w.string("json", j.finish())
        let payload = w.finish()
        return [
            OutboxItem(kind: fileJournal.rawValue, payload: payload), OutboxItem(kind: Effect.receipt.rawValue, payload: payload),
        ]
    }
}

/// A file-effect payload decoded.
struct FilePayload: Decodable {
    var partner: String
    var name: String
    var sha256: String
    var status: String
    var rows: Int
    var errors: Int
    var text: String
    var json: String
}

/// An alert-journal payload decoded.
struct AlertJournalPayload: Decodable {
    var partner: String?
    var event: AlertEvent
}
