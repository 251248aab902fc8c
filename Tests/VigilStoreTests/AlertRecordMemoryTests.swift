import Foundation
import GRDB
import Logging
import Testing
import VigilCore

@testable import VigilStore

/// vigild keeps its alert records in memory. A partner that revises a flapping series again and
/// again makes retracted records without end (review helper-18: a restarted vigild peaked at
/// 1.6 GB loading them). Retracted records stay in the store and out of memory; an episode that
/// comes back is still announced, as a new generation.
@Suite struct AlertRecordMemoryTests {
    private static let catalogue = try! Catalogue.parse(
        yaml: """
            priorities:
              - {id: 1, title: Early help}
            partners:
              - {id: police, name: Police}
            indicators:
              - {id: t.count, title: Test count, unit: count, periodicity: month, polarity: higher_is_worse, partners: [police], priorities: [1]}
            """, file: "catalogue.yaml")
    private static let rules = try! RuleSet.parse(
        files: [
            (
                "rules.yaml",
                "rules:\n  - {id: high, kind: threshold, indicator: t.count, priority: 1, params: {above: {warning: 10}}}\n"
            )
        ], catalogue: catalogue)
    private let engine = Engine(catalogue: catalogue, rules: rules)
    private let date = CivilDate(year: 2030, month: 1, day: 1)!

    /// 2 × `pairs` months from January 1900, breaching every other month; `phase` moves the
    /// breaches one month earlier; `blank` trailing blank lines make each file's bytes its own.
    private func feed(_ pairs: Int, phase: Int, name: String, blank: Int) -> ParsedFeed {
        var csv = "indicator,period,value\n"
        var period = Period(parsing: "1900-01")!
        for n in 0..<(2 * pairs) {
            csv += "t.count,\(period),\((n + phase) % 2 == 1 ? 11 : 5)\n"
            period = period.next!
        }
        csv += String(repeating: "\n", count: blank)
        return FeedParser(catalogue: Self.catalogue).parse(bytes: Array(csv.utf8), file: name, partner: "police")
    }

    @Test func retractedRecordsLeaveMemoryAndAReturningEpisodeIsAnnouncedAgain() throws {
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let warnings = Warnings()
        let store = try Store.open(
            path: folder + "/vigil.sqlite", logger: Logger(label: "test") { _ in warnings }, keepsCopies: true)
        let limit = Engine.episodeLimit
        var firings: [[String]] = []
        var retractions: [Int] = []
        for (n, phase) in [0, 1, 0, 1, 0].enumerated() {
            let outcome = try store.ingest(
                feed(300, phase: phase, name: "f\(n).csv", blank: n), receivedAt: "t\(n)", engine: engine, date: date)
            #expect(outcome.status == .accepted)
            firings.append(outcome.events.filter { $0.event == .firing }.map(\.id))
            retractions.append(outcome.events.filter { $0.event == .retracted }.count)
            let memory = try #require(store.cache.records)
            #expect(!memory.values.contains { $0.state == .retracted }, "file \(n)")
            let kept = try store.read { try store.alertRecords($0, retracted: false) }
            #expect(memory == Dictionary(uniqueKeysWithValues: kept.map { ($0.key!, $0) }), "file \(n)")
        }
        // IT is told, once a file, what was left unannounced (300 episodes, the latest 64 announced).
        let told =
            "more than 64 alert episodes of a rule on a series: only the latest are announced"
            + " [omitted_episodes: 236, rules: high, series: 1]"
        #expect(warnings.lines.all == Array(repeating: told, count: 5))
        // Phase 0 breaches months 2, 4, ... 600 (its latest 64 episodes begin in months 474 to
        // 600); phase 1 months 1, 3, ... 599 (473 to 599). Phase 1 retracts all 64 of phase 0's;
        // phase 0 retracts 63 of phase 1's (the earliest, 473, begins before phase 0's limit and
        // stays resolved). Each announces its own episodes again, as a new generation with a new
        // id, their records recalled from the store; the resolved 473 is resolved again by
        // phase 1, which says nothing.
        #expect(firings.map(\.count) == [limit, limit, limit, limit - 1, limit])
        #expect(retractions == [0, limit, limit - 1, limit, limit - 1])
        #expect(Set(firings.joined()).count == 5 * limit - 1)
        let records = try store.alertRecords()
        #expect(records.count == 2 * limit)
        #expect(records.filter { $0.state == .retracted }.count == limit - 1)
        #expect(records.filter { $0.state == .retracted }.allSatisfy { $0.generation == 1 })
        // The resolved 473 is beyond phase 0's window of 64 and archived; a store opened afresh
        // (vigild restarted) holds the 64 others in memory.
        let restarted = try Store.open(path: folder + "/vigil.sqlite", keepsCopies: true)
        _ = try restarted.evaluate(engine: engine, date: date, at: "t9")
        #expect(restarted.cache.records?.count == limit)
    }
}

