/// Parses aggregate feeds (tidy CSV or JSON) and validates every row against the catalogue.
///
/// Pure: takes bytes and a file name, returns a `ParsedFeed`. A file is accepted or rejected
/// whole; all of its errors are reported, each with file, line, column, the offending value and
/// what was expected. The format is documented in `docs/feeds.md`.
public struct FeedParser: Sendable {
    /// The catalogue rows are checked against.
    public let catalogue: Catalogue
    /// Record-level extracts recognised by their header (or named with `feed:`).
    public let recordFeeds: [RecordFeed]
    /// Most errors reported per file (the rest are counted and summarised).
    public var maxErrors = FeedParser.errorLimit
    /// The evaluation date. A period that starts more than `futureGraceDays` after it, and a
    /// record-level date after it, is rejected (`feed.period` / `feed.value`): a future period
    /// would silence an overdue rule for ever. `active` snapshots end there. nil: no limit.
    public var evaluationDate: CivilDate?

    /// The one cap on errors listed per file (record-level and aggregate alike).
    public static let errorLimit = 200
    /// Days after the evaluation date a period may start (clocks and time zones differ).
    public static let futureGraceDays = 1
    /// Largest JSON feed in bytes. JSON is parsed into a tree, so its size is capped to keep
    /// memory bounded; larger aggregate files are sent as CSV, which streams.
    public static let maxJSONBytes = 16 << 20

    /// A file whose first non-blank byte (within this many bytes) is `{` or `[` is JSON.
    public static let sniffBytes = 1 << 20

    /// Most data rows in an aggregate CSV feed: its observations are held in memory, so this
    /// bounds memory for any file (about 200 bytes a row). Real aggregate tables have thousands.
    public static let maxAggregateRows = 500_000

    /// Most entries a record-level extract may make Vigil hold (distinct identifiers per output
    /// and period, plus `active` intervals): about 40 bytes each at most, so this bounds an
    /// extract's memory whatever its shape. A city's extract of several years holds far fewer.
    public static let maxRecordEntries = 3_000_000
    /// This parser's limit (`maxRecordEntries`; benchmarks of synthetic extracts raise it).
    public var recordEntryLimit = FeedParser.maxRecordEntries

    /// Whether the rows of a record-level extract are read on two cores (`RecordLanes`); the
    /// result is the same either way.
    public var parallelRecords = true
    /// Bytes after which a parallel read cuts the next segment (small values exercise the cuts).
    public var recordSegmentBytes = 1 << 20
    /// A fault tests inject: the background lane waits this many microseconds before each batch
    /// of ids it receives, as when its thread is starved of a core.
    var backgroundLaneDelayMicroseconds: UInt32 = 0

    /// The last day a period may start or a record-level date may fall on, or nil.
    var latestDay: Int? { evaluationDate.map { $0.dayNumber + FeedParser.futureGraceDays } }

    /// Whether errors quote the cells of a file with no partner: only when IT asks, at its own
    /// terminal (`vigil check --show-cells`). Off by default: IT ran `vigil check` on the
    /// service's own rejected copies (whose folder names no partner), and its output, quoting a
    /// child's name from a cell, is what gets pasted into a ticket (review helper-17).
    public var showsCellsWithoutPartner = false

    /// The most values a partner may have stored (`max_values_per_partner`): a partner's file
    /// with more values than that is rejected whatever is stored, by the parser, so `vigil check`
    /// (which has no store) refuses it as vigild and `vigil evaluate` do (review helper-37). Such
    /// a file is refused even if every value in it is a correction (the store takes a file that
    /// adds nothing from a partner over a lowered limit, but not one larger than the whole limit).
    /// The store still judges the file's new values against what the partner has (`feed.quota`).
    /// A file with no partner is not limited, as in the store. Nil: no limit here.
    public var valueLimit: Int?

    /// Whether an error may quote a cell's text: never for a partner's file, whose cells (a
    /// misplaced column, rows pasted from an extract, a name typed into a breakdown) could hold a
    /// child's reference, and whose errors reach its receipt and the journal. Such errors give
    /// the position, length and kind only. A file with no partner is quoted only when IT asks
    /// (`showsCellsWithoutPartner`).
    public func quotesCells(for partner: String?) -> Bool {
        partner == nil && showsCellsWithoutPartner
    }

    /// Creates a parser.
    public init(catalogue: Catalogue, recordFeeds: [RecordFeed] = []) {
        self.catalogue = catalogue
        self.recordFeeds = recordFeeds
    }

    /// Parses a file's bytes. JSON is recognised by a first non-blank `{` or `[`; anything else is CSV.
    public func parse(bytes: [UInt8], file: String, partner: String?, feed feedId: String? = nil) -> ParsedFeed {
        var delivered = false
        return parse(file: file, partner: partner, feed: feedId) {
            if delivered { return nil }
            delivered = true
            return bytes
        }
    }

