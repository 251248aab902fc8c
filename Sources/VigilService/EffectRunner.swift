import Foundation
import Logging
import VigilCore
import VigilStore
import VigilSystemd

/// Performs the outbox's effects after their transaction committed, marking each one done.
///
/// Alert-file lines are written at most once: ids already in `alerts.jsonl` (a crash between the
/// write and the mark) are skipped. Journal entries carry the alert id so a replay is recognisable.
public final class EffectRunner: @unchecked Sendable {
    private let store: Store
    private let alertFiles: AlertFiles
    private let receiptsRoot: String
    private let journal: Journal?
    private let logger: Logger
    private let now: @Sendable () -> Date
    /// The ids of the alert-file lines appended last (read from the end of `alerts.jsonl` at first
    /// use), so a line is never appended twice.
    private var loggedIds: RecentIds?
    /// The log as it was after this runner last read or appended to it: when it differs, another
    /// process wrote to it, and its end is read again.
    private var logSeen: AlertFiles.LogIdentity?
    /// Turns with other processes performing the same outbox.
    private let turns: EffectsLock
    private var turnsUnavailableLogged = false
    /// Whether a run found another process's turn too long and left its effects pending.
    private var turnMissed = false
    private var journalRefusing = false
    private var pace: JournalPace
    private var pacedWindow: Double?
    /// Whether the journal lane's last run stopped because the pace's budget was spent.
    private var journalHeld = false

    /// Creates a runner. Used from one thread (the intake loop).
    public init(
        store: Store, alertFiles: AlertFiles, receiptsRoot: String, journal: Journal?, logger: Logger,
        now: @escaping @Sendable () -> Date, pace: JournalPace = JournalPace(), turnPatience: Double = 5
    ) {
        self.pace = pace
        turns = EffectsLock(folder: alertFiles.folder, patience: turnPatience)
        self.store = store
        self.alertFiles = alertFiles
        self.receiptsRoot = receiptsRoot
        self.journal = journal
        self.logger = logger
        self.now = now
    }

    /// The lanes effects are performed in: each lane in order, oldest first, independently of
    /// the others, so journald refusing entries holds back only the journal, never the receipts
    /// or the alert files.
    /// The journal first: its entries are what IT's monitoring watches, and sending them costs the
    /// receipts that follow well under a millisecond.
    static let lanes: [[Effect]] = [[.fileJournal, .alertJournal], [.receipt], [.alertFile], [.firing]]

    /// Performs the pending journal entries only (the first lane): what IT's monitoring watches
    /// and the drop-to-journal latency is measured to, sent before the file is archived. Returns
    /// how many were done.
    @discardableResult
    public func runPendingJournal() throws -> Int { try runPending(EffectRunner.lanes[0]) }

    /// Performs every pending effect; returns how many were done.
    @discardableResult
    public func runPending() throws -> Int {
        var done = 0
        for lane in EffectRunner.lanes { done += try runPending(lane) }
        return done
    }

    /// Performs a lane's pending effects in order and marks those done in one transaction (a crash
    /// before the mark performs them again at the next run: every effect is idempotent).
    private func runPending(_ lane: [Effect]) throws -> Int {
        let turn = turns.take()
        switch turn {
        case .taken: turnMissed = false
        case .busy:
            turnMissed = true
            logger.warning(
                "another process has been performing the outbox's effects for \(turns.patience) s; these wait for the next run",
                metadata: ["lock": "\(turns.path)"])
            return 0
        case .unavailable(let why):
            if !turnsUnavailableLogged {
                logger.warning("effects are performed without taking turns with other processes: \(why)")
                turnsUnavailableLogged = true
            }
        }
        defer { if turn == .taken { turns.release() } }
        var done = 0
        if lane == EffectRunner.lanes[0] { journalHeld = false }
        while true {
            let pending = try store.pendingOutbox(kinds: lane.map(\.rawValue), limit: 500)
            if pending.isEmpty { return done }
            var performed: [Int64] = []
            defer { done += performed.count }
            if lane == [.firing] {
                // Every pending rewrite of firing.json is the same rewrite: do it once.
                _ = try perform(.firing)
                try store.markDone(pending.map(\.seq))
                performed = pending.map(\.seq)
                continue
            }
            if lane == [.alertFile] {
                // The lines not yet in alerts.jsonl, appended with one write and one sync; if that
                // fails they stay pending, in order, and are retried.
                do {
                    try appendAlertLines(pending)
                } catch {
                    logger.error("an output could not be written: \(error)", metadata: ["effect": "\(Effect.alertFile.rawValue)"])
                    return done
                }
                try store.markDone(pending.map(\.seq))
                performed = pending.map(\.seq)
                continue
            }
            var stopped = false
            for (seq, item) in pending {
                guard let effect = readable(seq, item) else {
                    performed.append(seq)
                    continue
                }
                do {
                    // Not delivered (journald refusing): this kind waits for the next run, in order.
                    guard try perform(effect) else {
                        stopped = true
                        break
                    }
                } catch {
                    logger.error("an output could not be written: \(error)", metadata: ["effect": "\(item.kind)"])
                    // A receipt that cannot be written is logged and dropped (its content is in the
                    // journal entry); other effects stay pending, in order, and are retried.
                    guard lane == [.receipt] else {
                        stopped = true
                        break
                    }
                }
                performed.append(seq)
            }
            try store.markDone(performed)
            if stopped { return done + performed.count }
        }
    }

