import Foundation
import Logging
import VigilConfiguration
import VigilCore
import VigilService
import VigilStore
import VigilSystemd

/// One claimed file's attempt: counted first, parsed from the service's own copy, committed in one
/// transaction, then archived.
extension DaemonRuntime {
    /// Counts an attempt (committed first; `counted` when the intake record already holds it),
    /// then ingests; past the limit the copy is set aside.
    func attempt(_ file: ClaimedFile, counted: Bool = false) throws -> ProcessResult {
        let attempts = counted ? 1 : try store.noteAttempt(file.claim) ?? 1
        if attempts > DaemonRuntime.maxAttempts {
            let record = IntakeRecord(claim: file.claim, partner: file.partner, name: file.name, receivedAt: timestamp)
            try refuse(record, .attemptsExhausted(attempts: attempts - 1))
            move(file.path, to: refusedFolder(file.partner) + "/" + file.claim)
            return .refused
        }
        try policy.beforeIngest(file.partner, file.name)
        return try ingest(file)
    }

    /// Parses a claimed file and commits everything it causes in one transaction, then archives it.
    func ingest(_ file: ClaimedFile) throws -> ProcessResult {
        let label = file.partner + "/" + UntrustedText.line(file.name)
        guard let read = file.read() else { throw DurableFile.posixError("open \(file.path)") }
        let progress = readProgress
        let next = { () throws -> [UInt8]? in
            let chunk = try read()
            progress()
            return chunk
        }
        let clock = ContinuousClock()
        let began = clock.now
        // Streamed: a record-level extract of millions of rows is never held whole.
        var parser = loaded.parser
        parser.evaluationDate = today
        let feed = parser.parse(file: label, partner: file.partner, next: next)
        let parsed = clock.now
        let day = "\(today)"
        // Vigil's names: the claim and hash, then (for people) the partner's name, escaped and cut.
        let stored = "\(file.claim)-\(feed.sha256.prefix(16))-\(UntrustedText.line(file.name, maxBytes: 120))"
        // Record-level extracts (child identifiers) are archived apart and kept for a limited time.
        let archive = feed.recordFeed == nil ? paths.archive : paths.recordArchive
        let claim = Claim(
            id: file.claim, archive: "\(archive)/\(file.partner)/\(day)/\(stored)",
            rejected: "\(paths.rejected)/\(file.partner)/\(day)/\(stored)")
        let outcome = try Ingestor(
            store: store, engine: engine, valueLimit: loaded.config.maxValuesPerPartner, vocabulary: vocabulary
        ).ingest(
            feed, from: Ingestor.Source(partner: file.partner, name: file.name, label: label, receipt: true),
            receivedAt: timestamp, date: today, claim: claim)
        let committed = clock.now
        // The journal entries first, then the move: the claim already records where the file goes,
        // so a crash in between still moves it at the next start.
        do {
            try effects.runPendingJournal()
        } catch {
            // The file is stored: it is archived whatever happens to its journal entries, which
            // stay pending and go out with the rest of the outbox.
            logger.error("the journal entries of a stored file could not be sent yet: \(error)")
        }
        move(paths.processing + "/" + file.claim, to: outcome.status == .rejected ? claim.rejected : claim.archive)
        func milliseconds(_ d: Duration) -> String {
            String(format: "%.1f", Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
        }
        logger.info(
            "file \(outcome.status.rawValue)",
            metadata: [
                // The identity published (a record-level extract's is keyed: `Ingestor.published`).
                "partner": "\(file.partner)", "file": "\(vocabulary.shown(file.name, sha256: outcome.sha256))",
                "file_sha256": "\(outcome.sha256)",
                "events": "\(outcome.events.count)", "rows": "\(feed.rows)",
                // Where the time goes, for IT and for the latency benchmark.
                "parse_ms": "\(milliseconds(parsed - began))", "store_ms": "\(milliseconds(committed - parsed))",
            ])
        return ProcessResult(outcome.status)
    }

    func move(_ source: String, to destination: String) {
        let folder = (destination as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if rename(source, destination) != 0 {
            // The folder, not the name: the stored name holds the partner's (never in the log).
            logger.error(
                "could not move a processed file: \(String(cString: strerror(errno)))",
                metadata: ["from": "\(source)", "to_folder": "\(folder)"])
        }
        DurableFile.syncFolder(folder)
        DurableFile.syncFolder(paths.processing)
    }
}
