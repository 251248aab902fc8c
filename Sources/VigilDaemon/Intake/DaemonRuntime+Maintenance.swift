import Foundation
import Logging
import VigilConfiguration
import VigilCore
import VigilService
import VigilStore
import VigilSystemd

/// What the runtime does between files: reloads, the retention purge and the evaluation against
/// the clock.
extension DaemonRuntime {
    /// Loads the configuration again; on any error keeps the current one and logs every error.
    mutating func reload() throws {
        do {
            let fresh = try ConfigurationLoader.load(path: configPath)
            // Folders for new partners first: if that fails, the running configuration stays.
            let freshPartners = fresh.config.partners.isEmpty ? fresh.catalogue.partners.map(\.id) : fresh.config.partners
            try paths.create(partners: freshPartners)
            let problems = paths.problems(partners: freshPartners)
            if !problems.isEmpty { throw VigilErrors(problems.map { VigilError(code: .config, message: $0, location: nil) }) }
            for closed in paths.closedDropFolders(partners: freshPartners) { logger.warning("\(closed)") }
            loaded = fresh
            engine = Engine(catalogue: fresh.catalogue, rules: fresh.rules, logger: logger)
            vocabulary = FileNameVocabulary(catalogue: fresh.catalogue)
            journal?.send(
                message:
                    "vigild configuration reloaded: \(fresh.rules.count) rules, \(fresh.catalogue.indicators.count) indicators",
                priority: .notice, fields: [("MESSAGE_ID", MessageID.configReloaded.rawValue), ("VIGIL_CONFIG", configPath)])
            evaluateOnClock()
        } catch let errors as VigilErrors {
            for error in errors.errors { logger.error("\(error)") }
            journal?.send(
                message:
                    "vigild configuration rejected (\(errors.errors.count) errors); the previous configuration stays in force",
                priority: .error,
                fields: [
                    ("MESSAGE_ID", MessageID.configRejected.rawValue), ("VIGIL_CONFIG", configPath),
                    ("VIGIL_ERRORS", errors.description),
                ])
            throw errors
        }
    }

    /// Deletes what `retention.record_files` no longer allows to be kept: every day's folder of
    /// record-level archives and of rejected or refused files (whoever sent them: a rejected file
    /// may be another partner's extract), older than the retention. Returns the folders deleted.
    @discardableResult
    func purgeExpired(progress: @escaping () -> Void = {}) -> [String] {
        let cutoff = today.adding(days: -loaded.config.recordFilesRetentionDays)
        let fm = FileManager.default
        let roots = [paths.recordArchive, paths.rejected].flatMap { root in
            ((try? fm.contentsOfDirectory(atPath: root)) ?? []).map { root + "/" + $0 }
        }
        var deleted: [String] = []
        // Never a path-based walk: whatever a partner left in these folders, no link is followed.
        var removal = TreeRemoval()
        removal.progress = progress
        for root in roots {
            for day in (try? fm.contentsOfDirectory(atPath: root)) ?? [] {
                guard let period = Period(parsing: day), period.periodicity == .snapshot, period.start < cutoff else { continue }
                if removal.remove(day, in: root) { deleted.append(root + "/" + day) }
            }
        }
        if !removal.failures.isEmpty {
            logger.error(
                "some files past their retention could not be deleted",
                metadata: ["count": "\(removal.failures.count)", "first": "\(removal.failures[0])"])
        }
        if !deleted.isEmpty {
            logger.notice(
                "deleted record-level files past their retention",
                metadata: ["folders": "\(deleted.count)", "retention_days": "\(loaded.config.recordFilesRetentionDays)"])
        }
        return deleted
    }

    /// Evaluates every rule against today's date (overdue feeds) and performs the effects, after
    /// the retention purge. Both call `progress` as they go (the purge every 1,000 entries, the
    /// evaluation after each rule): the loop pings its watchdog from there, as between files.
    func evaluateOnClock(progress: @escaping () -> Void = {}) {
        frozen().evaluateOnClockNow(progress: progress)
    }

    func evaluateOnClockNow(progress: @escaping () -> Void) {
        purgeExpired(progress: progress)
        do {
            _ = try store.evaluate(
                engine: engine, date: today, at: timestamp, effects: { Effect.forEvents($0) }, progress: progress)
            try effects.runPending()
        } catch {
            logger.error("evaluation on the clock failed: \(error)")
        }
    }
}
