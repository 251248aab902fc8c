import Testing

@testable import VigilDaemon

/// The intake loop's decisions with a hand-moved clock: no sleeping, no I/O.
struct DaemonStateTests {
    @Test func startingSendsReadyBeforeResumingClaimsThenScans() {
        var state = DaemonState(scanInterval: 60, evaluateInterval: 3600, watchdog: 30)
        #expect(state.phase == .starting)
        #expect(state.woke() == [])
        #expect(state.started(at: 100) == [.notifyReady, .resumeClaims, .scan])
        #expect(state.phase == .ready)
        #expect(state.started(at: 101) == [])
        #expect(state.woke() == [.processReady])
    }

    @Test func timersComeDueAndThePollTimeoutFollowsThem() {
        var state = DaemonState(scanInterval: 60, evaluateInterval: 3600, watchdog: 30)
        _ = state.started(at: 0)
        // The first ping is due at once; then every 15 s (half of WatchdogSec).
        #expect(state.afterFiles(at: 0, processed: 0, waiting: 0) == [.pingWatchdog])
        #expect(state.pollTimeout(at: 1, settleDeadline: nil) == 14)
        #expect(state.pollTimeout(at: 1, settleDeadline: 0.5) == 0.51)
        #expect(state.afterFiles(at: 10, processed: 0, waiting: 0) == [])
        #expect(state.afterFiles(at: 15, processed: 0, waiting: 0) == [.pingWatchdog])
        #expect(state.afterFiles(at: 60, processed: 0, waiting: 0) == [.scan, .pingWatchdog])
        #expect(state.afterFiles(at: 3600, processed: 0, waiting: 0) == [.scan, .evaluateOnClock, .pingWatchdog])
        #expect(state.pollTimeout(at: 3600, settleDeadline: nil) == 15)
    }

    @Test func aCheckpointOnlyWhenFilesWereProcessedAndNoneWaitAtMostOnceASecond() {
        var state = DaemonState(scanInterval: 60, evaluateInterval: 3600, watchdog: nil)
        _ = state.started(at: 0)
        #expect(state.afterFiles(at: 1, processed: 0, waiting: 0) == [])
        #expect(state.afterFiles(at: 1, processed: 3, waiting: 2) == [])
        #expect(state.afterFiles(at: 1, processed: 1, waiting: 0) == [.checkpoint])
        #expect(state.afterFiles(at: 1.5, processed: 1, waiting: 0) == [])
        #expect(state.afterFiles(at: 2.5, processed: 1, waiting: 0) == [.checkpoint])
    }

    /// Files that never become ready (rewritten through a kept descriptor) or wait for the
    /// journal's pace keep `waiting` above zero; the write-ahead log is still checkpointed 30 s
    /// after the first commit it holds (review: it grew with every partner's commits until a
    /// restart), and not again until something new is committed.
    @Test func aCheckpointComesWithinHalfAMinuteEvenWhileFilesWait() {
        var state = DaemonState(scanInterval: 60, evaluateInterval: 3600, watchdog: nil)
        _ = state.started(at: 0)
        #expect(state.afterFiles(at: 1, processed: 1, waiting: 1) == [])
        #expect(state.afterFiles(at: 20, processed: 2, waiting: 1) == [])
        #expect(state.afterFiles(at: 31, processed: 0, waiting: 1) == [.checkpoint])
        #expect(state.afterFiles(at: 50, processed: 0, waiting: 1) == [])
        #expect(state.afterFiles(at: 55, processed: 0, waiting: 0) == [])
    }

    /// A long backlog pings between files, so the watchdog is fed by progress, not by a timer.
    @Test func aBacklogPingsBetweenFilesAndStoppingIsSaidOnce() {
        var state = DaemonState(scanInterval: 60, evaluateInterval: 3600, watchdog: 30)
        _ = state.started(at: 0)
        #expect(state.betweenFiles(at: 0) == [.pingWatchdog])
        #expect(state.betweenFiles(at: 10) == [])
        #expect(state.betweenFiles(at: 16) == [.pingWatchdog])
        #expect(state.stopRequested() == [.notifyStopping])
        #expect(state.stopRequested() == [])
        #expect(state.woke() == [])
        #expect(state.afterFiles(at: 100, processed: 1, waiting: 0) == [])
    }
}
