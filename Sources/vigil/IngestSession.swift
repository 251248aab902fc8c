import ArgumentParser
import Foundation
import VigilCore
import VigilStore

/// Ingests files in order into a store and collects what happened, for `evaluate` and `demo`.
struct IngestSession {
    let loaded: LoadedConfiguration
    let store: Store
    let engine: Engine
    let date: CivilDate
    var outcomes: [(file: String, partner: String?, outcome: IngestOutcome)] = []

    init(loaded: LoadedConfiguration, store: Store, date: CivilDate) {
        self.loaded = loaded
        self.store = store
        self.date = date
        engine = Engine(catalogue: loaded.catalogue, rules: loaded.rules)
    }

    /// Parses and ingests each file; returns every alert event raised, in order.
    /// Without `checkPartners`, a file whose partner is unknown is ingested without permission
    /// checks (`--no-partner-check`); with it, such a file stops the run before anything is stored.
    mutating func run(files: [String], partner: String?, feed feedId: String? = nil, checkPartners: Bool = true) throws
        -> [AlertEvent]
    {
        var parser = loaded.parser
        parser.evaluationDate = date
        let partners = files.map { FeedFiles.partner(for: $0, given: partner, catalogue: loaded.catalogue) }
        if checkPartners, let index = partners.firstIndex(where: { $0 == nil }) {
            printError(
                "\(files[index]): error[feed.permission]: no --partner given and its folder is not a partner, so partner permissions cannot be checked; give --partner, or --no-partner-check to ingest without them"
            )
            throw ExitCode(2)
        }
        var events: [AlertEvent] = []
        for (file, who) in zip(files, partners) {
            let feed = FeedFiles.parse(file, partner: who, parser: parser, feed: feedId)
            if who == nil {
                printError(
                    "note: \(file): no --partner given and its folder is not a partner; partner permissions were not checked")
            }
            let outcome = try store.ingest(
                feed, receivedAt: ISO8601DateFormatter().string(from: Date()), engine: engine, date: date)
            outcomes.append((file, who, outcome))
            events += outcome.events
        }
        return events
    }

    /// Feed files under the paths, or exit 2 naming a missing path.
    static func files(_ paths: [String]) throws -> [String] {
        do {
            return try FeedFiles.collect(paths)
        } catch let error as VigilError {
            printError(error.description)
            throw ExitCode(2)
        }
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
