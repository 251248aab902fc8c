import Dispatch

#if canImport(Glibc)
    import Glibc
#endif

/// Reads the data rows of a record-level extract on two cores: the bytes after the header are cut
/// into segments at record boundaries (`CSVBoundary`), each read either by a lane on the caller's
/// thread or by a lane on a background queue (the background lane's whenever it is not behind,
/// `remoteBacklog`), so which lane reads a segment depends on timing and never on the result;
/// at the end the second lane's aggregator is merged into the first and rows, lines and errors
/// are put back in file order. Where the
/// outputs allow it (`canPartitionIds`), the lanes divide the distinct ids between them by their
/// hash's top bit and send each other the ids they do not keep, in batches, so that each id is
/// held once and the merge adds disjoint sets' counts instead of uniting them.
///
/// The result is the one a single `CSVReader` and `RecordAggregator` give for the same bytes
/// (`RecordLanesTests` checks it on quoted newlines, CRLF and cuts inside quoted fields), with one
/// exception: an extract past its entry limit (`FeedParser.maxRecordEntries`) is rejected with the
/// same message, but each lane learns what the other holds at every piece, so the row it names
/// may differ by about a piece's rows.
final class RecordLanes: @unchecked Sendable {
    /// State the two lanes share, under a lock.
    private final class Shared: @unchecked Sendable {
        struct State {
            /// What each lane holds, as of its last piece or batch (for the other lane's limit).
            var localHeld = 0
            var remoteHeld = 0
            /// The first segment a syntax error stopped (`Int.max` when none).
            var firstFailure = Int.max
            /// Id batches from the background lane to the caller's, in the order they were sent.
            var inbox: [RecordAggregator.IdBatch] = []
            /// Pieces sent to the background lane and not yet read.
            var queued = 0
            /// Ids the caller's lane sent the background lane that it has not yet counted.
            var inTransit = 0
        }

        private let lock = DispatchSemaphore(value: 1)
        private var state = State()

        func withLock<R>(_ body: (inout State) -> R) -> R {
            lock.wait()
            defer { lock.signal() }
            return body(&state)
        }

        /// Takes every batch the background lane queued, oldest first.
        func drain() -> [RecordAggregator.IdBatch] {
            withLock { state in
                defer { state.inbox = [] }
                return state.inbox
            }
        }
    }

    private var local: RecordLane
    /// Touched only on `queue` (and after `finish` has drained it).
    private var remote: RecordLane
    private let queue = DispatchQueue(label: "vigil.records")
    /// Pieces queued for the background lane at most: reading waits rather than queueing a file.
    private let inFlight = DispatchSemaphore(value: 4)
    private let shared = Shared()
    /// The aggregator before any row.
    private let blank: RecordAggregator
    /// The line the first segment starts on (the one after the header).
    private let firstLine: Int
    private let file: String
    private let minSegment: Int
    /// Whether the bytes so far end inside a quoted field.
    private var quoted = false
    private var segment = 0
    private var onRemote = false
    private var segmentBytes = 0
    /// Microseconds the background lane waits before each id batch it receives (a fault tests
    /// inject: `FeedParser.backgroundLaneDelayMicroseconds`).
    private let receiveDelay: UInt32

    /// Lanes for the rows after a header that ended on line `firstLine - 1`; a segment is cut at
    /// the first record boundary after `minSegment` bytes.
    init(aggregator: RecordAggregator, firstLine: Int, minSegment: Int, receiveDelay: UInt32 = 0) {
        self.receiveDelay = receiveDelay
        blank = aggregator
        local = RecordLane(aggregator: aggregator)
        remote = RecordLane(aggregator: aggregator)
        self.firstLine = firstLine
        self.file = aggregator.file
        self.minSegment = max(1, minSegment)
        if aggregator.canPartitionIds {
            local.aggregator.idPartition = 0
            remote.aggregator.idPartition = 1
        }
        local.begin(0, heldLimit: aggregator.maxHeld)
    }

