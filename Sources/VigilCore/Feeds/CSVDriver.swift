/// Drives CSV parsing chunk by chunk: skips a BOM and leading `#` comment lines at byte level,
/// reads the header, then routes rows to the aggregate validator or a record-level aggregator.
struct CSVDriver {
    private enum Prefix { case start, lineStart, comment, csv }

    let parser: FeedParser
    let file: String
    let partner: String?
    let feedId: String?
    var rows: FeedRows
    private var prefix = Prefix.start
    private var bomSeen = 0
    private var line = 1
    private var reader: CSVReader?
    private var header: CSVHeader?
    private var records: RecordAggregator?
    /// The two-core reader of a record-level extract's rows, once its header is read.
    private var lanes: RecordLanes?
    /// Bytes not yet read while the header is looked for.
    private var pending: [UInt8] = []
    /// The record feed the file is read as, once its header matched one.
    var recordFeed: String? { records?.feed.id }
    private var headerLine = 0
    private var syntaxFailed = false
    private var sawContent = false
    private var stopped = false
    /// Lines looked at for the header after a first line that is none (`lookForHeader`).
    private var headerSearch = 0
    /// Rows of nothing but empty fields after the header (not rows, but counted to the limit).
    private var emptyRows = 0

    init(parser: FeedParser, file: String, partner: String?, feedId: String?) {
        self.parser = parser
        self.file = file
        self.partner = partner
        self.feedId = feedId
        rows = FeedRows(parser: parser, file: file, partner: partner, sha256: "")
    }

    mutating func consume(_ chunk: [UInt8], isFinal: Bool) {
        guard !syntaxFailed else { return }
        var index = 0
        // Byte-level prefix: BOM and comment lines may hold quotes and commas the CSV reader would reject.
        while prefix != .csv && index < chunk.count {
            let b = chunk[index]
            switch prefix {
            case .start:
                let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
                if bomSeen < 3 && b == bom[bomSeen] {
                    bomSeen += 1
                    index += 1
                    if bomSeen == 3 { prefix = .lineStart }
                } else {
                    prefix = .lineStart
                }
            case .lineStart:
                if b == UInt8(ascii: "#") {
                    prefix = .comment
                    index += 1
                } else {
                    prefix = .csv
                }
            case .comment:
                index += 1
                if b == 0x0A {
                    line += 1
                    prefix = .lineStart
                }
            case .csv: break
            }
        }
        if prefix == .csv && reader == nil { reader = CSVReader(startLine: line) }
        guard reader != nil else { return }
        if chunk[index...].contains(where: { $0 != 0x0A && $0 != 0x0D && $0 != 0x20 }) { sawContent = true }
        if let lanes {
            lanes.consume(chunk[index...])
            return
        }
        guard parser.parallelRecords && header == nil && records == nil && !stopped else {
            read(chunk[index...], isFinal: isFinal)
            return
        }
        // Until the header is known, read line by line: the rows of a record-level extract after
        // it are read on two cores, cut at record boundaries.
        pending += chunk[index...]
        var offset = 0
        while header == nil && records == nil && !stopped && !syntaxFailed,
            let cut = pending.withUnsafeBytes({ CSVDriver.nextRead(UnsafeRawBufferPointer(rebasing: $0[offset...])) })
        {
            read(pending[offset..<(offset + cut)], isFinal: false)
            offset += cut
        }
        // Lanes start from an aggregator that has read no row (both lanes copy it).
        if let records, records.rows == 0, !stopped && !syntaxFailed, let line = reader?.currentLine {
            let lanes = RecordLanes(
                aggregator: records, firstLine: line, minSegment: parser.recordSegmentBytes,
                receiveDelay: parser.backgroundLaneDelayMicroseconds)
            lanes.consume(pending[offset...])
            self.lanes = lanes
            pending = []
        } else if header != nil || records != nil || stopped || syntaxFailed || isFinal
            || pending.count - offset > FeedParser.sniffBytes
        {
            // An aggregate feed, or no line end within the first MiB: read on one core.
            let rest = pending[offset...]
            pending = []
            read(rest, isFinal: isFinal)
        } else {
            pending.removeFirst(offset)
        }
    }

