/// The intake loop's decisions, as a value: events in (started, woke, between files, after
/// files, stop requested), actions out; the loop performs them. Time is a parameter, so every
/// timer is tested without sleeping (`DaemonStateTests`), as the alert state machine is.
public struct DaemonState: Sendable, Equatable {
    /// Where the service is.
    public enum Phase: Sendable, Equatable {
        /// Loading, preparing the tree, watching folders.
        case starting
        /// READY=1 sent; taking files.
        case ready
        /// Asked to stop: finishing the file in hand.
        case stopping
    }

    /// What the loop must do.
    public enum Action: Sendable, Equatable {
        /// Send READY=1 with the status line.
        case notifyReady
        /// Finish the files a crash left claimed.
        case resumeClaims
        /// Note every entry of every drop folder.
        case scan
        /// Claim and ingest the files that are ready.
        case processReady
        /// Copy the WAL into the database (the queue is empty).
        case checkpoint
        /// Evaluate every rule against today's date (overdue feeds), then update the status.
        case evaluateOnClock
        /// Send WATCHDOG=1.
        case pingWatchdog
        /// Send STOPPING=1.
        case notifyStopping
    }

    /// The phase.
    public private(set) var phase = Phase.starting
    /// Seconds between full scans.
    public let scanInterval: Double
    /// Seconds between evaluations against the clock.
    public let evaluateInterval: Double
    /// Seconds between watchdog pings (half of WatchdogSec), or nil without a watchdog.
    public let pingInterval: Double?
    /// Fewest seconds between WAL checkpoints.
    public let checkpointInterval: Double
    private var lastScan = 0.0
    private var lastEvaluate = 0.0
    private var lastPing = -Double.infinity
    private var lastCheckpoint = -Double.infinity
    /// When the first commit not yet checkpointed was made.
    private var uncheckpointedSince: Double?
    /// Seconds after which the log is checkpointed even while files wait.
    static let checkpointAtLatest = 30.0

    /// Creates the state; `watchdog` is WatchdogSec in seconds (pings go at half of it).
    public init(scanInterval: Double, evaluateInterval: Double, watchdog: Double?, checkpointInterval: Double = 1) {
        self.scanInterval = scanInterval
        self.evaluateInterval = evaluateInterval
        pingInterval = watchdog.map { $0 / 2 }
        self.checkpointInterval = checkpointInterval
    }

    /// The tree is prepared and the folders watched: ready first, then the claims a crash left,
    /// then a full scan.
    public mutating func started(at now: Double) -> [Action] {
        guard phase == .starting else { return [] }
        phase = .ready
        lastScan = now
        lastEvaluate = now
        return [.notifyReady, .resumeClaims, .scan]
    }

    /// How long the loop may sleep: until the next scan, clock evaluation, watchdog ping or
    /// settle deadline (at least 5 ms).
    public func pollTimeout(at now: Double, settleDeadline: Double?) -> Double {
        var timeout = min(scanInterval - (now - lastScan), evaluateInterval - (now - lastEvaluate))
        if let ping = pingInterval { timeout = min(timeout, ping - (now - lastPing)) }
        if let settle = settleDeadline { timeout = min(timeout, settle + 0.01) }
        return max(0.005, timeout)
    }

    /// The loop woke (an event or its timeout).
    public func woke() -> [Action] { phase == .ready ? [.processReady] : [] }

    /// Before each file: a ping when one is due, so a long backlog does not starve the watchdog.
    public mutating func betweenFiles(at now: Double) -> [Action] { pingIfDue(now) }

    /// After the ready files: a checkpoint when files were processed and none wait, or 30 s after
    /// the first commit not checkpointed (at most once a `checkpointInterval`), then whatever timer
    /// is due, then a ping if due.
    public mutating func afterFiles(at now: Double, processed: Int, waiting: Int) -> [Action] {
        guard phase == .ready else { return [] }
        var actions: [Action] = []
        if processed > 0 && uncheckpointedSince == nil { uncheckpointedSince = now }
        // When no file waits, or at the latest 30 s after the first commit not checkpointed: files
        // that never settle, or wait for the journal's pace, must not let the log grow until a restart.
        if let since = uncheckpointedSince, now - lastCheckpoint >= checkpointInterval,
            waiting == 0 || now - since >= DaemonState.checkpointAtLatest
        {
            actions.append(.checkpoint)
            lastCheckpoint = now
            uncheckpointedSince = nil
        }
        if now - lastScan >= scanInterval {
            actions.append(.scan)
            lastScan = now
        }
        if now - lastEvaluate >= evaluateInterval {
            actions.append(.evaluateOnClock)
            lastEvaluate = now
        }
        return actions + pingIfDue(now)
    }

    /// Asked to stop: the file in hand is finished; STOPPING=1 once.
    public mutating func stopRequested() -> [Action] {
        guard phase != .stopping else { return [] }
        phase = .stopping
        return [.notifyStopping]
    }

    private mutating func pingIfDue(_ now: Double) -> [Action] {
        guard let ping = pingInterval, now - lastPing >= ping else { return [] }
        lastPing = now
        return [.pingWatchdog]
    }
}
