import Foundation
import Testing
import VigilConfiguration
import VigilCore

@testable import VigilStore

/// The store keeps current values and alert records (but the retracted) in memory between
/// evaluations; they must be exactly what reading the store afresh gives, and another
/// connection's writes must be seen.
@Suite struct StoreCacheTests {
    private func keyed(_ records: [AlertRecord]) -> [AlertKey: AlertRecord] {
        Dictionary(uniqueKeysWithValues: records.map { ($0.key!, $0) })
    }

    private func assertMatchesTheStore(_ store: Store, _ context: String) throws {
        let fresh = try store.dataset()
        let cached = try #require(store.cache.dataset, "\(context): no cached dataset")
        #expect(cached.observations == fresh.observations, "\(context)")
        // Retracted records stay out of memory (AlertRecordMemoryTests).
        let records = try store.alertRecords().filter { $0.state != .retracted }
        #expect(store.cache.records == keyed(records), "\(context)")
    }

    @Test(arguments: [["police"], ["police", "health"], ["a,b"], ["", "x"], [""], [], ["x", ""]])
    func aCachedSourceListIsWhatTheStoreReadsBack(_ sources: [String]) {
        let joined = sources.joined(separator: ",")
        #expect(Store.readBack(sources, joined: joined) == joined.split(separator: ",").map(String.init))
    }

    /// Alert records are stored as JSON written by hand; `JSONDecoder` must read each back equal,
    /// numbers exact, optional parts present or absent.
    @Test func everyStoredRecordReadsBackEqualWithItsNumbersExact() throws {
        let replay = try Replay()
        let records = try replay.store.alertRecords()
        #expect(records.count > 10)
        let decoder = JSONDecoder()
        let awkward: [Double?] = [0.1 + 0.2, 1e-7, 123_456.789_012_345, -2.5e300, nil, 42, 1e15 + 0.5, -0.0]
        for (n, original) in records.enumerated() {
            var record = original
            record.firingEvent.value = awkward[n % awkward.count]
            record.lastEvent.expected = awkward[(n + 3) % awkward.count]
            record.generation = n % 2 == 0 ? nil : n
            if n % 3 == 0 { record.current = record.lastEvent } else if n % 3 == 1 { record.current = nil }
            for candidate in [original, record] {
                let read = try decoder.decode(AlertRecord.self, from: Data(candidate.storedJSON.utf8))
                #expect(read == candidate, "\(candidate.storedJSON)")
            }
        }
    }

    /// A partner may send the largest values the parser allows (10^12; 1e308s made sums and limits
    /// infinite, and the copies then differed from the store): whatever the rules make of them, the
    /// records written by hand read back as kept in memory.
    @Test func aFileOfHugeValuesLeavesTheCopiesEqualToTheStore() throws {
        let replay = try Replay()
        var csv = "indicator,period,value\n"
        for month in 1...12 { csv += "missing.incidents,2013-\(month < 10 ? "0" : "")\(month),1e12\n" }
        csv += "missing.incidents,2014-01,0\n"
        let feed = FeedParser(catalogue: replay.loaded.catalogue).parse(
            bytes: Array(csv.utf8), file: "huge.csv", partner: "police")
        let date = CivilDate(year: 2014, month: 2, day: 28)!
        _ = try replay.store.evaluate(engine: replay.engine, date: date, at: "t")
        let outcome = try replay.store.ingest(feed, receivedAt: "t", engine: replay.engine, date: date)
        #expect(outcome.status == .accepted)
        try assertMatchesTheStore(replay.store, "huge.csv")
    }

    @Test func theCopiesMatchTheStoreAfterEveryFileOfTheReplay() throws {
        let loaded = try ConfigurationLoader.load(path: Repo.config)
        let store = try Store.inMemory()
        let engine = Engine(catalogue: loaded.catalogue, rules: loaded.rules)
        let date = CivilDate(year: 2013, month: 4, day: 30)!
        // A full evaluation makes the copies (vigild's first evaluation does); each file keeps them.
        _ = try store.evaluate(engine: engine, date: date, at: "t")
        var ingested = 0
        for file in try FeedFiles.collect([Repo.example]) {
            let feed = try FeedFiles.parsed(file, loaded)
            let outcome = try store.ingest(feed, receivedAt: "t\(ingested)", engine: engine, date: date)
            ingested += 1
            if outcome.status == .accepted { try assertMatchesTheStore(store, file) }
        }
        #expect(ingested > 30)
        // The same events as a store that reads everything afresh for each file.
        let fresh = try Store.inMemory()
        for file in try FeedFiles.collect([Repo.example]) {
            fresh.cache.clear()
            let feed = try FeedFiles.parsed(file, loaded)
            _ = try fresh.ingest(feed, receivedAt: "t", engine: engine, date: date)
            fresh.cache.clear()
        }
        #expect(try store.events().map(\.id) == fresh.events().map(\.id))
    }

