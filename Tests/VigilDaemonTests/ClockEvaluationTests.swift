import Foundation
import Logging
import Testing
import VigilCore

@testable import VigilDaemon

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
