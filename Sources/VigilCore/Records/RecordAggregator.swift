/// Aggregates a record-level extract row by row into indicator values, in bounded memory: per-cell
/// counters and, for distinct counts, sets of 64-bit id hashes (ids themselves are never kept).
///
/// A cell is one output's value for one period (and breakdown value). The hot path touches flat
/// arrays only: each output's period is found through a direct-mapped cache by day, distinct ids
/// go into open-addressed `IdSet`s, and filters on categories are pre-computed per interned value.
struct RecordAggregator {
    /// A cell: output, period key, breakdown (-1 for the total) and interned breakdown value.
    struct Key: Hashable {
        var output: Int32
        var period: Int32
        var dimension: Int16
        var value: Int32

        /// Two combines instead of four: this is hashed for every row and breakdown.
        func hash(into hasher: inout Hasher) {
            hasher.combine(UInt64(UInt32(bitPattern: output)) << 32 | UInt64(UInt32(bitPattern: period)))
            hasher.combine(UInt64(UInt16(bitPattern: dimension)) << 32 | UInt64(UInt32(bitPattern: value)))
        }
    }

    /// An output's measure, flattened for the row loop.
    enum MeasureKind { case count, sum, distinct, distribution, active }

    /// A day value meaning "no date".
    static let noDay = Int.min
    /// Id inserts batched behind their prefetches (enough to cover a memory access).
    static let insertBatch = 32
    /// Entries in each output's day → cell cache (a power of two; three years of days fit).
    static let cacheSize = 4096
    /// An empty entry of the day → cell cache (no cell is -1).
    static let noCell = UInt64.max
    /// Slots per column in the cache of short category values (a power of two).
    static let shortSlots = 64

    let feed: RecordFeed
    let catalogue: Catalogue
    let file: String
    let sha256: String
    let periodicities: [Periodicity]
    let needed: [Bool]
    let outputCount: Int
    /// Every output's filters as flat steps, output after output: output `o`'s are
    /// `filterSteps[filterBounds[o]..<filterBounds[o + 1]]`.
    let filterSteps: [FilterStep]
    let filterBounds: [Int]
    let measureKinds: [MeasureKind]
    let measureColumns: [Int]
    let periodColumns: [Int]
    /// The end column of `active` outputs (-1 when none).
    let endColumns: [Int]
    let dimensionColumns: [[Int]]
    /// Whether each output has breakdowns (read before its column list, which is an array to retain).
    let hasDimensions: [Bool]
    let kinds: [RecordColumn.Kind]
    let required: [Bool]
    /// Columns whose values are categories (used by filters or dimensions).
    let categorical: [Bool]
    /// Columns whose values are counted as distinct ids (id columns, and text columns an output counts).
    let hashed: [Bool]
    let trueBytes: [[[UInt8]]]
    let falseBytes: [[[UInt8]]]
    /// Per `accepts` step (its `slot`): the values it lets through, as bytes.
    let filterBytes: [[[UInt8]]]
    /// Per `accepts` step (its `slot`): whether each interned value of the filtered column passes.
    var filterAccepts: [[Bool]]
    var cells: [Key] = []
    var cellIndex: [Key: Int32] = [:]
    var values: [Double] = []
    var idSets: [IdSet] = []
    /// Id inserts waiting for their cache lines: cells and hashes (`pendingIds` of them).
    var pendingCells = [Int32](repeating: 0, count: RecordAggregator.insertBatch)
    var pendingHashes = [UInt64](repeating: 0, count: RecordAggregator.insertBatch)
    var pendingIds = 0
    /// A direct-mapped cache from a day to its period's cell, per output: the day's low 32 bits
    /// above the cell's (`noCell` when empty). Laid out by day, then output, so that the outputs
    /// of a row (which mostly share its day) read one cache line, not one line each.
    var dayCells: [UInt64]
    /// Per `active` output: its intervals, flat (8 bytes plus 4 per breakdown each).
    var active: [Int: ActiveIntervals] = [:]
    var periods: [Int32: Period] = [:]
    var dimValues: [[String]]
    /// Per column: interned values by keyed hash (indices into `internedBytes`), so a column of
    /// a million distinct values interns in linear time.
    var interned: [[UInt64: [Int32]]]
    var internedBytes: [[[UInt8]]]
    /// Per column, a direct-mapped cache of short values (up to 8 bytes, packed into a word) and
    /// their interned indices, so the few values of a category column (sex, in care, a locality
    /// code) are found without hashing on every row. Length -1 marks an empty slot.
    var shortKeys: [UInt64]
    var shortLengths: [Int8]
    var shortIndices: [Int32]
    /// The last day a date may fall on (the evaluation date plus grace), or nil.
    let latestDay: Int?
    /// Most entries held in memory (distinct ids in the id sets plus `active` intervals): the
    /// bound on an extract's memory, whatever its shape.
    let maxHeld: Int
    /// The entries this aggregator may hold before it stops: `maxHeld`, less what other lanes of
    /// the same extract hold when it reads part of it.
    var heldLimit: Int
    /// Entries held so far.
    var held = 0
    /// Whether the extract went past `maxHeld` (the rest of it is not read).
    var overLimit = false
    var errors: [VigilError] = []
    /// Every error found, including those past the listing limit.
    var errorCount = 0
    var rows = 0
    var maxDay = Int.min
    /// Per column, `RecordAggregator.monthWords` words of bits: the months (from January 1900)
    /// in which a date or date-time cell falls: where the extract's coverage begins
    /// (`RecordAggregator+Coverage`).
    var months: [UInt64] = []
    /// The date cache of `cachedDay` (8,192 slots: 16 years of days).
    var dayHeads = [UInt64](repeating: 0, count: 8192)
    var dayTails = [UInt16](repeating: 0, count: 8192)
    var dayValues = [Int32](repeating: 0, count: 8192)
    /// The current row's decoded values (shared by copies until `consume` makes its own).
    var row: RowValues
    /// When reading one of two lanes: the top bit of the id hashes this lane keeps (0 or 1); the
    /// others go to `outbox` for the other lane (`RecordAggregator+Partition`). -1 keeps them all.
    var idPartition = -1
    /// Ids bound for the other lane.
    var outbox = IdBatch()
    /// Per cell: whether the other lane has been sent its key.
    var announced: [Bool] = []
    /// The other lane's cell numbers, mapped to this lane's (-1 for none yet).
    var partnerCells: [Int32] = []
    /// The other lane's disjoint id sets, moved here by the merge (`absorb`), per cell.
    var partnerSets: [Int: IdSet] = [:]