    /// vigild's store (copies made by a first full evaluation) and another connection to the same
    /// file, as a `vigil` command would open it.
    private func twoConnections(_ folder: String) throws -> (
        LoadedConfiguration, Engine, CivilDate, daemon: Store, other: Store
    ) {
        let loaded = try ConfigurationLoader.load(path: Repo.config)
        let engine = Engine(catalogue: loaded.catalogue, rules: loaded.rules)
        let date = CivilDate(year: 2013, month: 4, day: 30)!
        let daemon = try Store.open(path: folder + "/vigil.sqlite")
        let other = try Store.open(path: folder + "/vigil.sqlite")
        _ = try daemon.evaluate(engine: engine, date: date, at: "t0")
        return (loaded, engine, date, daemon, other)
    }

    @Test func aWriteByAnotherConnectionIsSeen() throws {
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (loaded, engine, date, daemon, other) = try twoConnections(folder)
        func feed(_ csv: String, _ name: String) -> ParsedFeed {
            loaded.parser.parse(bytes: Array(csv.utf8), file: name, partner: "childrens-services")
        }
        _ = try daemon.ingest(
            feed("indicator,period,value\nlac.admissions,2013-01,9\n", "a.csv"), receivedAt: "t1", engine: engine, date: date)
        #expect(daemon.cache.dataset != nil)
        // Another process (a `vigil evaluate` on the same store) adds a breach of the monthly target.
        _ = try other.ingest(
            feed("indicator,period,value\nlac.admissions,2013-02,14\n", "b.csv"), receivedAt: "t2", engine: engine, date: date)
        _ = try daemon.ingest(
            feed("indicator,period,value\nlac.admissions,2013-03,10\n", "c.csv"), receivedAt: "t3", engine: engine, date: date)
        try assertMatchesTheStore(daemon, "after another connection wrote")
        let cached = try #require(daemon.cache.dataset)
        let february = cached.observations.filter { "\($0.period)" == "2013-02" && $0.series.indicator == "lac.admissions" }
        #expect(february.map(\.value) == [.number(14)])
    }

    /// Copies dropped because another connection wrote are read again whole, not only for the
    /// rules of the next file: an alert of another indicator must stay in the copy, or the next
    /// file on that indicator would find no record and fire it afresh.
    @Test func copiesDroppedByAnotherConnectionAreReadAgainWhole() throws {
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (loaded, engine, date, daemon, other) = try twoConnections(folder)
        let police = try String(contentsOfFile: Repo.example + "/police/missing-incidents.csv", encoding: .utf8)
        let fired = try daemon.ingest(
            loaded.parser.parse(bytes: Array(police.utf8), file: "m.csv", partner: "police"), receivedAt: "t1", engine: engine,
            date: date)
        #expect(fired.events.contains { $0.rule == "missing-incidents-spike" && $0.event == .firing })
        func feed(_ csv: String, _ name: String) -> ParsedFeed {
            loaded.parser.parse(bytes: Array(csv.utf8), file: name, partner: "childrens-services")
        }
        _ = try other.ingest(
            feed("indicator,period,value\nlac.admissions,2013-02,14\n", "b.csv"), receivedAt: "t2", engine: engine, date: date)
        _ = try daemon.ingest(
            feed("indicator,period,value\nlac.admissions,2013-03,10\n", "c.csv"), receivedAt: "t3", engine: engine, date: date)
        #expect(daemon.cache.records?.values.contains { $0.rule == "missing-incidents-spike" } ?? true)
        if daemon.cache.records != nil {
            #expect(daemon.cache.records == keyed(try daemon.alertRecords().filter { $0.state != .retracted }))
        }
        // A police revision of an old month: the alert persists, it does not fire again.
        let again = try daemon.ingest(
            loaded.parser.parse(
                bytes: Array("indicator,period,value\nmissing.incidents,2010-04,19\n".utf8), file: "m2.csv", partner: "police"),
            receivedAt: "t4", engine: engine, date: date)
        #expect(again.status == .accepted)
        #expect(!again.events.contains { $0.rule == "missing-incidents-spike" && $0.event == .firing })
    }

