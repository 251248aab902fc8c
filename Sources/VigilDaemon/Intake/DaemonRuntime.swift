import Foundation
import Logging
import VigilConfiguration
import VigilCore
import VigilService
import VigilStore
import VigilSystemd

/// What the intake loop works with: configuration, engine, store, paths and effects; and the
/// per-file pipeline (claim → parse → one transaction → archive → effects).
struct DaemonRuntime {
    let configPath: String
    let logger: Logger
    let journal: Journal?
    var now: @Sendable () -> Date
    var loaded: LoadedConfiguration
    var engine: Engine
    /// The words a partner's file name may hold to be shown in the journal and the log.
    var vocabulary: FileNameVocabulary
    var paths: DaemonPaths
    let store: Store
    /// Held for the daemon's life: one vigild per store, and `vigil restore` refuses while it runs.
    let lock: StoreLock
    var effects: EffectRunner
    let policy: IntakePolicy
    /// Called after each chunk (1 MiB) of a file read for parsing: the loop pings its watchdog
    /// from here, so a parse that keeps reading is not killed as a hang, while one stuck inside a
    /// chunk still is (review helper-31: a 400 MB file of CR bytes outlasted `WatchdogSec=30`, and
    /// a stream of them kept the service restarting).
    var readProgress: () -> Void = {}

    init(
        configPath: String, logger: Logger, journal: Journal?, policy: IntakePolicy = IntakePolicy(),
        journalPace: JournalPace = JournalPace(), willMigrate: ([String]) -> Void = { _ in }, now: @escaping @Sendable () -> Date
    ) throws {
        self.policy = policy
        self.configPath = configPath
        self.logger = logger
        self.journal = journal
        self.now = now
        loaded = try ConfigurationLoader.load(path: configPath)
        engine = Engine(catalogue: loaded.catalogue, rules: loaded.rules, logger: logger)
        vocabulary = FileNameVocabulary(catalogue: loaded.catalogue)
        paths = DaemonPaths(loaded)
        try FileManager.default.createDirectory(atPath: paths.state, withIntermediateDirectories: true)
        lock = try StoreLock.acquire(store: paths.store)
        store = try Store.open(
            path: paths.store, logger: logger, deferCheckpoints: true, keepsCopies: true, willMigrate: willMigrate)
        effects = EffectRunner(
            store: store, alertFiles: AlertFiles(folder: paths.alerts), receiptsRoot: paths.receipts, journal: journal,
            logger: logger, now: now, pace: journalPace)
    }

    /// Performs the effects a spent journal pace held back (the window has ended).
    func sendPacedEffects() {
        do {
            try effects.runPending()
        } catch {
            logger.error("performing held-back effects failed: \(error)")
        }
    }

    /// Partners whose folders are watched.
    var partners: [String] { loaded.config.partners.isEmpty ? loaded.catalogue.partners.map(\.id) : loaded.config.partners }

    var today: CivilDate { CivilDate(unixSeconds: now().timeIntervalSince1970) }

    var timestamp: String { CivilDate.timestamp(unixSeconds: now().timeIntervalSince1970) }

    /// Readies the tree and the store before READY=1; `notify` sends a line to systemd (the
    /// start's extension when the store is large, `startTimeout`).
    func prepare(startTimeout: StartTimeout = StartTimeout(), notify: (String) -> Void = { _ in }) throws {
        try paths.create(partners: partners)
        purgeExpired()
        let problems = paths.problems(partners: partners)
        if !problems.isEmpty {
            throw VigilErrors(
                problems.map { VigilError(code: .config, message: $0, location: nil) })
        }
        for closed in paths.closedDropFolders(partners: partners) { logger.warning("\(closed)") }
        try effects.runPending()
        // Before READY=1, under the start timeout rather than between watchdog pings; a large
        // store asks for the time it needs first.
        let sizes = try store.copySizes()
        if let asked = startTimeout.microseconds(values: sizes.values, records: sizes.records) {
            logger.notice(
                "reading a large store before starting",
                metadata: ["values": "\(sizes.values)", "records": "\(sizes.records)", "extension_s": "\(asked / 1_000_000)"])
            notify(
                "EXTEND_TIMEOUT_USEC=\(asked)\nSTATUS=starting: reading the store (\(sizes.values) values, \(sizes.records) alert records)"
            )
        }
        try store.loadCopies()
    }

    /// Attempts allowed per claimed file: after this many failed or interrupted attempts (a
    /// crash, the watchdog) it is set aside with a receipt instead of being tried again.
    static let maxAttempts = 2

