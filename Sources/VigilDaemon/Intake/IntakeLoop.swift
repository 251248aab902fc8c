import CSystemd
import Foundation
import Logging
import VigilCore
import VigilService
import VigilStore
import VigilSystemd

/// vigild's intake loop: one thread that watches the drop tree, claims and ingests files, performs
/// the outbox, reloads on SIGHUP, evaluates overdue rules on a timer and pings the watchdog.
///
/// Everything runs on this thread, so a stalled loop stops the watchdog pings and systemd kills it.
public final class IntakeLoop: @unchecked Sendable {
    /// Tunables.
    public struct Settings: Sendable {
        /// Seconds a file written in place must be unchanged before it is read.
        public var settle: Double = 1
        /// Seconds between full scans of the drop tree (inotify events are hints).
        public var scanInterval: Double = 60
        /// Seconds between evaluations against the clock (overdue feeds).
        public var evaluateInterval: Double = 3600
        /// Test hook: stop making progress after this many seconds (to prove the watchdog works).
        public var stallAfter: Double?
        /// Most entries refused in place remembered per partner; past that, further folders are
        /// left unanswered (`RefusedEntries`).
        public var refusedPerPartner = 10_000
        /// Seams for tests (a fault injected before a file is ingested).
        public var policy = IntakePolicy()
        /// Journal entries per window, below journald's rate limit (`JournalPace`).
        public var journalPace = JournalPace()
        /// How much time a start asks for to read a large store (`StartTimeout`).
        public var startTimeout = StartTimeout()
        /// While the pace holds entries back, a partner with this many waiting has its next files
        /// wait in its folder: a flood delays other partners' entries by about one window, not by
        /// the whole flood, and cannot grow the outbox without bound.
        public var journalBacklogPerPartner = 10_000
        /// Creates default settings.
        public init() {}
    }

    let configPath: String
    let logger: Logger
    let journal: Journal?
    let notifier: Notifier
    let settings: Settings
    let now: @Sendable () -> Date
    var runtime: DaemonRuntime
    var inotify: Inotify
    var pending: PendingFiles
    /// Entries refused where they are, answered once.
    var refused = RefusedEntries()
    /// Whether the last scan found more files than `pending` holds (scan again once it drains).
    var overflowed = false
    let wakeFD: Int32
    let hangupFD: Int32
    private let lock = NSLock()
    private var stopRequested = false
    private var finished = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    var lastFile = "none yet"
    /// The loop's decisions (timers, phase); its actions are performed here.
    var state: DaemonState
    private var startupFailure: StartFailure?

    /// Why the intake could not start, if it could not.
    public var failure: StartFailure? {
        lock.lock()
        defer { lock.unlock() }
        return startupFailure
    }
    var claimCounter = 0

    /// Loads the configuration and opens the store; throws with every configuration error.
    public init(
        configPath: String, logger: Logger, journal: Journal?, notifier: Notifier = Notifier(), settings: Settings = Settings(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        self.configPath = configPath
        self.logger = logger
        self.journal = journal
        self.notifier = notifier
        self.settings = settings
        self.now = now
        runtime = try DaemonRuntime(
            configPath: configPath, logger: logger, journal: journal, policy: settings.policy, journalPace: settings.journalPace,
            willMigrate: { pending in
                // An upgrade's migrations may copy whole tables (seconds per million observations):
                // systemd is asked to wait beyond TimeoutStartSec= rather than kill the start
                // midway, which would roll the migration back and start it again, forever.
                logger.notice("migrating the store", metadata: ["migrations": "\(pending.joined(separator: ", "))"])
                notifier.notify(
                    "EXTEND_TIMEOUT_USEC=\(IntakeLoop.migrationTimeoutMicroseconds)\nSTATUS=migrating the store (\(pending.count) migrations)"
                )
            }, now: now)
        inotify = try Inotify()
        pending = PendingFiles(settle: settings.settle)
        refused = RefusedEntries(maxPerPartner: settings.refusedPerPartner)
        state = DaemonState(
            scanInterval: settings.scanInterval, evaluateInterval: settings.evaluateInterval,
            watchdog: notifier.watchdogInterval().map { Double($0) / 1_000_000 })
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        hangupFD = vigil_install_hangup_pipe()
        guard wakeFD >= 0, hangupFD >= 0 else { throw DurableFile.posixError("eventfd/signalfd") }
        // A long file pings the watchdog as it is read, as a long purge or backlog does.
        runtime.readProgress = { [unowned self] in perform(state.betweenFiles(at: clock())) }
    }

    deinit {
        close(wakeFD)
    }

    /// How long systemd is asked to wait for the store's migrations: 30 minutes.
    static let migrationTimeoutMicroseconds = 1_800_000_000

    /// Installs the SIGHUP handler (a self-pipe the loop polls). Call first thing in main, before
    /// READY=1, so a reload request is never lost nor fatal.
    public static func installHangupHandler() { _ = vigil_install_hangup_pipe() }

    /// Sets RLIMIT_CORE to 0: no crash or watchdog abort writes the process's memory (which
    /// may hold rows of a record-level extract) to a core file.
    public static func disableCoreDumps() { _ = vigil_disable_core_dumps() }

    /// Starts the loop on its own thread.
    public func start() {
        let thread = Thread { [self] in
            self.run()
            self.lock.lock()
            self.finished = true
            let waiting = self.waiters
            self.waiters = []
            self.lock.unlock()
            waiting.forEach { $0.resume() }
        }
        thread.name = "vigild-intake"
        thread.start()
    }

    /// Asks the loop to finish its current file and stop.
    public func requestStop() {
        lock.lock()
        stopRequested = true
        lock.unlock()
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Whether the loop has stopped (for callers that cannot await).
    public var hasStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    /// Waits until the loop has stopped.
    public func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if finished {
                lock.unlock()
                continuation.resume()
            } else {
                waiters.append(continuation)
                lock.unlock()
            }
        }
    }