    /// Reads the ids appended last from the end of the log, the first time.
    /// Again when another process appended to the log since (its lines, written but perhaps not
    /// marked done before it stopped, are then known here).
    private func loadLoggedIds() {
        let now = alertFiles.logIdentity()
        guard loggedIds == nil || now != logSeen else { return }
        var recent = RecentIds()
        for id in alertFiles.recentIds() { recent.insert(id) }
        loggedIds = recent
        logSeen = alertFiles.logIdentity()
    }

    /// Appends the alert-file lines of `pending` that `alerts.jsonl` does not hold yet.
    private func appendAlertLines(_ pending: [(seq: Int64, item: OutboxItem)]) throws {
        loadLoggedIds()
        var lines: [String] = []
        var ids: [String] = []
        for (seq, item) in pending {
            guard case .alertLine(let id, let line) = readable(seq, item), !loggedIds!.contains(id),
                !ids.contains(id)
            else { continue }
            lines.append(line)
            ids.append(id)
        }
        guard !lines.isEmpty else { return }
        try appendToLog(lines, ids: ids)
    }

    /// Appends lines to `alerts.jsonl` and remembers their ids. Part of a failed write may be in
    /// the log (a full disk): the ids are then read from its end again before the retry, which
    /// cuts off a partial line and skips the lines that are whole.
    private func appendToLog(_ lines: [String], ids: [String]) throws {
        do {
            try alertFiles.append(lines)
        } catch {
            loggedIds = nil
            throw error
        }
        for id in ids { loggedIds!.insert(id) }
        logSeen = alertFiles.logIdentity()
    }

    /// The effect a row holds, or nil (logged) for a row no version of Vigil could have written:
    /// retrying it would never succeed, and it would hold back every row after it in its lane
    /// (the journal, for every partner) for ever, so it is passed over. Its payload is not
    /// logged: a decoding error can quote it.
    private func readable(_ seq: Int64, _ item: OutboxItem) -> OutboxEffect? {
        do {
            return try OutboxEffect.decode(item)
        } catch {
            logger.error(
                "an outbox row could not be read; it is passed over",
                metadata: ["effect": "\(UntrustedText.line(item.kind))", "seq": "\(seq)", "bytes": "\(item.payload.utf8.count)"])
            return nil
        }
    }

    private func perform(_ effect: OutboxEffect) throws -> Bool {
        switch effect {
        case .alertLine(let id, let line):
            loadLoggedIds()
            if loggedIds!.contains(id) { return true }
            try appendToLog([line], ids: [id])
            return true
        case .alertJournal(let event, let partner):
            guard journal == nil || paced() else { return false }
            return sendAlert(event, partner: partner)
        case .fileJournal(let file):
            guard let journal else { return true }
            guard paced() else { return false }
            let accepted = file.status != .rejected
            // The journal's copy names the file only when its name is the catalogue's vocabulary.
            let text = file.journalText ?? file.text
            let line = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? text
            return journalDelivered(
                journal.send(
                    message: line, priority: accepted ? .info : .warning,
                    fields: [
                        ("MESSAGE_ID", (accepted ? MessageID.fileAccepted : MessageID.fileRejected).rawValue),
                        ("VIGIL_PARTNER", file.partner), ("VIGIL_FILE", file.journalName ?? file.name),
                        ("VIGIL_FILE_SHA256", file.sha256), ("VIGIL_STATUS", file.status.rawValue),
                        ("VIGIL_ROWS", String(file.rows)), ("VIGIL_ERRORS", String(file.errors)), ("VIGIL_RECEIPT", text),
                    ]))
        case .receipt(let file):
            let folder = (receiptsRoot as NSString).appendingPathComponent(file.partner)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let base = (folder as NSString).appendingPathComponent(EffectRunner.receiptName(file))
            try DurableFile.replace(base + ".json", with: file.json + "\n")
            try DurableFile.replace(base + ".txt", with: file.text + "\n")
            return true
        case .firing:
            try alertFiles.writeFiring(
                try store.firingRecords(), generatedAt: CivilDate.timestamp(unixSeconds: now().timeIntervalSince1970))
            return true
        }
    }

