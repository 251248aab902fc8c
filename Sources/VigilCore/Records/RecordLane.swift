/// One lane of a record-level extract read on several cores: it reads the segments given to it,
/// each with a fresh `CSVReader` (segments start at record boundaries), into one aggregator, and
/// logs what each segment did so that `RecordLanes` can put lines, rows and errors back in file
/// order.
struct RecordLane {
    /// What one segment did: its place in the file, and the rows and errors it added.
    struct Segment {
        /// The segment's position in the file (0 for the first after the header).
        var index: Int
        /// Lines the segment spans.
        var lines = 0
        /// The aggregator's rows, listed errors and error count before and after the segment.
        var rows: Range<Int>
        var errors: Range<Int>
        var errorCount: Range<Int>
        /// The CSV syntax error that stopped the segment (its line relative to the segment's first).
        var syntaxError: CSVReader.SyntaxError?
    }

    var aggregator: RecordAggregator
    private(set) var segments: [Segment] = []
    private var reader: CSVReader?
    /// Whether a syntax error stopped this lane (nothing after it in the file is kept).
    private(set) var failed = false

    init(aggregator: RecordAggregator) { self.aggregator = aggregator }

    /// Starts segment `index`, which may hold at most `heldLimit` entries more than the other
    /// lanes hold.
    mutating func begin(_ index: Int, heldLimit: Int) {
        aggregator.heldLimit = heldLimit
        let (rows, errors, count) = (aggregator.rows, aggregator.errors.count, aggregator.errorCount)
        segments.append(Segment(index: index, rows: rows..<rows, errors: errors..<errors, errorCount: count..<count))
        reader = CSVReader(startLine: 1, skipsBOM: false)
    }

    /// Reads the next bytes of the current segment.
    mutating func consume(_ bytes: UnsafeRawBufferPointer) { read(bytes, isFinal: false) }

    /// Ends the current segment.
    mutating func end() {
        read(UnsafeRawBufferPointer(start: nil, count: 0), isFinal: true)
        aggregator.insertPending()
        guard var segment = segments.popLast() else { return }
        segment.lines = (reader?.currentLine ?? 1) - 1
        segment.rows = segment.rows.lowerBound..<aggregator.rows
        segment.errors = segment.errors.lowerBound..<aggregator.errors.count
        segment.errorCount = segment.errorCount.lowerBound..<aggregator.errorCount
        segments.append(segment)
        reader = nil
    }

    private mutating func read(_ bytes: UnsafeRawBufferPointer, isFinal: Bool) {
        guard !failed, var active = reader else { return }
        reader = nil
        defer { reader = active }
        aggregator.ownRow()
        do {
            try active.consume(bytes, isFinal: isFinal) { record in
                if !record.isBlank { aggregator.consume(record) }
            }
        } catch let error as CSVReader.SyntaxError {
            segments[segments.count - 1].syntaxError = error
            failed = true
        } catch {
            // The reader throws syntax errors only, and the body nothing.
            segments[segments.count - 1].syntaxError = CSVReader.SyntaxError(line: 1, column: 1, message: "\(error)")
            failed = true
        }
    }
}
