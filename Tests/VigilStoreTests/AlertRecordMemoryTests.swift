import Foundation
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
            let kept = try store.alertRecords().filter { $0.state != .retracted }
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
        // A store opened afresh (vigild restarted) holds the others in memory.
        let restarted = try Store.open(path: folder + "/vigil.sqlite", keepsCopies: true)
        _ = try restarted.evaluate(engine: engine, date: date, at: "t9")
        #expect(restarted.cache.records?.count == limit + 1)
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