    /// vigild's store makes the copies on its first file, with no full evaluation before it, and
    /// they equal the store's contents.
    @Test func aDaemonStoreMakesItsCopiesOnTheFirstFile() throws {
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let loaded = try ConfigurationLoader.load(path: Repo.config)
        let engine = Engine(catalogue: loaded.catalogue, rules: loaded.rules)
        let store = try Store.open(path: folder + "/vigil.sqlite", keepsCopies: true)
        let police = try String(contentsOfFile: Repo.example + "/police/missing-incidents.csv", encoding: .utf8)
        _ = try store.ingest(
            loaded.parser.parse(bytes: Array(police.utf8), file: "m.csv", partner: "police"), receivedAt: "t1", engine: engine,
            date: CivilDate(year: 2013, month: 4, day: 30)!)
        try assertMatchesTheStore(store, "after the first file")
        #expect(store.cache.records?.isEmpty == false)
        // firing.json reads the firing records alone.
        let firing = try store.firingRecords()
        #expect(!firing.isEmpty)
        #expect(firing == (try store.alertRecords()).filter { $0.state == .firing })
    }

    /// `firing.json` is rewritten after every file: vigild's store answers from its copy of the
    /// records (in the store's key order) rather than decoding every firing record again, and
    /// reads them afresh once another connection has written.
    @Test func firingRecordsComeFromTheCopyWhileItIsCurrent() throws {
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let loaded = try ConfigurationLoader.load(path: Repo.config)
        let engine = Engine(catalogue: loaded.catalogue, rules: loaded.rules)
        let date = CivilDate(year: 2013, month: 4, day: 30)!
        let daemon = try Store.open(path: folder + "/vigil.sqlite", keepsCopies: true)
        let police = try String(contentsOfFile: Repo.example + "/police/missing-incidents.csv", encoding: .utf8)
        _ = try daemon.ingest(
            loaded.parser.parse(bytes: Array(police.utf8), file: "m.csv", partner: "police"), receivedAt: "t1", engine: engine,
            date: date)
        func feed(_ csv: String, _ name: String) -> ParsedFeed {
            loaded.parser.parse(bytes: Array(csv.utf8), file: name, partner: "childrens-services")
        }
        // A breach of the monthly admissions target: a second firing alert, so the order counts.
        _ = try daemon.ingest(
            feed("indicator,period,value\nlac.admissions,2013-02,14\n", "b.csv"), receivedAt: "t2", engine: engine, date: date)
        let stored = try daemon.alertRecords().filter { $0.state == .firing }
        #expect(stored.count >= 2)
        #expect(stored.contains { $0.rule.hasPrefix("missing-") })
        // The police alerts' rows are spoilt behind the copy's back, on the store's own connection
        // (which does not change `data_version`): only an answer from the copy can still be right.
        try daemon.writer.writeWithoutTransaction { db in
            try db.execute(sql: "UPDATE alert_records SET record = '{' WHERE state = 'firing' AND rule LIKE 'missing-%'")
        }
        #expect(try daemon.firingRecords() == stored)
        // Another connection's commit makes the copy stale: the (spoilt) rows are read again.
        let other = try Store.open(path: folder + "/vigil.sqlite")
        _ = try other.ingest(
            feed("indicator,period,value\nlac.admissions,2013-03,10\n", "c.csv"), receivedAt: "t3", engine: engine, date: date)
        #expect(throws: (any Error).self) { try daemon.firingRecords() }
    }

    /// The revisions the rows path remembers are bounded: with room for 4, files of 6 keys never
    /// leave more than 4, and every revision written is still the next one (the forgotten ones are
    /// looked up again).
    @Test func rememberedRevisionsStayWithinTheirBound() throws {
        let store = try Store.inMemory(keepsCopies: true)
        store.cache.revisionLimit = 4
        let engine = Engine(catalogue: MissingCatalogue.catalogue, rules: [])
        let parser = FeedParser(catalogue: MissingCatalogue.catalogue)
        let date = CivilDate(year: 2013, month: 12, day: 1)!
        for file in 0..<5 {
            let rows = (1...6).map { "m.count,2013-0\($0),\(file * 10 + $0)\n" }.joined()
            let feed = parser.parse(
                bytes: Array("indicator,period,value\n\(rows)".utf8), file: "f\(file).csv", partner: "police")
            let outcome = try store.ingest(feed, receivedAt: "2013-11-0\(file + 1)T10:00:00Z", engine: engine, date: date)
            let expected: [Int] = file == 0 ? [6, 0] : [0, 6]
            #expect([outcome.added, outcome.revised] == expected)
            #expect(store.cache.revisions.count <= 4)
        }
        #expect(store.cache.revisions.count > 0)
        let revisions = try store.history(indicator: "m.count").filter { $0.period == "2013-06" }.map(\.revision)
        #expect(revisions == [1, 2, 3, 4, 5])
    }
}