    init(
        feed: RecordFeed, catalogue: Catalogue, file: String, sha256: String, latestDay: Int? = nil,
        maxHeld: Int = FeedParser.maxRecordEntries
    ) {
        self.latestDay = latestDay
        months = Array(repeating: 0, count: feed.columns.count * RecordAggregator.monthWords)
        self.maxHeld = maxHeld
        heldLimit = maxHeld
        self.feed = feed
        self.catalogue = catalogue
        self.file = file
        self.sha256 = sha256
        periodicities = feed.outputs.map { catalogue.indicator($0.indicator)?.periodicity ?? .month }
        // Every typed column is validated (a bad value is an error even where no output reads it).
        var needed = feed.columns.map { $0.required || $0.kind != .string }
        var measureKinds: [MeasureKind] = []
        var measureColumns: [Int] = []
        for output in feed.outputs {
            if let p = output.periodColumn { needed[p] = true }
            for d in output.dimensions { needed[d.column] = true }
            for filter in output.filters {
                switch filter {
                case .oneOf(let c, _), .notBlank(let c): needed[c] = true
                case .lastedYears(let a, let b, _):
                    needed[a] = true
                    needed[b] = true
                }
            }
            switch output.measure {
            case .count:
                measureKinds.append(.count)
                measureColumns.append(-1)
            case .sum(let c):
                measureKinds.append(.sum)
                measureColumns.append(c)
            case .distinct(let c):
                measureKinds.append(.distinct)
                measureColumns.append(c)
            case .distribution(let c):
                measureKinds.append(.distribution)
                measureColumns.append(c)
            case .active(let s, let e, _):
                measureKinds.append(.active)
                measureColumns.append(s)
                if let e { needed[e] = true }
            }
            if let c = measureColumns.last, c >= 0 { needed[c] = true }
        }
        self.needed = needed
        self.measureKinds = measureKinds
        self.measureColumns = measureColumns
        periodColumns = feed.outputs.map { $0.periodColumn ?? -1 }
        endColumns = feed.outputs.map { output in
            if case .active(_, let end?, _) = output.measure { return end }
            return -1
        }
        dimensionColumns = feed.outputs.map { $0.dimensions.map(\.column) }
        hasDimensions = feed.outputs.map { !$0.dimensions.isEmpty }
        outputCount = feed.outputs.count
        kinds = feed.columns.map(\.kind)
        (filterSteps, filterBounds, filterBytes) = FilterStep.compile(feed)
        required = feed.columns.map(\.required)
        var categorical = Array(repeating: false, count: feed.columns.count)
        for output in feed.outputs {
            for d in output.dimensions { categorical[d.column] = true }
            for case .oneOf(let c, _) in output.filters { categorical[c] = true }
        }
        for (i, column) in feed.columns.enumerated() where column.kind == .enum { categorical[i] = true }
        self.categorical = categorical
        var hashed = feed.columns.map { $0.kind == .id }
        for (o, kind) in measureKinds.enumerated() where kind == .distinct || kind == .distribution {
            hashed[measureColumns[o]] = true
        }
        self.hashed = hashed
        trueBytes = feed.columns.map { $0.trueValues.map { Array($0.utf8) } }
        falseBytes = feed.columns.map { $0.falseValues.map { Array($0.utf8) } }
        filterAccepts = Array(repeating: [], count: filterBytes.count)
        dayCells = Array(repeating: RecordAggregator.noCell, count: feed.outputs.count * RecordAggregator.cacheSize)
        dimValues = Array(repeating: [], count: feed.columns.count)
        interned = Array(repeating: [:], count: feed.columns.count)
        internedBytes = Array(repeating: [], count: feed.columns.count)
        shortKeys = Array(repeating: 0, count: feed.columns.count * RecordAggregator.shortSlots)
        shortLengths = Array(repeating: -1, count: feed.columns.count * RecordAggregator.shortSlots)
        shortIndices = Array(repeating: 0, count: feed.columns.count * RecordAggregator.shortSlots)
        row = RowValues(count: feed.columns.count)
    }