    /// Ids the caller's lane routed to the other lane go to it once `minimum` wait; ids the
    /// other lane routed here are inserted. Within two batches of the entry limit (counting the
    /// ids still on their way) every routed id goes at once and the caller's lane waits until
    /// the other lane has counted it, so the limit is judged on what both lanes hold however
    /// late the other lane's thread runs (a starved background lane let an extract run 7,000
    /// rows past its limit). Far from the limit nothing waits.
    private func exchangeIds(minimum: Int) {
        let (remoteBefore, inTransit) = shared.withLock { ($0.remoteHeld, $0.inTransit) }
        let nearLimit =
            local.aggregator.held + remoteBefore + inTransit + local.aggregator.outbox.cells.count
            + 2 * RecordLanes.idBatch >= local.aggregator.maxHeld
        if let batch = local.aggregator.takeBatch(minimum: nearLimit ? 1 : minimum) {
            let count = batch.cells.count
            shared.withLock { $0.inTransit += count }
            queue.async {
                if self.receiveDelay > 0 { usleep(self.receiveDelay) }
                self.remote.aggregator.receive(batch)
                self.shared.withLock { $0.inTransit -= count }
                self.shareRemoteHeld()
            }
            if nearLimit { queue.sync {} }
        }
        for batch in shared.drain() { local.aggregator.receive(batch) }
        let held = local.aggregator.held
        let remoteHeld = shared.withLock { state in
            state.localHeld = held
            return state.remoteHeld
        }
        local.aggregator.heldLimit = local.aggregator.maxHeld - remoteHeld
    }

    /// A new segment goes to the background lane while it has fewer pieces than this waiting:
    /// the caller's lane also reads the file and cuts it, so it takes a segment only when the
    /// other lane is behind (alternating segments left the caller's core busier, by about a fifth
    /// of the work, and the other idle).
    static let remoteBacklog = 2

    /// Ids waiting in a batch before it is sent (about 50 KB).
    private static let idBatch = 4096

    /// Reads the next bytes of the extract. The background lane's pieces are slices of the
    /// caller's chunk: they share its storage (a reference, not a copy of a megabyte).
    func consume(_ chunk: ArraySlice<UInt8>) {
        guard !chunk.isEmpty, shared.withLock({ $0.firstFailure }) == .max else { return }
        let (quotedAtEnd, cut) = chunk.withUnsafeBytes { bytes -> (Bool, Int?) in
            let quotedAtEnd = quoted != (CSVBoundary.quotes(in: bytes) & 1 == 1)
            guard segmentBytes + bytes.count >= minSegment else { return (quotedAtEnd, nil) }
            return (quotedAtEnd, CSVBoundary.lastCut(in: bytes, quotedAtEnd: quotedAtEnd))
        }
        defer { quoted = quotedAtEnd }
        guard let cut else {
            send(chunk)
            return
        }
        let split = chunk.startIndex + cut
        send(chunk[..<split])
        endSegment()
        segment += 1
        onRemote = shared.withLock { $0.queued } < RecordLanes.remoteBacklog
        segmentBytes = 0
        beginSegment()
        send(chunk[split...])
    }

    private func send(_ piece: ArraySlice<UInt8>) {
        guard !piece.isEmpty else { return }
        segmentBytes += piece.count
        if !onRemote {
            piece.withUnsafeBytes { local.consume($0) }
            if local.failed { note(local) }
            exchangeIds(minimum: RecordLanes.idBatch)
            return
        }
        let index = segment
        inFlight.wait()
        shared.withLock { $0.queued += 1 }
        queue.async {
            defer { self.shared.withLock { $0.queued -= 1 } }
            // A piece after a segment a syntax error stopped is never read.
            if self.shared.withLock({ $0.firstFailure }) > index {
                piece.withUnsafeBytes { self.remote.consume($0) }
                if self.remote.failed { self.note(self.remote) }
                if let batch = self.remote.aggregator.takeBatch(minimum: RecordLanes.idBatch) {
                    self.shared.withLock { $0.inbox.append(batch) }
                }
                self.shareRemoteHeld()
            }
            self.inFlight.signal()
        }
        exchangeIds(minimum: RecordLanes.idBatch)
    }