extension AlertRecordMemoryTests {
    /// Review helper-19 (critical C1): episodes sent 64 at a time in date order were each
    /// recorded and every resolved record stayed in vigild's memory (122,850 from 325 files; a
    /// restart then peaked at 1.6 GB). Only each rule and series' latest 64 are held; the rest
    /// are archived in the store, read back by key when their episode is reported again, and a
    /// store that reads afresh for every file (as `vigil evaluate` does) says the same.
    @Test func recordsBeyondTheWindowAreArchivedAndReadBackWhenReportedAgain() throws {
        let folder = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let daemon = try Store.open(path: folder + "/daemon.sqlite", keepsCopies: true)
        let fresh = try Store.open(path: folder + "/fresh.sqlite")
        let limit = Engine.episodeLimit
        // File n: the first 64 × (n + 1) episodes (breaches in odd months, each cleared the
        // month after), months by `value` where given.
        func file(_ n: Int, value: (Int) -> Int? = { _ in nil }) -> ParsedFeed {
            var csv = "indicator,period,value\n"
            var period = Period(parsing: "1900-01")!
            for month in 0..<(2 * limit * (n + 1) + 1) {
                csv += "t.count,\(period),\(value(month) ?? (month % 2 == 1 ? 11 : 5))\n"
                period = period.next!
            }
            return FeedParser(catalogue: Self.catalogue).parse(bytes: Array(csv.utf8), file: "f\(n).csv", partner: "police")
        }
        var events: [[String]] = [[], []]
        for n in 0..<6 {
            for (s, store) in [daemon, fresh].enumerated() {
                store.cache.clear()
                if s == 0 { _ = try store.evaluate(engine: engine, date: date, at: "t") }
                let outcome = try store.ingest(file(n), receivedAt: "t\(n)", engine: engine, date: date)
                events[s] += outcome.events.map(\.id)
            }
            let held = try #require(daemon.cache.records)
            #expect(held.count == limit, "file \(n)")
            #expect(
                held
                    == Dictionary(
                        uniqueKeysWithValues: try daemon.read { try daemon.alertRecords($0, retracted: false) }.map {
                            ($0.key!, $0)
                        }))
        }
        // The migration that made the archive finds the same records beyond the window.
        let archived = "SELECT key FROM alert_records WHERE archived = 1 ORDER BY key"
        let before = try daemon.read { try String.fetchAll($0, sql: archived) }
        #expect(before.count == 5 * limit)
        try daemon.write { db in
            try db.execute(sql: "UPDATE alert_records SET archived = 0")
            try Store.archiveBeyondWindows(db)
        }
        #expect(try daemon.read { try String.fetchAll($0, sql: archived) } == before)
        daemon.cache.clear()
        // Every episode announced once (fired and resolved), in both stores alike.
        #expect(events[0].count == 2 * 6 * limit)
        #expect(events[0] == events[1])
        #expect(try daemon.alertRecords().count == 6 * limit)
        // Month 2, the clearing month of an archived episode, revised to 11: that episode is
        // beyond the latest 64 reported, so nothing changes.
        let early = try daemon.ingest(file(5, value: { $0 == 2 ? 11 : nil }), receivedAt: "t9", engine: engine, date: date)
        #expect(early.status == .accepted && early.events.isEmpty)
        // Every month from 599 (December 1949) revised to 11: one episode from 599, never
        // cleared. Its record, archived as resolved, is read back and fires again as a new
        // generation, with the latest month as its evidence (January 1964); the 64 held
        // episodes from 641 on are gone (their months are inside it) and retracted; memory
        // holds the firing one alone.
        let tail = try daemon.ingest(file(5, value: { $0 >= 599 ? 11 : nil }), receivedAt: "t10", engine: engine, date: date)
        #expect(tail.events.filter { $0.event == .firing }.map(\.period) == ["1964-01"])
        #expect(tail.events.filter { $0.event == .retracted }.count == limit)
        #expect(try daemon.cache.records.map { Array($0.keys.map(\.description)) } == ["high/t.count@1949-12"])
        let record = try #require(try daemon.alertRecords().first { $0.start == "1949-12" })
        #expect(record.state == .firing && record.generation == 1)
    }
}

/// A log handler that keeps the warnings it is given, as text.
private struct Warnings: LogHandler {
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var kept: [String] = []
        func append(_ line: String) { lock.withLock { kept.append(line) } }
        var all: [String] { lock.withLock { kept } }
    }
    let lines = Lines()
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(event: LogEvent) {
        let pairs = (event.metadata ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        lines.append("\(event.message) [\(pairs.joined(separator: ", "))]")
    }
}