    /// Finishes what a crash left in the processing folder, oldest claim first: copies that were
    /// committed are moved to their destination; open claims are copied or processed again
    /// (each attempt counted); anything else (a stray partial copy) is removed.
    func resumeProcessing() throws {
        let configured = Set(partners)
        for entry in intake.returnSetApart(dropFolder: { configured.contains($0) ? paths.drop($0) : nil }) {
            logger.warning(
                "a folder a partner swapped in could not be returned to its drop folder; it stays set apart in the processing folder",
                metadata: ["entry": "\(UntrustedText.line(entry))"])
        }
        let open = try store.openIntake()
        let known = Set(open.map(\.claim))
        for entry in try FileManager.default.contentsOfDirectory(atPath: paths.processing).sorted() where !entry.hasPrefix(".") {
            // `<claim>`, or its `.orig` / `.part` companions (both suffixes are five characters).
            let base = entry.hasSuffix(".orig") || entry.hasSuffix(".part") ? String(entry.dropLast(5)) : entry
            if let destination = try store.claimDestination(base) {
                if base == entry {
                    move(paths.processing + "/" + entry, to: destination)
                } else {
                    unlink(paths.processing + "/" + entry)
                }
                continue
            }
            if known.contains(base) { continue }
            if entry.hasSuffix(".part") {
                unlink(paths.processing + "/" + entry)
            } else if let (partner, name) = DaemonRuntime.parseLegacyClaim(entry) {
                // A claim from a version that put the name in the claim id.
                let record = IntakeRecord(claim: entry, partner: partner, name: name, receivedAt: timestamp)
                resumeOrLog(record, begin: true)
            } else {
                logger.error("an unknown entry in the processing folder was set aside", metadata: ["entry": "\(entry)"])
                move(paths.processing + "/" + entry, to: paths.rejected + "/unknown/" + entry)
            }
        }
        for record in open { resumeOrLog(record) }
        try effects.runPending()
    }

    /// Resumes one claim (recording it first when `begin`); one that fails (its attempt is
    /// counted) is logged and left for the next start, and does not hold back the others.
    private func resumeOrLog(_ record: IntakeRecord, begin: Bool = false) {
        do {
            if begin { try store.beginIntake(record) }
            try frozen().resume(record)
        } catch {
            logger.error(
                "resuming a claimed file failed; it is tried again at the next start: \(error)",
                metadata: ["partner": "\(record.partner)", "file": "\(vocabulary.shown(record.name, sha256: ""))"])
        }
    }

    /// Resumes one open claim.
    private func resume(_ record: IntakeRecord) throws {
        let fm = FileManager.default
        let copy = paths.processing + "/" + record.claim
        if !fm.fileExists(atPath: copy) {
            if fm.fileExists(atPath: copy + ".orig") {
                switch intake.resumeCopy(
                    claimId: record.claim, partner: record.partner, name: record.name, folder: paths.drop(record.partner),
                    refusedFolder: refusedFolder(record.partner))
                {
                case .claimed: break
                case .refused(let refusal), .refusedInPlace(let refusal, _):
                    try refuse(record, refusal)
                    return
                case .vanished:
                    try store.endIntake(record.claim)
                    return
                }
            } else {
                // The crash came before the entry left the drop folder: it is still there and is taken again.
                try store.endIntake(record.claim)
                return
            }
        }
        logger.notice(
            "resuming a file claimed before a restart",
            metadata: ["partner": "\(record.partner)", "file": "\(vocabulary.shown(record.name, sha256: ""))"])
        _ = try attempt(ClaimedFile(claim: record.claim, partner: record.partner, name: record.name, path: copy))
    }

    /// A claim id: time, process and sequence; never the partner's name, which may be 255 bytes.
    static func claimId(stamp: Int, sequence: Int) -> String { "\(stamp)-\(getpid())-\(sequence)" }

    /// `<claim>.<partner>.<name>` (a version before 0.6) → (partner, name).
    static func parseLegacyClaim(_ entry: String) -> (String, String)? {
        let parts = entry.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        return parts.count == 3 && parts[0].contains("-") ? (parts[1], parts[2]) : nil
    }

    var intake: SafeIntake { SafeIntake(processing: paths.processing, maxBytes: loaded.config.maxFileBytes) }

    func refusedFolder(_ partner: String) -> String { paths.rejected + "/" + partner + "/" + "\(today)" }

    /// This runtime with its clock read once and frozen: everything one file does (its claim id,
    /// the evaluation date it is parsed and judged at, its receipt time, its archive day) agrees,
    /// even across midnight.
    func frozen() -> DaemonRuntime {
        let at = now()
        var copy = self
        copy.now = { at }
        return copy
    }