    /// Publishes what the background lane holds and narrows its limit by what the caller's lane
    /// holds: each lane's limit follows the other's at every piece, not only at a segment's
    /// start, because the ids each sends the other grow the other's sets while it may read no
    /// rows at all (a file whose only cut is after the header is one segment). Runs on `queue`.
    private func shareRemoteHeld() {
        let held = remote.aggregator.held
        let localHeld = shared.withLock { state in
            state.remoteHeld = held
            return state.localHeld
        }
        remote.aggregator.heldLimit = remote.aggregator.maxHeld - localHeld
    }

    private func endSegment() {
        if !onRemote {
            local.end()
            note(local)
            return
        }
        queue.async {
            self.remote.end()
            let held = self.remote.aggregator.held
            self.shared.withLock { $0.remoteHeld = held }
            self.note(self.remote)
        }
    }

    /// Records a lane's syntax error, so that neither lane reads past it.
    private func note(_ lane: RecordLane) {
        guard let failed = lane.segments.last(where: { $0.syntaxError != nil }) else { return }
        shared.withLock { $0.firstFailure = min($0.firstFailure, failed.index) }
    }

    private func beginSegment() {
        let index = segment
        let limit = local.aggregator.maxHeld
        if !onRemote {
            local.begin(index, heldLimit: limit - shared.withLock { $0.remoteHeld })
            return
        }
        let localHeld = local.aggregator.held
        queue.async { self.remote.begin(index, heldLimit: limit - localHeld) }
    }

    /// Ends the last segment, waits for the background lane and merges the lanes: the aggregator
    /// of the whole extract (rows and errors in file order, lines counted from the file's start)
    /// and the syntax error that stopped reading, if any.
    func finish() -> (aggregator: RecordAggregator, syntaxError: VigilError?) {
        endSegment()
        // The last ids each lane routed to the other: the caller's go to the background lane
        // before it is drained; then that lane is idle, and what it routed comes here.
        exchangeIds(minimum: 1)
        queue.sync {}
        for batch in shared.drain() { local.aggregator.receive(batch) }
        if let batch = remote.aggregator.takeBatch(minimum: 1) { local.aggregator.receive(batch) }
        let segments = (local.segments.map { (false, $0) } + remote.segments.map { (true, $0) }).sorted {
            $0.1.index < $1.1.index
        }
        let limitMessage = RecordAggregator.overLimitMessage(local.aggregator.maxHeld)
        var line = firstLine
        var rows = 0
        var count = 0
        var errors: [VigilError] = []
        var syntaxError: VigilError?
        var limitSeen = false
        for (isRemote, segment) in segments {
            let lane = isRemote ? remote.aggregator : local.aggregator
            rows += segment.rows.count
            count += segment.errorCount.count
            for var error in lane.errors[segment.errors] {
                // Both lanes may notice the entry limit: it is one error.
                if error.message == limitMessage {
                    if limitSeen {
                        count -= 1
                        continue
                    }
                    limitSeen = true
                }
                if let relative = error.location?.line { error.location?.line = relative + line - 1 }
                errors.append(error)
            }
            if let error = segment.syntaxError {
                syntaxError = VigilError(
                    code: .syntax, message: error.message,
                    location: SourceLocation(file: file, line: error.line + line - 1, column: error.column))
                break
            }
            line += segment.lines
        }
        // Each lane listed its first errors; together they hold the first of the file.
        let ordered = errors.enumerated().sorted { a, b in
            let la = (a.element.location?.line ?? 0, a.element.location?.column ?? 0)
            let lb = (b.element.location?.line ?? 0, b.element.location?.column ?? 0)
            return la != lb ? la < lb : a.offset < b.offset
        }
        // The second lane's tables are moved out and emptied as they are merged; an extract with
        // any error is rejected whole, so its tables are not merged at all (one past its entry
        // limit would otherwise grow the union tables past the bound the limit keeps).
        var other = remote.aggregator
        remote = RecordLane(aggregator: blank)
        if errors.isEmpty && syntaxError == nil { local.aggregator.absorb(&other) }
        local.aggregator.rows = rows
        local.aggregator.errorCount = count
        local.aggregator.errors = ordered.prefix(FeedParser.errorLimit).map(\.element)
        // The lanes give up their tables, so the caller holds the only reference to them.
        let merged = local.aggregator
        local = RecordLane(aggregator: blank)
        return (merged, syntaxError)
    }
}