    /// How many bytes to read next while looking for the header: a run of blank lines at once (a
    /// file of nothing but line ends must not cost a call per line), else up to the first record
    /// boundary; nil when there is none yet.
    private static func nextRead(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let blank = bytes.prefix { $0 == 0x0A || $0 == 0x0D }.count
        return blank > 0 ? blank : CSVBoundary.firstCut(in: bytes)
    }

    /// Reads bytes with the CSV reader on this thread.
    private mutating func read(_ bytes: ArraySlice<UInt8>, isFinal: Bool) {
        guard !syntaxFailed else { return }
        var active = reader!
        reader = nil
        defer { reader = active }
        records?.ownRow()
        do {
            try bytes.withUnsafeBytes { raw in
                try active.consume(raw, isFinal: isFinal) { record in self.handle(record) }
            }
        } catch let error as CSVReader.SyntaxError {
            rows.error(.syntax, error.message, SourceLocation(file: file, line: error.line, column: error.column))
            syntaxFailed = true
        } catch {
            rows.error(.syntax, "\(error)", SourceLocation(file: file))
            syntaxFailed = true
        }
    }

    private mutating func handle(_ record: borrowing CSVRecord) {
        if record.isBlank || stopped { return }
        if header == nil && records == nil {
            headerLine = record.line
            let names = (0..<record.count).map { (record.string($0) ?? "").trimmingASCIISpaces.lowercased() }
            let explicit = feedId.flatMap { id in parser.recordFeeds.first { $0.id == id } }
            if let feedId, explicit == nil {
                rows.error(
                    .header,
                    "no record-level extract is called '\(feedId)'; known: \(parser.recordFeeds.map(\.id).joined(separator: ", "))",
                    SourceLocation(file: file, line: record.line, column: 1))
                stopped = true
                return
            }
            if explicit == nil, let feed = headerless(names) {
                // Its first row is data: say so, and quote nothing from it.
                rows.error(
                    .header,
                    "the first line is not a header: the file looks like a '\(feed.id)' extract without its header row; add the first line '\(feed.header.joined(separator: ","))'",
                    SourceLocation(file: file, line: record.line, column: 1))
                stopped = true
                return
            }
            if let feed = explicit ?? parser.recordFeeds.first(where: { $0.header == names }) {
                if feed.header != names {
                    rows.error(
                        .header,
                        "the header does not match record feed '\(feed.id)'; expected '\(feed.header.joined(separator: ","))'",
                        SourceLocation(file: file, line: record.line, column: 1))
                    stopped = true
                    return
                }
                if let partner, partner != feed.partner {
                    rows.error(
                        .permission, "partner '\(partner)' may not supply the '\(feed.id)' extract; it is \(feed.partner)'s",
                        SourceLocation(file: file, line: record.line, column: 1))
                    stopped = true
                    return
                }
                records = RecordAggregator(
                    feed: feed, catalogue: parser.catalogue, file: file, sha256: "", latestDay: parser.latestDay,
                    maxHeld: parser.recordEntryLimit)
            } else {
                header = CSVHeader(record, file: file, catalogue: parser.catalogue, rows: &rows)
            }
            return
        }
        if records != nil {
            records!.consume(record)
            return
        }
        guard let h = header, h.isUsable else {
            if let header { lookForHeader(record, below: header) }
            return
        }
        // Rows of empty fields are no rows, but they count towards the limit: a file of `,,` lines
        // must stop here as any other, not be read to its end.
        if rows.count + emptyRows == FeedParser.maxAggregateRows {
            // An aggregate feed is a table of figures; its observations are held in memory, so
            // their number is capped (record-level data streams through an extract instead).
            rows.error(
                .syntax,
                "an aggregate feed may have at most \(FeedParser.maxAggregateRows) rows; send record-level data as an extract (docs/records.md)",
                SourceLocation(file: file, line: record.line, column: 1))
            stopped = true
            return
        }
        if CSVHeader.isEmptyRow(record) {
            emptyRows += 1
            return
        }
        rows.count += 1
        h.read(record, into: &rows)
    }

