/// Parses aggregate feeds (tidy CSV or JSON) and validates every row against the catalogue.
///
/// Pure: takes bytes and a file name, returns a `ParsedFeed`. A file is accepted or rejected
/// whole; all of its errors are reported, each with file, line, column, the offending value and
/// what was expected. The format is documented in `docs/feeds.md`.
public struct FeedParser: Sendable {
    /// The catalogue rows are checked against.
    public let catalogue: Catalogue
    /// Most errors reported per file (the rest are summarised).
    public var maxErrors = 200

    /// Creates a parser.
    public init(catalogue: Catalogue) { self.catalogue = catalogue }

    /// Parses a file's bytes. JSON is recognised by a first non-blank `{` or `[`; anything else is CSV.
    public func parse(bytes: [UInt8], file: String, partner: String?) -> ParsedFeed {
        var feed = ParsedFeed(file: file, sha256: SHA256.hex(bytes), partner: partner, observations: [], errors: [], rows: 0)
        if let partner, catalogue.partner(partner) == nil {
            feed.errors.append(
                VigilError(
                    code: .permission,
                    message:
                        "unknown partner '\(partner)'; expected one of: \(catalogue.partners.map(\.id).joined(separator: ", "))",
                    location: SourceLocation(file: file)))
            return feed
        }
        var rows = FeedRows(parser: self, file: file, partner: partner, sha256: feed.sha256)
        if let first = bytes.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }),
            first == 0x7B || first == 0x5B
        {
            parseJSON(bytes, &rows)
        } else {
            parseCSV(bytes, &rows)
        }
        feed.observations = rows.observations
        feed.rows = rows.count
        feed.errors = rows.errors.enumerated().sorted { a, b in
            let la = a.element.location.map { ($0.line ?? 0, $0.column ?? 0) } ?? (0, 0)
            let lb = b.element.location.map { ($0.line ?? 0, $0.column ?? 0) } ?? (0, 0)
            return la != lb ? la < lb : a.offset < b.offset
        }.map(\.element)
        if feed.errors.count > maxErrors {
            let extra = feed.errors.count - maxErrors
            feed.errors = Array(feed.errors.prefix(maxErrors))
            feed.errors.append(
                VigilError(code: .syntax, message: "\(extra) more errors not shown", location: SourceLocation(file: file)))
        }
        return feed
    }

    // MARK: CSV

    private func parseCSV(_ bytes: [UInt8], _ rows: inout FeedRows) {
        let file = rows.file
        // Leading comment lines ('#') are skipped before CSV parsing: they may hold quotes and commas.
        var offset = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        while offset < bytes.count, bytes[offset] == UInt8(ascii: "#") {
            while offset < bytes.count, bytes[offset] != 0x0A { offset += 1 }
            offset += 1
            line += 1
        }
        guard bytes[min(offset, bytes.count)...].contains(where: { $0 != 0x0A && $0 != 0x0D && $0 != 0x20 }) else {
            rows.error(
                .header,
                "the file has no header; expected a first line 'indicator,period,value' followed by any dimension columns",
                SourceLocation(file: file, line: line, column: 1))
            return
        }
        var reader = CSVReader(startLine: line)
        var header: CSVHeader?
        do {
            try bytes[min(offset, bytes.count)...].withUnsafeBytes { raw in
                try reader.consume(raw, isFinal: true) { record in
                    if record.isBlank { return }
                    if header == nil {
                        header = CSVHeader(record, file: file, catalogue: catalogue, rows: &rows)
                        return
                    }
                    guard let h = header, h.isUsable else { return }
                    rows.count += 1
                    h.read(record, into: &rows)
                }
            }
        } catch let error as CSVReader.SyntaxError {
            rows.error(.syntax, error.message, SourceLocation(file: file, line: error.line, column: error.column))
        } catch {
            rows.error(.syntax, "\(error)", SourceLocation(file: file))
        }
        if let header, header.isUsable, rows.count == 0, rows.errors.isEmpty {
            rows.error(
                .header, "the file has a header but no data rows", SourceLocation(file: file, line: header.line + 1, column: 1))
        }
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
                if fields[member.key] != nil { rows.error(.duplicate, "duplicate member \"\(member.key)\"", at(member.value)) }
                fields[member.key] = member.value
            }
            for key in fields.keys where !["indicator", "period", "value", "breakdown"].contains(key) {
                rows.error(
                    .header, "unknown member \"\(key)\"; expected indicator, period, value and optional breakdown",
                    at(fields[key]!))
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
                                .dimension, "breakdown \"\(member.key)\" must be a string, found \(member.value.typeName)",
                                at(member.value))
                            breakdownValid = false
                        }
                    }
                } else {
                    rows.error(.dimension, "\"breakdown\" must be an object of dimension: value, found \(b.typeName)", at(b))
                    breakdownValid = false
                }
            }
            guard let indicator = text("indicator"), let period = text("period"), let value = text("value"), breakdownValid else {
                continue
            }
            rows.add(indicator: indicator, period: period, value: value, breakdown: breakdown)
        }
    }
}
