import ArgumentParser
import Foundation
import Logging
import VigilConfiguration
import VigilCore
import VigilService
import VigilStore
import VigilSystemd

/// Ingests files in order into a store and collects what happened, for `evaluate` and `demo`.
///
/// Files go through the same `Ingestor` as the service's. Into the configured (live) store, every
/// alert event's effects are queued in the same transaction and performed at once: the alert-file
/// lines, `firing.json` and the journal entries, exactly as if the service had ingested the file
/// (no receipt: the command line prints its outcome). Into a private store (`--store`,
/// `--ephemeral`, the demo) nothing is queued.
struct IngestSession {
    let loaded: LoadedConfiguration
    let store: Store
    let engine: Engine
    /// The rules but `overdue`, for every file of a run of several: lateness is judged once, after
    /// the last (history loaded in one run made each month "overdue" until the next file came).
    let batchEngine: Engine
    /// The catalogue's words a file name may hold to be shown in the journal, built once.
    let vocabulary: FileNameVocabulary
    let date: CivilDate
    /// Performs the queued effects, for the live store only.
    let effects: EffectRunner?
    var outcomes: [(file: String, partner: String?, outcome: IngestOutcome)] = []

    init(loaded: LoadedConfiguration, store: Store, date: CivilDate, live: Bool = false) {
        self.loaded = loaded
        self.store = store
        self.date = date
        engine = Engine(catalogue: loaded.catalogue, rules: loaded.rules)
        batchEngine = Engine(
            catalogue: loaded.catalogue,
            rules: loaded.rules.filter {
                if case .overdue = $0.kind { return false }
                return true
            })
        vocabulary = FileNameVocabulary(catalogue: loaded.catalogue)
        if live {
            try? FileManager.default.createDirectory(
                atPath: loaded.resolve(loaded.config.alertsPath), withIntermediateDirectories: true)
        }
        effects =
            live
            ? EffectRunner(
                store: store, alertFiles: AlertFiles(folder: loaded.resolve(loaded.config.alertsPath)),
                receiptsRoot: loaded.resolve(loaded.config.receiptsPath),
                journal: Journal.isReachable() ? Journal(identifier: "vigil") : nil, logger: Logger(label: "vigil"),
                now: { Date() }) : nil
    }

    /// Parses and ingests each file; returns every alert event raised, in order.
    /// Without `checkPartners`, a file whose partner is unknown is ingested without permission
    /// checks (`--no-partner-check`); with it, such a file stops the run before anything is stored.
    mutating func run(
        files: [String], partner: String?, feed feedId: String? = nil, checkPartners: Bool = true, showCells: Bool = false
    ) throws -> [AlertEvent] {
        var parser = loaded.parser
        parser.evaluationDate = date
        parser.showsCellsWithoutPartner = showCells
        let partners = files.map { FeedFiles.partner(for: $0, given: partner, catalogue: loaded.catalogue) }
        if checkPartners, let index = partners.firstIndex(where: { $0 == nil }) {
            printError(
                "\(FeedFiles.label(files[index], partner: nil)): error[feed.permission]: no --partner given and its folder is not a partner, so partner permissions cannot be checked; give --partner, or --no-partner-check to ingest without them"
            )
            throw ExitCode(2)
        }
        var events: [AlertEvent] = []
        let batch = files.count > 1
        var touched = Set<String>()
        for (file, who) in zip(files, partners) {
            let label = FeedFiles.label(file, partner: who)
            let feed: ParsedFeed
            switch FeedFiles.read(file, partner: who, parser: parser, feed: feedId, maxBytes: loaded.config.maxFileBytes) {
            case .parsed(let parsed): feed = parsed
            case .refused(let refusal, _):
                // Refused before its content is used, as vigild would refuse the file dropped: nothing stored.
                let error = VigilError(code: .unreadable, message: refusal.statement, location: SourceLocation(file: label))
                outcomes.append(
                    (
                        file, who,
                        IngestOutcome(
                            status: .rejected, sha256: "", added: 0, revised: 0, unchanged: 0, errors: [error], events: [])
                    ))
                continue
            }
            if who == nil {
                printError(
                    "note: \(FeedFiles.label(file, partner: nil)): no --partner given and its folder is not a partner; partner permissions were not checked"
                )
            }
            let outcome = try Ingestor(
                store: store, engine: batch ? batchEngine : engine, valueLimit: loaded.config.maxValuesPerPartner,
                vocabulary: vocabulary
            ).ingest(
                feed,
                from: Ingestor.Source(
                    partner: who, name: (file as NSString).lastPathComponent, label: label, receipt: false,
                    effects: effects != nil),
                receivedAt: CivilDate.timestamp(unixSeconds: Date().timeIntervalSince1970), date: date)
            runEffects("\(FeedFiles.label(file, partner: nil)): ")
            if outcome.status == .accepted { touched.formUnion(feed.observations.map(\.series.indicator)) }
            outcomes.append((file, who, outcome))
            events += outcome.events
        }
        if batch && !touched.isEmpty { events += try judgeLateness(of: touched) }
        return events
    }

