import Foundation
import Logging
import VigilCore
import VigilStore

/// What the intake loop works with: configuration, engine, store, paths and effects; and the
/// per-file pipeline (claim → parse → one transaction → archive → effects).
struct DaemonRuntime {
    let configPath: String
    let logger: Logger
    let journal: Journal?
    let now: @Sendable () -> Date
    var loaded: LoadedConfiguration
    var engine: Engine
    var paths: DaemonPaths
    let store: Store
    var effects: EffectRunner

    init(configPath: String, logger: Logger, journal: Journal?, now: @escaping @Sendable () -> Date) throws {
        self.configPath = configPath
        self.logger = logger
        self.journal = journal
        self.now = now
        loaded = try ConfigurationLoader.load(path: configPath)
        engine = Engine(catalogue: loaded.catalogue, rules: loaded.rules, logger: logger)
        paths = DaemonPaths(loaded)
        try FileManager.default.createDirectory(atPath: paths.state, withIntermediateDirectories: true)
        store = try Store.open(path: paths.store, logger: logger, deferCheckpoints: true)
        effects = EffectRunner(
            store: store, alertFiles: AlertFiles(folder: paths.alerts), receiptsRoot: paths.receipts, journal: journal,
            logger: logger, now: now)
    }

    /// Partners whose folders are watched.
    var partners: [String] { loaded.config.partners.isEmpty ? loaded.catalogue.partners.map(\.id) : loaded.config.partners }

    var today: CivilDate { CivilDate(unixSeconds: now().timeIntervalSince1970) }

    var timestamp: String { ISO8601DateFormatter().string(from: now()) }

    func prepare() throws {
        try paths.create(partners: partners)
        try effects.runPending()
    }

    /// Finishes files a crash left in the processing folder.
    func resumeProcessing() throws {
        for entry in try FileManager.default.contentsOfDirectory(atPath: paths.processing).sorted() where !entry.hasPrefix(".") {
            guard let (partner, name) = DaemonRuntime.parseClaim(entry) else { continue }
            if let destination = try store.claimDestination(entry) {
                move(paths.processing + "/" + entry, to: destination)
                continue
            }
            logger.notice("resuming a file claimed before a restart", metadata: ["partner": "\(partner)", "file": "\(name)"])
            switch SafeIntake(processing: paths.processing, maxBytes: loaded.config.maxFileBytes).reopen(
                claimId: entry, partner: partner, name: name)
            {
            case .success(let file): _ = try ingest(file)
            case .failure(let refusal): logger.error("a claimed file cannot be read: \(refusal)", metadata: ["file": "\(entry)"])
            }
        }
        try effects.runPending()
    }

    /// `<claim>.<partner>.<name>` → (partner, name).
    static func parseClaim(_ entry: String) -> (String, String)? {
        let parts = entry.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        return parts.count == 3 ? (parts[1], parts[2]) : nil
    }

    /// Claims and ingests one dropped file. Returns its status, or nil when it vanished.
    func process(partner: String, name: String, sequence: Int) -> String? {
        let stamp = Int(now().timeIntervalSince1970 * 1000)
        let claimId = "\(stamp)-\(getpid())-\(sequence).\(partner).\(name)"
        let intake = SafeIntake(processing: paths.processing, maxBytes: loaded.config.maxFileBytes)
        let refused = paths.rejected + "/" + partner + "/" + "\(today)"
        do {
            switch intake.claim(
                folder: paths.drop(partner), partner: partner, name: name, claimId: claimId, refusedFolder: refused)
            {
            case .success(let file):
                let status = try ingest(file)
                try effects.runPending()
                return status
            case .failure(.unreadable(let why)) where why.contains("No such file"):
                return nil
            case .failure(let refusal):
                logger.warning(
                    "refused a dropped entry unread: \(refusal)", metadata: ["partner": "\(partner)", "file": "\(name)"])
                try store.recordUnreadable(
                    claim: Claim(id: claimId, archive: refused + "/" + claimId, rejected: refused + "/" + claimId),
                    effects: Effect.forRefusal(partner: partner, name: name, refusal: refusal))
                try effects.runPending()
                return "refused"
            }
        } catch {
            logger.error(
                "processing failed; the file stays claimed and is retried at restart: \(error)",
                metadata: ["partner": "\(partner)", "file": "\(name)"])
            return "failed"
        }
    }

