import Foundation
import Logging
import VigilCore
import VigilService
import VigilStore

/// Taking in the files that are ready, in arrival order, and pausing partners whose journal
/// entries are held back.
extension IntakeLoop {
    /// Claims and ingests the files that are ready, in arrival order; returns how many were processed.
    func processReady() -> Int {
        let paths = runtime.paths
        var processed = 0
        let refused = self.refused
        updatePaused()
        let ready = pending.ready(now: clock()) { partner, name in
            // An entry already refused where it is counts as gone: it is not answered again.
            guard let look = PendingFiles.lstatEntry(paths.drop(partner), name) else { return nil }
            if let identity = look.identity {
                if refused.isRefused(partner: partner, name: PendingFiles.rawName(of: name), identity: identity) { return nil }
                // Past the partner's share of remembered folders, folders are not answered at all.
                if identity.isFolder && refused.isFull(partner: partner) { return nil }
            }
            return look
        }
        for file in ready {
            if shouldStop { break }
            // A partner paused during this batch has the rest of it put back, in order.
            guard pending.admits(partner: file.partner, name: file.name, now: clock()) else { continue }
            defer { if runtime.effects.journalDue(after: clock()) != nil { updatePaused() } }
            // Pinged from this thread only, between files: a stalled loop is noticed.
            perform(state.betweenFiles(at: clock()))
            claimCounter += 1
            if PendingFiles.isRaw(file.name) {
                // A name that is not UTF-8 is refused unread, with a receipt, in its turn.
                let raw = PendingFiles.rawName(of: file.name)
                if let leftInPlace = runtime.refuseRawName(partner: file.partner, rawName: raw, sequence: claimCounter) {
                    self.refused.remember(partner: file.partner, name: raw, identity: leftInPlace)
                }
                processed += 1
                continue
            }
            if let (status, leftInPlace) = runtime.process(partner: file.partner, name: file.name, sequence: claimCounter) {
                if let leftInPlace {
                    self.refused.remember(partner: file.partner, name: Array(file.name.utf8), identity: leftInPlace)
                }
                processed += 1
                // No file name: any local user can read the status line (systemctl status).
                lastFile = "from \(file.partner), \(status.rawValue) at \(runtime.timestamp)"
                notifier.status(statusLine())
            }
        }
        return processed
    }

    /// Pauses the partners with files waiting and `journalBacklogPerPartner` or more journal entries
    /// held back (by the pace or a refusing journald): their files wait in their folders (logged
    /// once each time); resumes the others.
    func updatePaused() {
        let backlog: [String: Int]
        do {
            backlog = try runtime.effects.journalBacklog(of: pending.partners, atMost: settings.journalBacklogPerPartner)
        } catch {
            logger.error("the journal entries waiting could not be counted: \(error)")
            backlog = [:]
        }
        let paused = Set(backlog.filter { $0.value >= settings.journalBacklogPerPartner }.keys)
        for partner in paused.subtracting(pending.paused).sorted() {
            logger.notice(
                "a partner's files wait in its folder until its journal entries, held back by the pace, have gone out",
                metadata: ["partner": "\(partner)", "waiting_entries": "\(backlog[partner] ?? 0)"])
        }
        pending.paused = paused
    }
}
