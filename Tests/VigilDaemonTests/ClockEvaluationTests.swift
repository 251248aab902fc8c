import Foundation
import Logging
import Testing
import VigilCore

@testable import VigilDaemon
@testable import VigilStore
@testable import VigilSystemd

/// The hourly evaluation of every rule runs on the intake loop's thread, between files. A whole
/// store's evaluation can outlast the watchdog (review helper-18: 69 s before the rate fix), so
/// it reports progress after each rule, and the loop pings the watchdog from there when due.
@Suite struct ClockEvaluationTests {
    @Test func theClockEvaluationReportsProgressAfterEveryRule() throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let runtime = try DaemonRuntime(
            configPath: deployment.config, logger: Logger(label: "test"), journal: nil, now: { Date() })
        var calls = 0
        runtime.evaluateOnClock(progress: { calls += 1 })
        // An empty archive deletes nothing, so every call is the evaluation's, one per rule.
        #expect(runtime.engine.rules.count > 100)
        #expect(calls == runtime.engine.rules.count)
    }
}

/// Review helper-31: a 400 MB file of CR bytes took longer to parse than `WatchdogSec=30`, and a
/// stream of them kept the real unit restarting. A file reports progress after each chunk it
/// reads, and the loop pings the watchdog from there when due; a parse stuck inside one chunk
/// still stops the pings.
@Suite struct FileReadProgressTests {
    @Test func aFileReportsProgressAfterEveryChunkItReads() throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let (logger, lines) = CapturingLogHandler.logger()
        var runtime = try DaemonRuntime(configPath: deployment.config, logger: logger, journal: nil, now: { Date() })
        let calls = Counter()
        runtime.readProgress = { calls.add() }
        for folder in [runtime.paths.processing, deployment.alerts] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        // 3 MiB and a little: four chunks of 1 MiB, then the end of the file.
        let blank = String(repeating: "\r\n", count: 3 << 19)
        try deployment.drop("police", "long.csv", contents: blank + "indicator,period,value\nmissing.incidents,2013-04,9\n")
        let processed = runtime.process(partner: "police", name: "long.csv", sequence: 1)
        #expect(processed.map { "\($0.status)" } == "accepted", "\(lines.all)")
        #expect(calls.value == 5)
    }

    /// The loop wires that progress to its watchdog. Every reading of its clock is a second
    /// later, so each ping it asks for is due: between the file's start and its status line there
    /// is one ping per chunk read, and none without the wiring.
    @Test func theLoopPingsTheWatchdogAfterEveryChunkOfAFile() throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        let sent = CapturingLogHandler.Lines()
        let clock = TestClock(TestClock.day("2013-05-20"))
        var settings = IntakeLoop.Settings()
        settings.settle = 0.2
        settings.policy = IntakePolicy { _, name in sent.append("started " + name) }
        let notifier = Notifier(watchdogMicroseconds: 1_000_000, send: sent.append)
        let ticking: @Sendable () -> Date = { clock.advance(by: 1) }
        try deployment.withLoop(settings: settings, now: ticking, notifier: notifier) { _ in
            let blank = String(repeating: "\r\n", count: 3 << 19)
            try deployment.drop("police", "long.csv", contents: blank + "indicator,period,value\nmissing.incidents,2013-04,9\n")
            #expect(TestDeployment.eventually { sent.all.contains { $0.contains("last file: from police, accepted") } })
        }
        let all = sent.all
        let started = try #require(all.firstIndex(of: "started long.csv"))
        let status = try #require(all.firstIndex { $0.contains("last file: from police, accepted") })
        #expect(all[started..<status].filter { $0 == "WATCHDOG=1" }.count == 5, "\(all[started..<status])")
    }
}

/// A count a closure can add to.
final class Counter: @unchecked Sendable {
    private(set) var value = 0
    func add() { value += 1 }
}

/// The copies of the store vigild keeps in memory are read at start, before READY=1, while
/// systemd's start timeout applies and its watchdog does not yet: the first file or hourly
/// evaluation after a restart read them between watchdog pings (review helper-19: 3.2 s at
/// 250,000 values; seven partners at their quota hold seven times that).
@Suite struct StartupLoadTests {
    @Test func theStoreIsReadBeforeReady() throws {
        let deployment = try TestDeployment()
        defer { deployment.remove() }
        var expected: [String] = []
        do {
            let first = try DaemonRuntime(
                configPath: deployment.config, logger: Logger(label: "test"), journal: nil, now: { Date() })
            // Ten months overdue by January 2014: firing records to hold.
            let feed = FeedParser(catalogue: first.loaded.catalogue).parse(
                bytes: Array("indicator,period,value\nmissing.incidents,2013-01,40\nmissing.incidents,2013-02,90\n".utf8),
                file: "m.csv", partner: "police")
            _ = try first.store.ingest(
                feed, receivedAt: "2014-01-01T00:00:00Z", engine: first.engine, date: CivilDate(year: 2014, month: 1, day: 1)!)
            expected = try first.store.alertRecords().filter { $0.state != .retracted }.map(\.rule).sorted()
        }
        // A restart: a new runtime on the same store holds no copies until it prepares.
        do {
            let restarted = try DaemonRuntime(
                configPath: deployment.config, logger: Logger(label: "test"), journal: nil, now: { Date() })
            #expect(restarted.store.cache.dataset == nil)
            try restarted.prepare()
            #expect(restarted.store.cache.dataset?.points(SeriesKey(indicator: "missing.incidents")).count == 2)
            let held = try #require(restarted.store.cache.records)
            #expect(held.keys.map(\.rule).sorted() == expected)
            #expect(!expected.isEmpty)
        }
        // An ordinary store asks systemd for nothing; one the policy judges large asks for the
        // time it needs, sized to what it holds, before reading it (the policy here judges two
        // values large: a second a row).
        var lines: [String] = []
        do {
            let again = try DaemonRuntime(
                configPath: deployment.config, logger: Logger(label: "test"), journal: nil, now: { Date() })
            try again.prepare(notify: { lines.append($0) })
            #expect(lines.isEmpty)
            let sizes = try again.store.copySizes()
            #expect(sizes.values == 2 && sizes.records == expected.count)
        }
        let slow = StartTimeout(microsecondsPerRow: 1_000_000, threshold: 1_000_000)
        let large = try DaemonRuntime(
            configPath: deployment.config, logger: Logger(label: "test"), journal: nil, now: { Date() })
        try large.prepare(startTimeout: slow, notify: { lines.append($0) })
        let rows = UInt64(2 + expected.count)
        #expect(
            lines == [
                "EXTEND_TIMEOUT_USEC=\(rows * 1_000_000 + 1_000_000)\nSTATUS=starting: reading the store (2 values, \(expected.count) alert records)"
            ])
    }

    /// The extension asked for: none below 30 s of estimated reading, else the estimate at
    /// 100 µs a row plus 30 s.
    @Test func theStartAsksForTimeSizedToTheStore() {
        let policy = StartTimeout()
        #expect(policy.microseconds(values: 100_000, records: 5_000) == nil)
        #expect(policy.microseconds(values: 300_000, records: 0) == nil)
        #expect(policy.microseconds(values: 300_000, records: 1) == 30_000_100 + 30_000_000)
        // Seven partners at their quota of 250,000 values: 175 s read, 205 s asked for.
        #expect(policy.microseconds(values: 1_750_000, records: 0) == 205_000_000)
        #expect(policy.microseconds(values: Int.max, records: Int.max) == UInt64.max / 2)
    }
}