    /// What processing one entry did: its status, and the identity of an entry refused where it
    /// is (to be answered once).
    typealias Processed = (status: ProcessResult, leftInPlace: RefusedEntries.Identity?)

    /// Claims and ingests one dropped file with one reading of the clock. Returns its status, or
    /// nil when it vanished.
    func process(partner: String, name: String, sequence: Int) -> Processed? {
        frozen().processNow(partner: partner, name: name, sequence: sequence)
    }

    private func processNow(partner: String, name: String, sequence: Int) -> Processed? {
        let claimId = DaemonRuntime.claimId(stamp: Int(now().timeIntervalSince1970 * 1000), sequence: sequence)
        // The first attempt is counted in the record committed before the claim, rather than in
        // a second commit after it (each commit waits for the disk).
        let record = IntakeRecord(claim: claimId, partner: partner, name: name, receivedAt: timestamp, attempts: 1)
        do {
            switch intake.claim(
                folder: paths.drop(partner), partner: partner, name: name, claimId: claimId,
                refusedFolder: refusedFolder(partner), record: { try store.beginIntake(record) })
            {
            case .claimed(let file):
                let status = try attempt(file, counted: true)
                try effects.runPending()
                return (status, nil)
            case .vanished:
                try store.endIntake(claimId)
                return nil
            case .refused(let refusal):
                try refuse(record, refusal)
                try effects.runPending()
                return (.refused, nil)
            case .refusedInPlace(let refusal, let identity):
                try refuse(record, refusal, leftInPlace: true)
                try effects.runPending()
                return (.refused, identity)
            }
        } catch {
            logger.error(
                "processing failed; the file stays claimed and is retried at restart: \(error)",
                metadata: ["partner": "\(partner)", "file": "\(vocabulary.shown(name, sha256: ""))"])
            return (.failed, nil)
        }
    }

    /// Refuses a raw-named entry (not UTF-8) with a receipt: moved aside, or left where it is.
    /// Returns the identity of an entry left in place (to be answered once).
    func refuseRawName(partner: String, rawName: [UInt8], sequence: Int) -> RefusedEntries.Identity? {
        frozen().refuseRawNameNow(partner: partner, rawName: rawName, sequence: sequence)
    }

    private func refuseRawNameNow(partner: String, rawName: [UInt8], sequence: Int) -> RefusedEntries.Identity? {
        let claimId = DaemonRuntime.claimId(stamp: Int(now().timeIntervalSince1970 * 1000), sequence: sequence)
        let outcome = intake.refuse(
            .nameNotUTF8, folder: paths.drop(partner), rawName: rawName, refusedFolder: refusedFolder(partner), claimId: claimId)
        let refusal: IntakeRefusal
        var identity: RefusedEntries.Identity?
        switch outcome {
        case .refused(let why): refusal = why
        case .refusedInPlace(let why, let id):
            refusal = why
            identity = id
        case .claimed, .vanished: return nil
        }
        let display = UntrustedText.line(bytes: rawName)
        do {
            try refuse(
                IntakeRecord(claim: claimId, partner: partner, name: display, receivedAt: timestamp), refusal,
                leftInPlace: identity != nil, nameIsEscaped: true)
            try effects.runPending()
        } catch {
            logger.error(
                "could not record a refusal: \(error)",
                metadata: ["partner": "\(partner)", "file": "\(vocabulary.shown("", sha256: ""))"])
        }
        return identity
    }

    /// Records a refusal with its receipt and journal entry.
    /// `nameIsEscaped` when the record's name is already escaped text (a name that is not UTF-8).
    func refuse(
        _ record: IntakeRecord, _ refusal: IntakeRefusal, leftInPlace: Bool = false, nameIsEscaped: Bool = false
    ) throws {
        let shown = nameIsEscaped ? record.name : UntrustedText.line(record.name)
        let journalName = nameIsEscaped ? vocabulary.shown("", sha256: "") : vocabulary.shown(record.name, sha256: "")
        logger.warning(
            "refused a dropped entry: \(refusal)", metadata: ["partner": "\(record.partner)", "file": "\(journalName)"])
        let folder = refusedFolder(record.partner)
        try store.recordUnreadable(
            claim: Claim(id: record.claim, archive: folder + "/" + record.claim, rejected: folder + "/" + record.claim),
            effects: Effect.forRefusal(
                partner: record.partner, name: record.name, refusal: refusal, leftInPlace: leftInPlace,
                label: record.partner + "/" + shown, nameIsEscaped: nameIsEscaped,
                journalName: journalName))
    }
}
