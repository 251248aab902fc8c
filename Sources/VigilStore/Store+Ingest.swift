import Foundation
import GRDB
import VigilCore

extension Store {
    /// Stores a parsed file (if accepted and new), re-evaluates, and records the alert transitions:
    /// all in one transaction, so a crash leaves either everything or nothing.
    public func ingest(_ feed: ParsedFeed, receivedAt: String, engine: Engine, date: CivilDate) throws -> IngestOutcome {
        try ingest(feed, receivedAt: receivedAt, engine: engine, date: date, effects: { _ in [] }, claim: nil)
    }

    /// Like `ingest`, and in the same transaction records the effects to perform afterwards (an
    /// outbox) and the claim of the file being processed, so that a crash at any instant loses
    /// nothing and repeats no alert.
    ///
    /// - Parameter valueLimit: the most values the file's partner may have stored
    ///   (`max_values_per_partner`); a file that would pass it is rejected whole (`feed.quota`).
    public func ingest(
        _ feed: ParsedFeed, receivedAt: String, engine: Engine, date: CivilDate, effects: (IngestOutcome) -> [OutboxItem],
        claim: Claim?, valueLimit: Int? = nil
    ) throws -> IngestOutcome {
        try write { db in
            let outcome = try ingest(db, feed, receivedAt: receivedAt, engine: engine, date: date, valueLimit: valueLimit)
            for item in effects(outcome) { try enqueue(db, item) }
            if let claim {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO claims VALUES (?, ?, ?, ?)",
                    arguments: [claim.id, feed.sha256, outcome.status.rawValue, claim.destination(outcome.status)])
                try db.execute(sql: "DELETE FROM intake WHERE claim = ?", arguments: [claim.id])
            }
            return outcome
        }
    }

    private func ingest(
        _ db: Database, _ feed: ParsedFeed, receivedAt: String, engine: Engine, date: CivilDate, valueLimit: Int?
    ) throws -> IngestOutcome {
        // Duplicates are judged per partner and only for a file that passes every check, so the
        // verdict on a partner's bytes never depends on what another partner sent.
        let partnerKey = feed.partner ?? ""
        let previous = try String.fetchOne(
            db, sql: "SELECT outcome FROM files WHERE partner = ? AND sha256 = ?", arguments: [partnerKey, feed.sha256])
        // A rejected file is recorded under its keyed identity, an accepted aggregate file under
        // its plain SHA-256: the same bytes are one file either way (review helper-32: a rejected
        // file accepted later stayed counted among the window's rejections).
        let acceptedAsPlain = try feed.plainSHA256.flatMap { plain in
            try String.fetchOne(
                db, sql: "SELECT outcome FROM files WHERE partner = ? AND sha256 = ? AND outcome != 'rejected'",
                arguments: [partnerKey, plain])
        }
        func rejected(_ errors: [VigilError]) throws -> IngestOutcome {
            // A file accepted before and rejected now (the catalogue changed) keeps its acceptance on record.
            if acceptedAsPlain == nil && (previous == nil || previous == IngestOutcome.Status.rejected.rawValue) {
                let errorsJSON = String(decoding: try JSONEncoder().encode(errors.map(\.description)), as: UTF8.self)
                try db.execute(
                    sql: "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, 'rejected', ?, ?)",
                    arguments: [feed.sha256, feed.file, partnerKey, receivedAt, feed.rows, errorsJSON])
            }
            return IngestOutcome(
                status: .rejected, sha256: feed.sha256, added: 0, revised: 0, unchanged: 0, errors: errors, events: [])
        }
        guard feed.isAccepted else { return try rejected(feed.errors) }
        if let previous, previous != IngestOutcome.Status.rejected.rawValue {
            return IngestOutcome(
                status: .duplicate, sha256: feed.sha256, added: 0, revised: 0, unchanged: 0, errors: [], events: [])
        }
        // A copy of every current value kept in memory (vigild's) answers whether a key is stored
        // and with what value, so a row needs no lookup in the store; while another connection's
        // commit has made it stale, the rows are looked up instead (and evaluation reads it afresh).
        let copyIsCurrent = try cache.copiesAreCurrent(db)
        if let valueLimit, let partner = feed.partner,
            let refusal = try valueLimitRefusal(db, feed, partner: partner, limit: valueLimit, copyIsCurrent: copyIsCurrent)
        {
            return try rejected([refusal])
        }
        // A rejected file sent again is judged again (the catalogue may have changed), and its
        // rejection, recorded under the keyed identity, is replaced by the acceptance.
        try db.execute(
            sql: "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, 'accepted', ?, ?)",
            arguments: [feed.sha256, feed.file, partnerKey, receivedAt, feed.rows, "[]"])
        if feed.plainSHA256 == nil {
            try db.execute(
                sql: "DELETE FROM files WHERE partner = ? AND sha256 = ? AND outcome = 'rejected'",
                arguments: [
                    partnerKey, Store.publishedIdentity(of: feed.sha256, partner: feed.partner, key: try Store.fileKey(db)),
                ])
        }
        var outcome = IngestOutcome(
            status: .accepted, sha256: feed.sha256, added: 0, revised: 0, unchanged: 0, errors: [], events: [])
        let indicators = feed.indicators
        // Each row's stored value by its primary key: the cost follows the file, not the history
        // of its indicators (reading every stored value of a file's indicators grew with each month).
        let storedValue = try RowStatement(
            db, sql: Store.storedValueSQL)
        // The file's new and revised values for the history, one row per indicator, and the file's
        // SHA-256, time and name once for all of them (made with the first of them: a file that
        // changes nothing adds no arrival). (A file holds one value per key: the parser rejects a
        // second one, so each key's revision is the stored one plus 1, once.)
        var history: HistoryBatch?
        // The latest value per key, so evaluation reads current values only, not every revision.
        // A revised value is updated in place: a replacement would delete the row and append it
        // anew, touching two pages of the table and its key's index instead of one.
        let insertCurrent = try RowStatement(db, sql: "INSERT INTO current_values VALUES (?, ?, ?, ?, ?, ?, ?)")
        let updateCurrent = try RowStatement(
            db,
            sql: """
                UPDATE current_values SET number = ?4, marker = ?5, sources = ?6, revision = ?7
                WHERE indicator = ?1 AND breakdown = ?2 AND period = ?3
                """)
        // Each indicator's new values, for `value_counts`.
        var added: [String: Int] = [:]
        // The new and revised values as the copy of the current values will hold them.
        var copied: [Observation] = []
        for observation in feed.observations {
            let period = "\(observation.period)"
            let breakdown = observation.series.breakdown.key
            let indicator = observation.series.indicator
            func storedRow() throws -> (value: ObservedValue, revision: Int)? {
                try storedValue.bind(1, indicator)
                try storedValue.bind(2, breakdown)
                try storedValue.bind(3, period)
                return try storedValue.firstRow { row in
                    (row.isNull(1) ? .number(row.double(0)) : .marker(row.text(1) ?? ""), row.integer(2))
                }
            }
            // The series as `dataset(db)` reads it back: the key the copy holds.
            let storedSeries = Store.storedSeries(observation.series)
            // The value stored under this key, from the copy or the store.
            let stored: ObservedValue?
            var storedRevision: Int?
            if copyIsCurrent {
                stored = cache.dataset?.point(storedSeries, observation.period)?.value
            } else {
                let row = try storedRow()
                (stored, storedRevision) = (row?.value, row?.revision)
            }
            if stored == observation.value {
                outcome.unchanged += 1
                continue
            }
            // A changed value's revision, needed only now: from the store's row, else remembered
            // by this process, else looked up (nil only if the copy held a key the store does not:
            // then it is inserted as new).
            let revisionKey = StoreCache.RevisionKey(indicator: indicator, breakdown: breakdown, period: period)
            var revisionIndex: [StoreCache.RevisionKey: Int].Index?
            var previous: Int?
            if stored != nil {
                revisionIndex = cache.revisions.index(forKey: revisionKey)
                previous = try storedRevision ?? revisionIndex.map { cache.revisions.values[$0] } ?? storedRow()?.revision
            }
            let number = observation.value.number
            let marker = number == nil ? observation.value.description : nil
            let sources = observation.sources.joined(separator: ",")
            // Every statement on current values takes the key and the value as its first five arguments.
            func bindKeyAndValue(_ statement: RowStatement) throws {
                try statement.bind(1, indicator)
                try statement.bind(2, breakdown)
                try statement.bind(3, period)
                try statement.bind(4, number)
                try statement.bind(5, marker)
            }
            var revision = 1
            if let previous {
                revision = previous + 1
                outcome.revised += 1
                if outcome.revisions.count < IngestOutcome.listedRevisions, let stored {
                    outcome.revisions.append(
                        .init(series: observation.series, period: observation.period, from: stored, to: observation.value))
                }
                try bindKeyAndValue(updateCurrent)
                try updateCurrent.bind(6, sources)
                try updateCurrent.bind(7, revision)
                try updateCurrent.run()
            } else {
                outcome.added += 1
                added[indicator, default: 0] += 1
                try bindKeyAndValue(insertCurrent)
                try insertCurrent.bind(6, sources)
                try insertCurrent.bind(7, revision)
                try insertCurrent.run()
            }
            let location = Store.storedLocation(observation.location, file: feed.file)
            if history == nil { history = try HistoryBatch.next(db) }
            history!.append(
                indicator: indicator,
                HistoryBatch.Revision(
                    id: 0, breakdown: breakdown, period: period, number: number, marker: marker, revision: revision,
                    // NULL: the file's own SHA-256, as for every value a partner supplies.
                    sources: sources == feed.sha256 ? nil : sources, line: location.line, column: location.column,
                    location: location.text))
            if cache.dataset != nil {
                if let revisionIndex {
                    cache.revisions.values[revisionIndex] = revision
                } else {
                    // Bounded: a file of a million new keys must not leave a million entries behind.
                    if cache.revisions.count >= cache.revisionLimit { cache.revisions.removeAll() }
                    cache.revisions[revisionKey] = revision
                }
                // Exactly what `dataset(db)` would read back for this row, put in the copy after
                // the loop, all at once (a file holds each key once, so no row here reads another's).
                copied.append(
                    Observation(
                        series: storedSeries, period: observation.period,
                        value: marker.map { .marker($0) } ?? .number(number ?? 0),
                        sources: Store.readBack(observation.sources, joined: sources)))
            }
        }
        // Merged series by series: rows in any order cost what rows in period order do.
        if !copied.isEmpty { cache.dataset!.upsert(contentsOf: copied) }
        try countNewValues(db, partner: partnerKey, added)
        if let history {
            try db.execute(
                sql: "INSERT INTO arrivals (file_sha256, recorded_at, file, last_id) VALUES (?, ?, ?, ?)",
                arguments: [feed.sha256, receivedAt, feed.file, history.lastId])
            try history.write(db, arrival: Int(db.lastInsertedRowID))
        }
        // Only the rules this file's indicators (and what derives from them) can affect.
        outcome.events = try evaluate(
            db, engine: engine, date: date, at: receivedAt, rules: engine.rules(affectedBy: indicators))
        return outcome
    }

    /// Re-evaluates every rule at `date` (e.g. on a timer for overdue feeds) and records the events.
    public func evaluate(engine: Engine, date: CivilDate, at timestamp: String) throws -> [AlertEvent] {
        try write { db in try evaluate(db, engine: engine, date: date, at: timestamp) }
    }

    func evaluate(
        _ db: Database, engine: Engine, date: CivilDate, at timestamp: String, rules: [Rule]? = nil,
        progress: () -> Void = {}
    ) throws -> [AlertEvent] {
        // The one place the copies are read: a copy another connection made stale (even one this
        // transaction's ingest has just updated) is dropped and read afresh, with this
        // transaction's writes.
        let wasCached = cache.dataset != nil
        let recordsWereCached = cache.records != nil
        try cache.validate(db)
        // A file's evaluation reads only its rules' alert records, unless all are kept in memory
        // (then a stale copy is read afresh whole).
        // (A copy another connection made stale is read afresh whole: it is kept afterwards.)
        let partial = cache.records == nil && rules != nil && !recordsWereCached && !keepsCopies
        // The machine takes the only copy of the records (the cache keeps none while it changes
        // them: a shared copy would be copied whole at the first change). Retracted records are
        // not read (a partner revising a flapping series makes them without end): an episode
        // that comes back has its record recalled by key below.
        var machine =
            try cache.records.map { AlertStateMachine(keyed: $0) }
            ?? AlertStateMachine(
                records: alertRecords(db, rules: partial ? rules.map { Set($0.map(\.id)) } : nil, retracted: false))
        cache.records = nil
        let data: Dataset
        if let cached = cache.dataset {
            data = cached
        } else if let rules, !wasCached, !keepsCopies {
            // Only what these rules read; the copy kept between evaluations (made by a full
            // evaluation, renewed here when another connection made it stale) is always the whole store.
            data = try dataset(db, indicators: engine.indicatorsRead(by: rules))
        } else {
            data = try dataset(db)
            cache.dataset = data
        }
        let evaluation =
            rules.map { engine.evaluate(data, at: date, only: $0, progress: progress) }
            ?? engine.evaluate(data, at: date, progress: progress)
        if !evaluation.omitted.isEmpty {
            // What a partner's flapping series (or a long noisy history) left unannounced, for IT.
            let rules = evaluation.omitted.keys.sorted()
            logger.warning(
                "more than \(Engine.episodeLimit) alert episodes of a rule on a series: only the latest are announced",
                metadata: [
                    "omitted_episodes": "\(evaluation.omitted.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.count } })",
                    "series": "\(evaluation.omitted.values.reduce(0) { $0 + $1.count })",
                    "rules": "\(rules.prefix(5).joined(separator: ","))\(rules.count > 5 ? ",..." : "")",
                ])
        }
        try machine.recall(alertRecords(db, keys: machine.unknownKeys(of: evaluation)))
        let events = machine.reconcile(evaluation, rules: rules ?? engine.rules, catalogue: engine.catalogue)
        // Only the records the reconciliation touched can differ from what is stored.
        for key in machine.touched.sortedByText() {
            guard let record = machine.records[key], machine.originals[key] != record else { continue }
            try db.execute(
                sql: "INSERT OR REPLACE INTO alert_records (key, rule, state, record) VALUES (?, ?, ?, ?)",
                arguments: [
                    key.description, record.rule, record.state.rawValue,
                    record.storedJSON,
                ])
        }
        machine.forgetRetracted()
        try archive(db, &machine)
        if !partial { cache.records = machine.records }
        var recorded: [AlertEvent] = []
        for event in events {
            try db.execute(
                sql: "INSERT OR IGNORE INTO alert_events (id, event, rule, json, recorded_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [event.id, event.event.rawValue, event.rule, event.jsonLine, timestamp])
            if db.changesCount > 0 { recorded.append(event) }
        }
        return recorded
    }

    /// Whether a breakdown's dimension or value holds a character its stored key separates with.
    static func breaksKey(_ text: String) -> Bool { text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "=") } }

    /// The source list `dataset(db)` reads back for `sources` stored as `joined`: the joined text
    /// split at commas, which is the list itself unless one of its names is empty or holds a comma.
    static func readBack(_ sources: [String], joined: String) -> [String] {
        let roundTrips = sources.allSatisfy { !$0.isEmpty && !$0.utf8.contains(UInt8(ascii: ",")) }
        return roundTrips ? sources : joined.split(separator: ",").map(String.init)
    }
}