    /// Parses a file delivered in chunks (`next` returns nil at the end), so a large record-level
    /// extract streams through in bounded memory. JSON files are gathered whole.
    public func parse(file: String, partner: String?, feed feedId: String? = nil, next: () throws -> [UInt8]?) -> ParsedFeed {
        var feed = ParsedFeed(file: file, sha256: "", partner: partner, observations: [], errors: [], rows: 0)
        if let partner, catalogue.partner(partner) == nil {
            feed.errors.append(
                VigilError(
                    code: .permission,
                    message:
                        "unknown partner '\(UntrustedText.line(partner))'; expected one of: \(catalogue.partners.map(\.id).joined(separator: ", "))",
                    location: SourceLocation(file: file)))
            return feed
        }
        // The file's SHA-256 is computed on another core while this one parses.
        let hasher = BackgroundHasher()
        var driver = CSVDriver(parser: self, file: file, partner: partner, feedId: feedId)
        var jsonBytes: [UInt8]?
        var jsonTooLarge = false
        // JSON or CSV is decided by the file's first non-blank byte within its first
        // `sniffBytes`, whatever the chunks: leading blank bytes wait until it is seen.
        var decided = false
        var leading: [UInt8] = []
        var readFailure: VigilError?
        // A file saved as UTF-16 (Excel's "Unicode Text") is one error, not one per cell.
        var firstChunk = true
        var utf16 = false
        func route(_ bytes: [UInt8]) {
            if jsonTooLarge { return }
            if jsonBytes != nil {
                guard jsonBytes!.count + bytes.count <= FeedParser.maxJSONBytes else {
                    jsonBytes = nil
                    jsonTooLarge = true
                    driver.rows.error(
                        .syntax, "a JSON feed may be at most \(FeedParser.maxJSONBytes >> 20) MiB; send a larger file as CSV",
                        SourceLocation(file: file))
                    return
                }
                jsonBytes! += bytes
            } else {
                driver.consume(bytes, isFinal: false)
            }
        }
        do {
            while let chunk = try next() {
                hasher.update(chunk)
                if firstChunk {
                    firstChunk = false
                    utf16 = chunk.count >= 2 && ((chunk[0] == 0xFF && chunk[1] == 0xFE) || (chunk[0] == 0xFE && chunk[1] == 0xFF))
                }
                if utf16 { continue }
                if decided {
                    route(chunk)
                    continue
                }
                if let i = chunk.firstIndex(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }) {
                    decided = true
                    if leading.count + i < FeedParser.sniffBytes && (chunk[i] == 0x7B || chunk[i] == 0x5B) { jsonBytes = [] }
                    route(leading + chunk)
                    leading = []
                } else {
                    leading += chunk
                    if leading.count >= FeedParser.sniffBytes {
                        decided = true
                        route(leading)
                        leading = []
                    }
                }
            }
            if !leading.isEmpty { route(leading) }
        } catch {
            readFailure = VigilError(
                code: .unreadable, message: "the file could not be read to the end (\(error))",
                location: SourceLocation(file: file))
        }
        feed.sha256 = hasher.finalize()
        if utf16 && readFailure == nil {
            // Review helper-34: six errors, the first "the header is not valid UTF-8".
            feed.errors = [
                VigilError(
                    code: .syntax,
                    message:
                        "the file is UTF-16 text (it begins with a UTF-16 byte order mark); save it as UTF-8 (in Excel: Save As, CSV UTF-8)",
                    location: SourceLocation(file: file, line: 1, column: 1))
            ]
            feed.errorCount = 1
            return feed
        }
        var rows: FeedRows
        if jsonTooLarge {
            rows = driver.rows
        } else if let jsonBytes {
            rows = FeedRows(parser: self, file: file, partner: partner, sha256: feed.sha256)
            parseJSON(jsonBytes, &rows)
        } else {
            driver.consume([], isFinal: true)
            rows = driver.finish(sha256: feed.sha256)
            feed.recordFeed = driver.recordFeed
        }
        feed.rows = rows.count
        if let readFailure {
            // What was read is only part of the file: nothing in it is checked or kept, and no
            // error about its content (a missing header, a cut line) hides the one that matters.
            feed.errors = [readFailure]
            feed.errorCount = 1
            return feed
        }
        feed.observations = rows.observations
        if let valueLimit, partner != nil, rows.errors.isEmpty, feed.observations.count > valueLimit {
            let count = feed.observations.count
            feed.observations = []
            feed.errors = [
                VigilError(
                    code: .quota,
                    message:
                        "this file has \(count) values, more than the \(valueLimit) a partner may have stored (max_values_per_partner in vigil.yaml, set by IT)",
                    location: SourceLocation(file: file))
            ]
            feed.errorCount = 1
            return feed
        }
        feed.errors = rows.errors.enumerated().sorted { a, b in
            let la = a.element.location.map { ($0.line ?? 0, $0.column ?? 0) } ?? (0, 0)
            let lb = b.element.location.map { ($0.line ?? 0, $0.column ?? 0) } ?? (0, 0)
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
        feed.errorCount = max(rows.errorCount, feed.errors.count)
        if feed.errorCount > maxErrors {
            let extra = feed.errorCount - maxErrors
            feed.errors = Array(feed.errors.prefix(maxErrors))
            feed.errors.append(
                VigilError(
                    code: .truncated, message: "\(extra) more errors not shown; fix these and check again",
                    location: SourceLocation(file: file)))
        }
        return feed
    }