    /// Parses a claimed file and commits everything it causes in one transaction, then archives it.
    func ingest(_ file: ClaimedFile) throws -> String {
        let label = file.partner + "/" + file.name
        guard let next = file.read() else { throw DurableFile.posixError("open \(file.path)") }
        let clock = ContinuousClock()
        let began = clock.now
        // Streamed: a record-level extract of millions of rows is never held whole.
        let feed = loaded.parser.parse(file: label, partner: file.partner, next: next)
        let parsed = clock.now
        let day = "\(today)"
        let stored = "\(feed.sha256.prefix(16))-\(file.name)"
        let claim = Claim(
            id: file.claim, archive: "\(paths.archive)/\(file.partner)/\(day)/\(stored)",
            rejected: "\(paths.rejected)/\(file.partner)/\(day)/\(stored)")
        let outcome = try store.ingest(
            feed, receivedAt: timestamp, engine: engine, date: today,
            effects: { outcome in
                Effect.forFile(
                    partner: file.partner, name: file.name, receipt: Receipt(feed: feed, outcome: outcome, displayName: label),
                    events: outcome.events)
            }, claim: claim)
        let committed = clock.now
        move(paths.processing + "/" + file.claim, to: outcome.status == .rejected ? claim.rejected : claim.archive)
        func milliseconds(_ d: Duration) -> String {
            String(format: "%.1f", Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15)
        }
        logger.info(
            "file \(outcome.status.rawValue)",
            metadata: [
                "partner": "\(file.partner)", "file": "\(file.name)", "file_sha256": "\(feed.sha256)",
                "events": "\(outcome.events.count)", "rows": "\(feed.rows)",
                // Where the time goes, for IT and for the latency benchmark.
                "parse_ms": "\(milliseconds(parsed - began))", "store_ms": "\(milliseconds(committed - parsed))",
            ])
        return outcome.status.rawValue
    }

    private func move(_ source: String, to destination: String) {
        let folder = (destination as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        if rename(source, destination) != 0 {
            logger.error("could not move a processed file", metadata: ["from": "\(source)", "to": "\(destination)"])
        }
        DurableFile.syncFolder(folder)
        DurableFile.syncFolder(paths.processing)
    }

    /// Loads the configuration again; on any error keeps the current one and logs every error.
    mutating func reload() throws {
        do {
            let fresh = try ConfigurationLoader.load(path: configPath)
            // Folders for new partners first: if that fails, the running configuration stays.
            try paths.create(partners: fresh.config.partners.isEmpty ? fresh.catalogue.partners.map(\.id) : fresh.config.partners)
            loaded = fresh
            engine = Engine(catalogue: fresh.catalogue, rules: fresh.rules, logger: logger)
            journal?.send(
                message:
                    "vigild configuration reloaded: \(fresh.rules.count) rules, \(fresh.catalogue.indicators.count) indicators",
                priority: 5, fields: [("MESSAGE_ID", MessageID.configReloaded.rawValue), ("VIGIL_CONFIG", configPath)])
            evaluateOnClock()
        } catch let errors as VigilErrors {
            for error in errors.errors { logger.error("\(error)") }
            journal?.send(
                message:
                    "vigild configuration rejected (\(errors.errors.count) errors); the previous configuration stays in force",
                priority: 3,
                fields: [
                    ("MESSAGE_ID", MessageID.configRejected.rawValue), ("VIGIL_CONFIG", configPath),
                    ("VIGIL_ERRORS", errors.description),
                ])
            throw errors
        }
    }

    /// Evaluates every rule against today's date (overdue feeds) and performs the effects.
    func evaluateOnClock() {
        do {
            _ = try store.evaluate(engine: engine, date: today, at: timestamp, effects: { Effect.forEvents($0) })
            try effects.runPending()
        } catch {
            logger.error("evaluation on the clock failed: \(error)")
        }
    }
}