    /// After a run of several files: the `overdue` rules left out file by file, on the indicators
    /// the accepted files sent, judged once at the evaluation date on everything stored (review
    /// helper-24: judging every rule, even after only rejected files, let a backdated `--at`
    /// resolve other partners' overdue alerts).
    private func judgeLateness(of indicators: Set<String>) throws -> [AlertEvent] {
        let rules = loaded.rules.filter {
            guard case .overdue = $0.kind else { return false }
            return indicators.contains($0.indicator)
        }
        guard !rules.isEmpty else { return [] }
        let engine = Engine(catalogue: loaded.catalogue, rules: rules)
        let timestamp = CivilDate.timestamp(unixSeconds: Date().timeIntervalSince1970)
        guard let effects else { return try store.evaluate(engine: engine, date: date, at: timestamp) }
        let events = try store.evaluate(engine: engine, date: date, at: timestamp, effects: { Effect.forEvents($0) })
        runEffects("")
        return events
    }

    /// Writes the alert files and journal entries pending, if this session writes them; a failure
    /// is a warning (`prefix` names the file), as vigild writes them later.
    private func runEffects(_ prefix: String) {
        guard let effects else { return }
        do {
            try effects.runPending()
        } catch {
            printError("warning: \(prefix)alert files or journal not written yet (\(error)); vigild will write them")
        }
    }

    /// Feed files under the paths, or exit 2 naming a missing path or a folder without feeds. An
    /// argument typed with bytes that are not UTF-8 is refused as vigild refuses such a name.
    static func files(_ paths: [String]) throws -> [String] {
        do {
            return try FeedFiles.collect(paths, namesNotUTF8: namesNotUTF8(paths))
        } catch let error as VigilError {
            printError(error.description)
            throw ExitCode(2)
        }
    }

    /// Which of `paths` were typed with bytes that are not UTF-8, by position, with the display
    /// path of each (its name escaped from its bytes, `\xff`). Swift repairs such an argument
    /// (U+FFFD in place of the bytes), so each path is matched, in order, with the next raw
    /// `argv` entry that repairs to it: a valid name spelt with U+FFFD given beside it is not
    /// taken for it (review helper-39). One that does not exist is left to be "no such file".
    static func namesNotUTF8(_ paths: [String]) -> [Int: String] {
        var raw: [String: [[UInt8]?]] = [:]
        for index in 1..<max(1, Int(CommandLine.argc)) {
            guard let argument = CommandLine.unsafeArgv[index] else { continue }
            let bytes = Array(UnsafeRawBufferPointer(start: argument, count: strlen(argument)))
            let valid = String(validating: bytes, as: UTF8.self) != nil
            raw[String(decoding: bytes, as: UTF8.self), default: []].append(valid ? nil : bytes)
        }
        var marked: [Int: String] = [:]
        for (index, path) in paths.enumerated() {
            guard var queue = raw[path], !queue.isEmpty else { continue }
            let first = queue.removeFirst()
            raw[path] = queue
            guard let bytes = first else { continue }
            var info = stat()
            guard lstat(bytes.map { CChar(bitPattern: $0) } + [0], &info) == 0 else { continue }
            let folder = (path as NSString).deletingLastPathComponent
            let name = bytes.split(separator: UInt8(ascii: "/")).last.map(Array.init) ?? bytes
            marked[index] = (folder.isEmpty ? "" : UntrustedText.line(folder) + "/") + UntrustedText.line(bytes: name)
        }
        return marked
    }

    /// Parses a `--at` date, defaulting to today (UTC).
    static func date(_ text: String?) throws -> CivilDate {
        guard let text else { return CivilDate(unixSeconds: Date().timeIntervalSince1970) }
        guard case .some(let period) = Period(parsing: text), period.periodicity == .snapshot else {
            printError("error: --at expects a date like 2013-04-30, found '\(text)'")
            throw ExitCode(2)
        }
        return period.start
    }
}