    // MARK: JSON

    private func parseJSON(_ bytes: [UInt8], _ rows: inout FeedRows) {
        let file = rows.file
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes)
        } catch let error as CSVReader.SyntaxError {
            rows.error(.syntax, error.message, SourceLocation(file: file, line: error.line, column: error.column))
            return
        } catch {
            rows.error(.syntax, "\(error)", SourceLocation(file: file))
            return
        }
        func at(_ value: JSONValue) -> SourceLocation {
            SourceLocation(file: file, line: value.position.line, column: value.position.column)
        }
        var items: [JSONValue] = []
        switch root {
        case .array(let list, _): items = list
        case .object(let members, _):
            guard let list = members.first(where: { $0.key == "observations" })?.value, case .array(let values, _) = list else {
                rows.error(.header, "expected an object with an \"observations\" array, or an array of observations", at(root))
                return
            }
            items = values
        default:
            rows.error(.header, "expected an object with an \"observations\" array, found \(root.typeName)", at(root))
            return
        }
        if items.isEmpty { rows.error(.header, "the file has no observations", at(root)) }
        for item in items {
            rows.count += 1
            guard case .object(let members, _) = item else {
                rows.error(.syntax, "expected an observation object, found \(item.typeName)", at(item))
                continue
            }
            var fields: [String: JSONValue] = [:]
            for member in members {
                if fields[member.key] != nil {
                    rows.error(.duplicate, "duplicate member \(rows.member(member.key))", at(member.value))
                }
                fields[member.key] = member.value
            }
            // A catalogue dimension beside the value (pandas' records, review helper-34) is named
            // and checked as the breakdown it was meant to be, so rows that differ by it are no
            // false duplicates; the file is rejected all the same.
            var misplaced: [(String, String, SourceLocation)] = []
            for key in fields.keys.sorted() where !["indicator", "period", "value", "breakdown"].contains(key) {
                if catalogue.dimensions[key] != nil {
                    rows.error(
                        .header, "\"\(key)\" is a breakdown: put it inside \"breakdown\", as {\"breakdown\": {\"\(key)\": …}}",
                        at(fields[key]!))
                    if case .string(let s, _) = fields[key]! { misplaced.append((key, s, at(fields[key]!))) }
                } else {
                    rows.error(
                        .header, "unknown member \(rows.member(key)); expected indicator, period, value and optional breakdown",
                        at(fields[key]!))
                }
            }
            func text(_ key: String) -> (String, SourceLocation)? {
                guard let value = fields[key] else {
                    rows.error(.header, "missing \"\(key)\"", at(item))
                    return nil
                }
                switch value {
                case .string(let s, _): return (s, at(value))
                case .number(_, let raw, _) where key == "value": return (raw, at(value))
                default:
                    rows.error(
                        .syntax, "\"\(key)\" must be a string\(key == "value" ? " or a number" : ""), found \(value.typeName)",
                        at(value))
                    return nil
                }
            }
            var breakdown: [(String, String, SourceLocation)] = []
            var breakdownValid = true
            if let b = fields["breakdown"] {
                if case .object(let members, _) = b {
                    for member in members {
                        if case .string(let s, _) = member.value {
                            breakdown.append((member.key, s, at(member.value)))
                        } else {
                            rows.error(
                                .dimension,
                                "breakdown \(rows.member(member.key)) must be a string, found \(member.value.typeName)",
                                at(member.value))
                            breakdownValid = false
                        }
                    }
                } else {
                    rows.error(.dimension, "\"breakdown\" must be an object of dimension: value, found \(b.typeName)", at(b))
                    breakdownValid = false
                }
            }
            breakdown += misplaced
            guard let indicator = text("indicator"), let period = text("period"), let value = text("value"), breakdownValid else {
                continue
            }
            rows.add(indicator: indicator, period: period, value: value, breakdown: breakdown)
        }
    }
}