    /// Gives this aggregator its own row buffers if a copy of it shares them: called before each
    /// run of `consume` (a chunk's rows), not once a row, where the check was a runtime call.
    mutating func ownRow() {
        if !isKnownUniquelyReferenced(&row) { row = row.copy() }
    }

    /// Consumes one data row (after `ownRow()`, with no copy of the aggregator made since).
    mutating func consume(_ record: borrowing CSVRecord) {
        assert(isKnownUniquelyReferenced(&row), "ownRow() before consume")
        if overLimit { return }
        rows += 1
        // Batched ids count once inserted: near the limit they are inserted now, so the limit
        // is checked on the exact count. Ids waiting for the other lane count too (each may be
        // new to it; the batch is sent within a segment, after which that lane counts them).
        let routed = outbox.cells.count
        if held + pendingIds + routed > heldLimit { insertPending() }
        if held + routed > heldLimit {
            overLimit = true
            errorCount += 1
            errors.append(
                VigilError(
                    code: .syntax,
                    message: RecordAggregator.overLimitMessage(maxHeld),
                    location: SourceLocation(file: file, line: record.line, column: 1)))
            return
        }
        guard record.count == feed.columns.count else {
            errorCount += 1
            if errors.count < FeedParser.errorLimit {
                errors.append(
                    VigilError(
                        code: .syntax,
                        message:
                            "row has \(record.count) field\(record.count == 1 ? "" : "s"); expected \(feed.columns.count) as in the header",
                        location: SourceLocation(file: file, line: record.line, column: 1)))
            }
            return
        }
        var problems: [(column: Int, message: String)] = []
        record.withFields { bytes, begins, ends in
            for i in 0..<ends.count where needed[i] {
                if let problem = decode(i, UnsafeBufferPointer(rebasing: bytes[begins[i]..<ends[i]])) {
                    problems.append((i, problem))
                }
            }
        }
        guard problems.isEmpty else {
            for problem in problems { error(problem.message, record, problem.column) }
            return
        }
        for o in 0..<outputCount where measureKinds[o] == .active && endColumns[o] >= 0 {
            let s = measureColumns[o]
            let e = endColumns[o]
            if row.day[s] != RecordAggregator.noDay, row.day[e] != RecordAggregator.noDay, row.day[e] < row.day[s] {
                error(
                    "\(feed.columns[e].name) is before \(feed.columns[s].name); a period cannot end before it starts", record, e)
                return
            }
        }
        for o in 0..<outputCount where passes(o) { accumulate(o) }
    }

    /// The error of an extract that holds more than `limit` entries.
    static func overLimitMessage(_ limit: Int) -> String {
        "the extract holds more than \(limit) distinct identifiers and open periods; split it (for example by year) and send the parts"
    }

    private mutating func error(_ message: String, _ record: borrowing CSVRecord, _ column: Int) {
        errorCount += 1
        guard errors.count < FeedParser.errorLimit else { return }
        errors.append(
            VigilError(
                code: .value, message: message,
                location: SourceLocation(file: file, line: record.line(column), column: record.column(column))))
    }
}

/// The intervals of an `active` output, stored flat: a start and end day per row (`open` for no
/// end) and its breakdown values, `dimensions` per row.
struct ActiveIntervals {
    /// The end of an interval that has not ended.
    static let open = Int32.max
    var starts: [Int32] = []
    var ends: [Int32] = []
    var dims: [Int32] = []
    let dimensions: Int

    init(dimensions: Int) { self.dimensions = dimensions }

    var count: Int { starts.count }

    mutating func append(start: Int, end: Int?, dims values: [Int32]) {
        starts.append(Int32(clamping: start))
        ends.append(end.map { Int32(clamping: $0) } ?? ActiveIntervals.open)
        dims.append(contentsOf: values)
    }
}