    /// After a first line that is no header, the next few lines are looked at: one that is the
    /// header (a title or notes above it, review helper-34) replaces the first line's errors with
    /// one saying which lines to delete. Nothing of either line is quoted.
    private mutating func lookForHeader(_ record: borrowing CSVRecord, below first: CSVHeader) {
        guard headerSearch < CSVDriver.headerSearchLines else { return }
        headerSearch += 1
        let names = Set((0..<record.count).map { record.string($0)?.trimmingASCIISpaces.lowercased() ?? "" })
        guard names.isSuperset(of: ["indicator", "period", "value"]) else { return }
        let before = rows.errors.count
        rows.errors.removeAll { $0.code == .header && $0.location?.line == first.line }
        rows.errorCount -= before - rows.errors.count
        let above = record.line - 1 == first.line ? "line \(first.line)" : "lines \(first.line)–\(record.line - 1)"
        rows.error(
            .header,
            "the header is on line \(record.line), below a title or notes: delete \(above) so that it is the first line",
            SourceLocation(file: file, line: first.line, column: 1))
        stopped = true
    }

    /// How many lines after a first line that is no header are looked at for the header.
    static let headerSearchLines = 10

    /// The record feed a first row looks like the data of, when it is no known header: as many
    /// fields as the feed has columns and none of them an aggregate header's name (the
    /// partner's own feeds first).
    private func headerless(_ names: [String]) -> RecordFeed? {
        if parser.recordFeeds.contains(where: { $0.header == names }) { return nil }
        let aggregate: Set<String> = ["indicator", "period", "value"]
        guard names.allSatisfy({ !aggregate.contains($0) }) else { return nil }
        let candidates = parser.recordFeeds.filter { $0.columns.count == names.count }
        // Another partner's extract dropped without its header is recognised too: its rows are
        // never quoted, whoever sends them.
        return candidates.first { $0.partner == partner } ?? candidates.first
    }

    /// The rows and errors once the last chunk is consumed.
    mutating func finish(sha256: String) -> FeedRows {
        rows.sha256 = sha256
        if reader == nil || (!sawContent && header == nil && records == nil) {
            if !syntaxFailed {
                rows.error(
                    .header,
                    "the file has no header; expected a first line 'indicator,period,value' followed by any dimension columns",
                    SourceLocation(file: file, line: line, column: 1))
            }
            return rows
        }
        if let lanes {
            self.lanes = nil
            let (merged, syntaxError) = lanes.finish()
            records = merged
            if let syntaxError, let location = syntaxError.location {
                rows.error(.syntax, syntaxError.message, location)
                syntaxFailed = true
            }
        }
        if var aggregator = records {
            let observations = aggregator.finish().map { observation -> Observation in
                var o = observation
                o.sources = [sha256]
                return o
            }
            rows.count = aggregator.rows
            rows.errors += aggregator.errors
            rows.errorCount += aggregator.errorCount
            if aggregator.rows == 0 && !syntaxFailed {
                rows.error(
                    .header, "the file has a header but no data rows", SourceLocation(file: file, line: headerLine + 1, column: 1)
                )
            }
            if rows.errors.isEmpty { rows.observations = observations }
            return rows
        }
        if let header, header.isUsable, rows.count == 0, rows.errors.isEmpty {
            rows.error(
                .header, "the file has a header but no data rows", SourceLocation(file: file, line: header.line + 1, column: 1))
        }
        // Aggregate observations carry the file's hash.
        rows.observations = rows.observations.map { observation in
            var o = observation
            o.sources = [sha256]
            return o
        }
        return rows
    }
}
