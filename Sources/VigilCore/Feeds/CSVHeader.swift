/// The header of a CSV feed: which column holds what.
struct CSVHeader {
    let line: Int
    let columnCount: Int
    /// Columns up to the last one with a name: unnamed columns after it (a spreadsheet's trailing
    /// `,,,`) are ignored, and must be empty in every row.
    let namedCount: Int
    var indicatorColumn = -1
    var periodColumn = -1
    var valueColumn = -1
    var dimensionColumns: [(index: Int, name: String)] = []
    let file: String
    var isUsable: Bool { indicatorColumn >= 0 && periodColumn >= 0 && valueColumn >= 0 }

    init(_ record: borrowing CSVRecord, file: String, catalogue: Catalogue, rows: inout FeedRows) {
        line = record.line
        columnCount = record.count
        self.file = file
        var named = record.count
        while named > 0, let raw = record.string(named - 1), raw.trimmingASCIISpaces.isEmpty { named -= 1 }
        namedCount = named
        // One column holding semicolons or tabs: another separator, one error (review helper-34:
        // four, none naming the separator).
        if record.count == 1, let raw = record.string(0) {
            if let separator = raw.contains(";") ? "semicolons" : raw.contains("\t") ? "tabs" : nil {
                rows.error(
                    .header,
                    "the first line is one column with \(separator) in it: the file is separated by \(separator), not commas; save it as CSV (in Excel: Save As, CSV UTF-8 (Comma delimited))",
                    SourceLocation(file: file, line: record.line, column: 1))
                return
            }
        }
        var seen: [String: Int] = [:]
        for i in 0..<named {
            let location = SourceLocation(file: file, line: record.line(i), column: record.column(i))
            guard let raw = record.string(i) else {
                rows.error(.syntax, "the header is not valid UTF-8", location)
                continue
            }
            let name = raw.trimmingASCIISpaces.lowercased()
            let known = ["indicator", "period", "value"].contains(name) || catalogue.dimensions[name] != nil
            if let first = seen[name] {
                rows.error(
                    .header,
                    known
                        ? "duplicate column '\(name)' (also column \(first + 1)); each column may appear once"
                        : "duplicate column \(i + 1) (\(CSVHeader.unshown(name)); the same as column \(first + 1)); each column may appear once",
                    location)
                continue
            }
            seen[name] = i
            switch name {
            case "indicator": indicatorColumn = i
            case "period": periodColumn = i
            case "value": valueColumn = i
            case "":
                rows.error(
                    .header, "column \(i + 1) has an empty name; expected indicator, period, value or a dimension name", location)
            default:
                if known {
                    dimensionColumns.append((i, name))
                } else {
                    // Never quoted, whoever sends it: a "header" may be the first row of an
                    // extract dropped without its own, and the receipt goes to the journal too.
                    let dimensions = catalogue.dimensions.keys.sorted().joined(separator: ", ")
                    rows.error(
                        .header,
                        "unknown column \(i + 1) (\(CSVHeader.unshown(name))); expected indicator, period, value or a dimension (\(dimensions))",
                        location
                    )
                }
            }
        }
        for (name, index) in [("indicator", indicatorColumn), ("period", periodColumn), ("value", valueColumn)] where index < 0 {
            rows.error(
                .header,
                "the header has no '\(name)' column; expected a first line 'indicator,period,value' followed by any dimension columns",
                SourceLocation(file: file, line: record.line, column: 1))
        }
    }

    /// How a header name Vigil does not know is named in an error: by its length only.
    static func unshown(_ name: String) -> String { "\(FeedRows.characters(name)), not shown" }

    /// Whether a row is nothing but empty fields (a spreadsheet's blank row, saved as `,,,`): no
    /// row, as a blank line is none, and not counted (review helper-35: a header and such rows
    /// were accepted as a file of one row and no values).
    static func isEmptyRow(_ record: borrowing CSVRecord) -> Bool {
        record.isEmpty(0) && (1..<record.count).allSatisfy { record.isEmpty($0) }
    }

    func read(_ record: borrowing CSVRecord, into rows: inout FeedRows) {
        if record.count != columnCount && !(namedCount...columnCount).contains(record.count) {
            let expected = namedCount == columnCount ? "\(columnCount)" : "\(namedCount) to \(columnCount)"
            rows.error(
                .syntax, "row has \(record.count) field\(record.count == 1 ? "" : "s"); expected \(expected) as in the header",
                SourceLocation(file: file, line: record.line, column: 1))
            return
        }
        for i in namedCount..<record.count where !record.isEmpty(i) {
            rows.error(
                .syntax, "column \(i + 1) has no name in the header, but this row has a value in it",
                SourceLocation(file: file, line: record.line(i), column: record.column(i)))
            return
        }
        func field(_ i: Int) -> (String, SourceLocation)? {
            let location = SourceLocation(file: file, line: record.line(i), column: record.column(i))
            guard let text = record.string(i) else {
                rows.error(.syntax, "field is not valid UTF-8; save the file as UTF-8", location)
                return nil
            }
            return (text, location)
        }
        var breakdown: [(String, String, SourceLocation)] = []
        var ok = true
        for (index, name) in dimensionColumns {
            if let f = field(index) { breakdown.append((name, f.0, f.1)) } else { ok = false }
        }
        guard let indicator = field(indicatorColumn), let period = field(periodColumn), let value = field(valueColumn), ok else {
            return
        }
        rows.add(indicator: indicator, period: period, value: value, breakdown: breakdown)
    }
}
