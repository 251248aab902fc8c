import Foundation
import Logging
import Testing
import VigilCore
import VigilStore

@testable import VigilService

/// `alerts.jsonl` rotated while the service runs (review helper-33: the docs said to rotate only
/// while stopped; `docs/examples/logrotate-vigil` is the example IT installs).
struct LogRotationTests {
    /// A deployment, its store and the service's effect runner.
    struct Fixture {
        let d: TestDeployment
        let store: Store
        let runner: EffectRunner
        var log: String { d.alerts + "/alerts.jsonl" }

        init() throws {
            d = try TestDeployment()
            store = try d.openStore()
            runner = EffectRunner(
                store: store, alertFiles: AlertFiles(folder: d.alerts), receiptsRoot: d.receipts, journal: nil,
                logger: Logger(label: "test"), now: { Date() })
        }

        /// Ten alert lines with ids `prefix0` … `prefix9`, performed.
        func batch(_ prefix: String) throws {
            let rows = (0..<10).map { n in
                OutboxEffect.alertLine(id: "\(prefix)\(n)", line: #"{"id":"\#(prefix)\#(n)"}"#).item
            }
            _ = try store.evaluate(
                engine: Engine(catalogue: Catalogue(priorities: [], partners: [], dimensions: [], indicators: []), rules: []),
                date: CivilDate(year: 2026, month: 12, day: 7)!, at: "2026-12-07T00:00:00Z", effects: { _ in rows })
            _ = try runner.runPending()
        }

        /// The lines `batch(prefix)` writes.
        static func lines(_ prefix: String) -> String { (0..<10).map { #"{"id":"\#(prefix)\#($0)"}"# + "\n" }.joined() }
    }

    /// logrotate renames the log aside; the next lines start a new one at the same path, mode
    /// 0640, with nothing lost and nothing written twice; the file moved aside is not touched.
    @Test func theLogMovedAsideWhileRunningStartsANewOne() throws {
        let f = try Fixture()
        defer { f.d.remove() }
        try f.batch("a")
        #expect(rename(f.log, f.log + ".1") == 0)
        try f.batch("b")
        #expect(try String(contentsOfFile: f.log + ".1", encoding: .utf8) == Fixture.lines("a"))
        #expect(try String(contentsOfFile: f.log, encoding: .utf8) == Fixture.lines("b"))
        var info = stat()
        #expect(stat(f.log, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o640)
        #expect(try f.store.pendingOutbox().isEmpty)
    }

    /// The shipped example, run by the real logrotate twice between batches: each rotation keeps
    /// every line, the second compresses the first's file, and vigild needs no signal.
    @Test func theShippedLogrotateExampleRotatesWithoutLosingALine() throws {
        let f = try Fixture()
        defer { f.d.remove() }
        let example = try String(contentsOfFile: TestDeployment.repo + "/docs/examples/logrotate-vigil", encoding: .utf8)
        #expect(example.contains("/var/lib/vigil/alerts/alerts.jsonl {"))
        #expect(example.contains("    su vigil vigil\n"))
        let user = String(cString: getpwuid(getuid())!.pointee.pw_name)
        let group = String(cString: getgrgid(getgid())!.pointee.gr_name)
        let config = f.d.root + "/logrotate.conf"
        try example.replacingOccurrences(of: "/var/lib/vigil/alerts/alerts.jsonl", with: f.log)
            .replacingOccurrences(of: "su vigil vigil", with: "su \(user) \(group)")
            .write(toFile: config, atomically: true, encoding: .utf8)
        func rotate() throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/sbin/logrotate")
            process.arguments = ["--force", "--state", f.d.root + "/logrotate.state", config]
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        try f.batch("a")
        try rotate()
        #expect(!FileManager.default.fileExists(atPath: f.log))
        try f.batch("b")
        try rotate()
        try f.batch("c")
        #expect(try String(contentsOfFile: f.log, encoding: .utf8) == Fixture.lines("c"))
        #expect(try String(contentsOfFile: f.log + ".1", encoding: .utf8) == Fixture.lines("b"))
        let gunzip = Process()
        let out = Pipe()
        gunzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gunzip.arguments = ["-dc", f.log + ".2.gz"]
        gunzip.standardOutput = out
        try gunzip.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        gunzip.waitUntilExit()
        #expect(String(decoding: data, as: UTF8.self) == Fixture.lines("a"))
        #expect(try f.store.pendingOutbox().isEmpty)
    }
}
