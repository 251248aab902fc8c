import Foundation
import VigilConfiguration
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

    /// Outbox items for alert events: a file line and a journal entry each, then firing.json;
    /// credited to `partner` (and caused by its file) when given.
    public static func forEvents(_ events: [AlertEvent], partner: String? = nil) -> [OutboxItem] {
        guard !events.isEmpty else { return [] }
        return causedBy(
            partner,
            events.flatMap { event in
                [
                    OutboxEffect.alertLine(id: event.id, line: event.jsonLine).item,
                    OutboxEffect.alertJournal(event: event, partner: partner).item,
                ]
            } + [OutboxEffect.firing.item])
    }

    /// `items`, each marked as caused by `partner`'s file (`OutboxItem.partner`).
    public static func causedBy(_ partner: String?, _ items: [OutboxItem]) -> [OutboxItem] {
        guard let partner else { return items }
        return items.map { item in
            var item = item
            item.partner = partner
            return item
        }
    }

    /// Outbox items for a processed file: journal entry, receipt, then its alert events.
    /// `journalName` names the file in the journal (`FileNameVocabulary.shown`); the receipt's
    /// own label (`receipt.displayName`) is replaced by `partner/journalName` in the journal's copy
    /// of the text.
    public static func forFile(
        partner: String, name: String, receipt: Receipt, events: [AlertEvent], journalName: String? = nil
    ) -> [OutboxItem] {
        var notice = FileNotice(
            partner: partner, name: name, sha256: receipt.feed.sha256, status: receipt.outcomeStatus,
            rows: receipt.feed.rows, errors: receipt.feed.errors.count, text: receipt.text, json: receipt.jsonLine)
        if let journalName { notice.forJournal(label: receipt.displayName ?? receipt.feed.file, as: journalName) }
        return causedBy(partner, [OutboxEffect.fileJournal(notice).item, OutboxEffect.receipt(notice).item])
            + forEvents(events, partner: partner)
    }

    /// Outbox items for an entry refused unread (link, FIFO, oversized…).
    /// `label` is how the file is shown: `partner/name` with the name escaped; the receipt says
    /// why (`IntakeRefusal.receiptText`, the command line's text too), and `leftInPlace` whether
    /// it stays in the drop folder (answered once; the partner removes it); `nameIsEscaped` when
    /// `name` is already escaped text (a name that is not UTF-8), so its receipt does not escape
    /// it again.
    public static func forRefusal(
        partner: String, name: String, refusal: IntakeRefusal, leftInPlace: Bool = false, label: String,
        nameIsEscaped: Bool = false, journalName: String? = nil
    ) -> [OutboxItem] {
        var notice = FileNotice(
            partner: partner, name: name, sha256: "", status: .rejected, rows: 0, errors: 1,
            text: refusal.receiptText(label: label, leftInPlace: leftInPlace), json: refusal.receiptJSON(label: label))
        notice.nameIsEscaped = nameIsEscaped ? true : nil
        if let journalName { notice.forJournal(label: label, as: journalName) }
        return causedBy(partner, [OutboxEffect.fileJournal(notice).item, OutboxEffect.receipt(notice).item])
    }
}

extension FileNotice {
    /// Sets the journal's name for the file and its copy of the text, with every `label` in the
    /// receipt text (its first line, each error's location) replaced by `partner/shownName`.
    mutating func forJournal(label: String, as shownName: String) {
        journalName = shownName
        let journalLabel = partner + "/" + shownName
        journalText = label == journalLabel ? text : text.replacingOccurrences(of: label, with: journalLabel)
    }
}