    private var readyFlag = false

    /// Whether the first scan is done and READY=1 was sent.
    public var isReady: Bool {
        lock.lock()
        defer { lock.unlock() }
        return readyFlag
    }

    var shouldStop: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopRequested
    }

    private func run() {
        let started = now().timeIntervalSince1970
        do {
            // The store's copies are read now (seconds for a large store): say so.
            notifier.notify("STATUS=starting: reading the store")
            try runtime.prepare(startTimeout: settings.startTimeout, notify: { notifier.notify($0) })
            try watchAll()
        } catch {
            logger.critical("vigild cannot start its intake: \(error)")
            notifier.notify("ERRNO=5")
            lock.lock()
            startupFailure = StartFailure(error)
            lock.unlock()
            return
        }
        // READY before the files a crash left claimed: however those end (each has a bounded
        // number of attempts), the service is up and answering.
        perform(state.started(at: clock()))
        while !shouldStop {
            if let stall = settings.stallAfter, clock() - started > stall {
                logger.warning("test hook: the intake loop stalls now")
                while true { sleep(3600) }
            }
            let t = clock()
            // Journal entries held back by the pace are due when its window ends (a delay, as
            // the settling files' next deadline is).
            let paced = runtime.effects.journalDue(after: t)
            updatePaused()
            let deadline = [pending.nextDeadline(now: t), paced.map { max(0, $0 - t) }].compactMap { $0 }.min()
            waitForEvents(timeout: state.pollTimeout(at: t, settleDeadline: deadline))
            if shouldStop { break }
            if let paced, clock() >= paced { runtime.sendPacedEffects() }
            perform(state.woke())
        }
        perform(state.stopRequested())
        logger.info("vigild stopped")
    }

    /// The loop's clock, in seconds.
    func clock() -> Double { now().timeIntervalSince1970 }

    /// Performs the state's actions, in order.
    func perform(_ actions: [DaemonState.Action]) {
        for action in actions {
            switch action {
            case .notifyReady:
                notifier.ready(status: statusLine())
                lock.lock()
                readyFlag = true
                lock.unlock()
                logger.info("vigild ready", metadata: ["partners": "\(runtime.partners.count)", "config": "\(configPath)"])
            case .resumeClaims:
                do {
                    try runtime.resumeProcessing()
                } catch {
                    logger.error("resuming claimed files failed; they are tried again at the next start: \(error)")
                }
            case .scan: scan()
            case .processReady:
                let processed = processReady()
                // Files a flood left unnoted are looked for as soon as those noted are done.
                if overflowed && pending.count == 0 { scan() }
                perform(state.afterFiles(at: clock(), processed: processed, waiting: pending.count))
            case .checkpoint:
                do {
                    try runtime.store.checkpoint()
                } catch {
                    logger.warning("WAL checkpoint failed: \(error)")
                }
            case .evaluateOnClock:
                // A long retention purge pings the watchdog as it goes, as files do.
                runtime.evaluateOnClock(progress: { [self] in perform(state.betweenFiles(at: clock())) })
                notifier.status(statusLine())
            case .pingWatchdog: notifier.watchdog()
            case .notifyStopping: notifier.stopping()
            }
        }
    }

    private func waitForEvents(timeout: Double) {
        var fds = [
            pollfd(fd: inotify.fd, events: Int16(POLLIN), revents: 0), pollfd(fd: hangupFD, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0),
        ]
        let ready = poll(&fds, nfds_t(fds.count), Int32(min(timeout, 3600) * 1000))
        guard ready > 0 else { return }
        if fds[2].revents != 0 {
            var value: UInt64 = 0
            _ = read(wakeFD, &value, 8)
        }
        if fds[1].revents != 0 {
            var info = [UInt8](repeating: 0, count: 128)
            while info.withUnsafeMutableBytes({ read(hangupFD, $0.baseAddress, 128) }) > 0 {}
            reload()
        }
        if fds[0].revents != 0 { handle(inotify.read()) }
    }
}