    /// A receipt's file name without `.txt` or `.json`: the file's name escaped once (no control or
    /// format characters, `\` doubled) and, when longer than 150 bytes or holding `…`, cut on a
    /// character boundary to 137 bytes, then `…` and 12 hex digits of the SHA-256 of the escaped name; then
    /// 12 hex digits of the file's SHA-256 and the outcome (none for an acceptance), or
    /// `unread.rejected` for an entry refused unread. So different files of a partner never share
    /// a receipt, and names (with their temporary names) stay well inside the 255-byte limit.
    static func receiptName(_ file: FileNotice) -> String {
        var name = file.nameIsEscaped == true ? file.name : UntrustedText.line(file.name)
        if name.utf8.count > 150 || name.contains("…") {
            // The hash of the escaped text, which differs for every name (the name before escaping
            // is the same for a name that is not UTF-8 and one holding its escape literally).
            name = UntrustedText.prefix(name, maxBytes: 137) + "…" + SHA256.hex(name).prefix(12)
        }
        let outcome = file.status == .accepted ? "" : "." + file.status.rawValue
        return name + (file.sha256.isEmpty ? ".unread" : "." + file.sha256.prefix(12)) + outcome + ".receipt"
    }

    /// The journal entry of an alert event.
    public static func journalFields(_ event: AlertEvent, partner: String?) -> [(String, String)] {
        let messageID: MessageID
        switch event.event {
        case .firing: messageID = event.kind == "overdue" ? .feedOverdue : .alertFiring
        case .resolved: messageID = .alertResolved
        case .retracted: messageID = .alertRetracted
        }
        var fields: [(String, String)] = [
            ("MESSAGE_ID", messageID.rawValue), ("VIGIL_ALERT_ID", event.id), ("VIGIL_EVENT", event.event.rawValue),
            ("VIGIL_RULE", event.rule), ("VIGIL_KIND", event.kind), ("VIGIL_INDICATOR", event.indicator),
            (
                "VIGIL_BREAKDOWN",
                event.breakdown.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            ),
            ("VIGIL_PERIOD", event.period), ("VIGIL_VALUE", event.value.map(JSONWriter.format) ?? ""),
            ("VIGIL_EXPECTED", event.expected.map(JSONWriter.format) ?? ""), ("VIGIL_SEVERITY", event.severity.rawValue),
            ("VIGIL_PRIORITY", String(event.priority)), ("VIGIL_FILE_SHA256", event.sources.joined(separator: ",")),
        ]
        if let partner { fields.append(("VIGIL_PARTNER", partner)) }
        if let action = event.action { fields.append(("VIGIL_ACTION", action)) }
        return fields
    }

    /// journald priority of a severity: critical 2, warning 4, info 6.
    public static func priority(_ severity: Severity) -> JournalPriority {
        switch severity {
        case .critical: return .critical
        case .warning: return .warning
        case .info: return .info
        }
    }

    private func sendAlert(_ event: AlertEvent, partner: String?) -> Bool {
        guard let journal else { return true }
        let priority = event.event == .firing ? EffectRunner.priority(event.severity) : .info
        return journalDelivered(
            journal.send(
                message: event.message, priority: priority, fields: EffectRunner.journalFields(event, partner: partner)))
    }

    /// When journal entries held back can be sent again: when the pace's window ends, in 5 s
    /// while journald refuses them, in 1 s when another process's turn held every effect back;
    /// nil when none are held back.
    public func journalDue(after now: Double) -> Double? {
        if turnMissed { return now + 1 }
        if journalRefusing { return now + EffectRunner.refusedRetry }
        guard journalHeld else { return nil }
        return pace.resumes(after: now) ?? now
    }

    /// Seconds between attempts while journald refuses entries.
    static let refusedRetry = 5.0

    /// While journal entries are held back (by the pace, or by journald refusing them), how many
    /// wait for each of `partners`, counted up to `atMost`: entries caused by their files (the
    /// clock's are nobody's). Empty when nothing is held back.
    public func journalBacklog(of partners: [String], atMost: Int) throws -> [String: Int] {
        guard journalHeld || journalRefusing else { return [:] }
        let kinds = EffectRunner.lanes[0].map(\.rawValue)
        var counts: [String: Int] = [:]
        for partner in partners { counts[partner] = try store.pendingCount(partner: partner, kinds: kinds, atMost: atMost) }
        return counts
    }

    /// Takes a journal entry's place in the pace; when the window's budget is spent, says so once
    /// per window and holds the entry (and the lane after it) in the outbox for the next window.
    private func paced() -> Bool {
        let t = now().timeIntervalSince1970
        if pace.take(at: t) { return true }
        journalHeld = true
        if let resumes = pace.resumes(after: t), pacedWindow != resumes {
            pacedWindow = resumes
            logger.notice(
                "journal entries are paced: \(pace.budget) were sent in \(Int(pace.interval)) s, as many as journald is asked to take; the rest stay in the outbox and follow"
            )
        }
        return false
    }

    /// Notes journald refusing entries (a crashed or stopped journald) once, and its recovery once;
    /// refused entries stay in the outbox and are retried, so nothing is lost meanwhile.
    private func journalDelivered(_ delivered: Bool) -> Bool {
        if !delivered && !journalRefusing {
            journalRefusing = true
            logger.warning("journald refused an entry; journal entries stay in the outbox and are retried")
        } else if delivered && journalRefusing {
            journalRefusing = false
            logger.notice("journald accepts entries again; delivering the ones kept in the outbox")
        }
        return delivered
    }
}
