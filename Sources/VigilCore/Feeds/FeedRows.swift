/// Validates feed rows against the catalogue and collects observations and errors.
struct FeedRows {
    let parser: FeedParser
    let file: String
    let partner: String?
    var sha256: String
    var observations: [Observation] = []
    var errors: [VigilError] = []
    /// Every error found, including those past the collection limit.
    var errorCount = 0
    var count = 0
    /// Whether errors may quote cell text (`FeedParser.quotesCells(for:)`).
    let quotes: Bool
    /// The line of each (series, period) seen, to report a second value for it. (Keyed by the
    /// series' text and the period's first day: measured quicker than a key of the series and
    /// period values, whose hash takes nine fields, and than the text of both, whose period part
    /// had to be written first.)
    private var seen: [SeenKey: Int] = [:]

    /// A (series, period) key: the series' text and the day its period starts. The series' indicator
    /// has one periodicity (a row whose period is of another is refused before this), and within
    /// one periodicity a period is fixed by its first day.
    private struct SeenKey: Hashable {
        var series: String
        var start: Int
    }
    private var suggestions: [String: String] = [:]
    /// Breakdown cells matched to the catalogue's values, at a bounded cost per file.
    private var spellings = BreakdownSpellings()

    init(parser: FeedParser, file: String, partner: String?, sha256: String) {
        self.parser = parser
        self.file = file
        self.partner = partner
        self.sha256 = sha256
        quotes = parser.quotesCells(for: partner)
    }

    /// Records an error; past a few times the listing limit only counts it, so a file of a
    /// million bad rows costs no more memory than one of a thousand.
    mutating func error(_ code: VigilError.Code, _ message: String, _ location: SourceLocation) {
        errorCount += 1
        if errors.count < FeedParser.errorLimit * 5 {
            errors.append(VigilError(code: code, message: message, location: location))
        }
    }

    /// How a JSON member name is named in an error: quoted, or by length only (as `cell`).
    func member(_ name: String) -> String {
        quotes ? "\"\(name.prefix(40).description.visible)\"" : "(\(FeedRows.characters(name)), not shown)"
    }

    /// "1 character", "12 characters": the length of a text not shown.
    static func characters(_ text: String) -> String {
        let count = text.unicodeScalars.count
        return "\(count) character\(count == 1 ? "" : "s")"
    }

    /// How a cell is named in an error: quoted (cut to `limit` characters, controls escaped), or
    /// by position only for a partner whose cells could hold a child's reference.
    func cell(_ text: String, limit: Int = 40) -> String {
        quotes ? "'\(text.prefix(limit).description.visible)'" : "the cell (\(FeedRows.characters(text)), not shown)"
    }

    /// Checks one row; each argument carries the location of its field.
    mutating func add(
        indicator: (String, SourceLocation), period: (String, SourceLocation), value: (String, SourceLocation),
        breakdown: [(String, String, SourceLocation)]
    ) {
        let catalogue = parser.catalogue
        let indicatorText = indicator.0.trimmingASCIISpaces
        guard let definition = catalogue.indicator(indicatorText) else {
            error(
                .unknownIndicator,
                "unknown indicator \(quotes ? "" : "in ")\(cell(indicatorText, limit: 80)); expected an id from the catalogue\(suggestion(indicatorText))",
                indicator.1
            )
            return
        }
        var ok = true
        if definition.derivation != nil {
            error(
                .permission,
                "indicator '\(indicatorText)' is derived by Vigil from other indicators; supply its inputs (\(definition.derivation!.inputs.joined(separator: ", "))) instead",
                indicator.1)
            ok = false
        } else if let partner, !definition.partners.contains(partner) {
            let allowed = definition.partners.isEmpty ? "no partner" : definition.partners.joined(separator: ", ")
            error(
                .permission, "partner '\(partner)' may not supply '\(indicatorText)'; the catalogue grants it to \(allowed)",
                indicator.1)
            ok = false
        }
        let periodText = period.0.trimmingASCIISpaces
        var parsedPeriod: Period?
        if let p = Period(parsing: periodText) {
            // A day is never repeated to a partner (a snapshot date could be a date of birth);
            // months, quarters and years are. (Only for an error: made for every row, the text
            // cost the 1,000-row file 6% of its drop-to-journal time.)
            let shows = quotes || p.periodicity != .snapshot
            var named: String { shows ? "period '\(periodText.visible)'" : "the date in this cell" }
            if p.periodicity != definition.periodicity {
                error(
                    .period,
                    "\(named) is a \(p.periodicity.noun), but '\(indicatorText)' is reported \(definition.periodicity.phrase); expected a period like \(definition.periodicity.example)",
                    period.1)
            } else if let latest = parser.latestDay, p.start.dayNumber > latest {
                let starts = shows ? "it starts \(p.start), after" : "it is after"
                error(
                    .period,
                    "\(named) has not begun (\(starts) \(parser.evaluationDate!)); send a period once it has started",
                    period.1)
            } else if let today = parser.evaluationDate, p.isRunning(on: today) {
                // A count for part of a period reads as a fall against whole ones (review
                // helper-34: April's figures sent as 2012/13 raised "down 91.7%"). Judged against
                // the evaluation date itself, with no grace day (review helper-35).
                error(
                    .period,
                    "\(named) has not ended (it ends \(p.end), after \(parser.evaluationDate!)); send a \(definition.periodicity.noun) once it is complete",
                    period.1)
            } else {
                parsedPeriod = p
            }
        } else {
            error(
                .period,
                "\(cell(periodText)) is not a period; expected a \(definition.periodicity.noun) like \(definition.periodicity.example)",
                period.1)
        }
        let valueText = value.0.trimmingASCIISpaces
        var parsedValue: ObservedValue?
        if ObservedValue.markers[valueText] != nil {
            parsedValue = .marker(valueText)
        } else if let number = FeedRows.number(valueText) {
            if let impossible = FeedRows.impossible(number, definition) {
                error(.value, "\(cell(valueText)) \(impossible)", value.1)
            } else if let whole = FeedRows.whole(number, definition) {
                if let range = definition.plausible, !range.admits(whole) {
                    // Review helper-34: 0.96 for 96% raised a critical alert, and a rate per 1,000
                    // silently cleared two warnings.
                    error(
                        .value,
                        "\(cell(valueText)) is outside the plausible range of '\(definition.id)' (\(range.words), set in the catalogue); \(FeedRows.unitHint(whole, definition, range))",
                        value.1)
                } else {
                    parsedValue = .number(whole)
                }
            } else {
                // Review helper-34: 18.5 incidents, or 0.85 children, is a formula's result or a
                // shifted column, not a count.
                error(
                    .value,
                    "\(cell(valueText)) is not a whole number: '\(definition.id)' is a count; expected a whole number such as 18",
                    value.1)
            }
        } else {
            let shown = valueText.isEmpty ? "an empty value" : cell(valueText)
            error(
                .value,
                "\(shown) is not a number; expected a number such as 185 or 79.3, or a disclosure marker (c, x, :, z, ..)\(FeedRows.markerHint(valueText))",
                value.1)
        }
        var dims: [String: String] = [:]
        for (dimension, raw, location) in breakdown {
            let text = raw.trimmingASCIISpaces
            if text.isEmpty { continue }
            guard definition.dimensions.contains(dimension) else {
                let declared = definition.dimensions.isEmpty ? "none" : definition.dimensions.joined(separator: ", ")
                // A dimension the catalogue knows is named; any other name (a JSON member name is
                // the partner's text, like a CSV header's) is never quoted, whoever sends it.
                let named =
                    catalogue.dimensions[dimension] != nil
                    ? "no '\(dimension)' breakdown"
                    : "no such breakdown (its name, \(FeedRows.characters(dimension)), is not shown)"
                error(
                    .dimension,
                    "'\(indicatorText)' has \(named) (value \(quotes ? cell(text) : "not shown, \(FeedRows.characters(text))")); its dimensions are: \(declared)",
                    location
                )
                ok = false
                continue
            }
            // Only a value from the catalogue's closed list is kept: free text (a child's name or
            // reference) never becomes a breakdown value. A dimension with no list accepts none
            // (the catalogue loader refuses one; a catalogue built in code could still have it).
            // Partners' spellings ("1-4", "16+", "Under 1") are stored as the canonical value.
            let allowed = catalogue.dimensions[dimension]?.values ?? []
            let match = spellings.match(text, dimension: dimension, allowed: allowed)
            if case .value(let canonical) = match {
                dims[dimension] = canonical
                continue
            }
            // Only for an error: joining the list for every cell cost each row an allocation.
            let expected = allowed.isEmpty ? "the catalogue lists none" : "expected one of: \(allowed.joined(separator: ", "))"
            switch match {
            case .value: break
            case .unknown:
                let article = dimension.first.map { "aeiou".contains($0) } == true ? "an" : "a"
                let total =
                    ["total", "all", "grand total", "totals"].contains(text.lowercased())
                    ? "; leave the cell blank for the total" : ""
                error(.dimension, "\(cell(text)) is not \(article) \(dimension); \(expected)\(total)", location)
            case .tooLong:
                error(
                    .dimension,
                    "\(cell(text)) is longer than any spelling of a \(dimension) (\(BreakdownSpellings.maxBytes) bytes at most); \(expected)",
                    location)
            case .tooManySpellings:
                error(
                    .dimension,
                    "\(cell(text)) is one spelling too many: a file may write breakdown values in at most"
                        + " \(BreakdownSpellings.maxSpellings) ways other than the catalogue's own; \(expected)", location)
            }
            ok = false
        }
        guard ok, let parsedPeriod, let parsedValue else { return }
        let series = SeriesKey(indicator: indicatorText, breakdown: Breakdown(dims))
        // One lookup: the line is set, and put back as it was when the key had one.
        let key = SeenKey(series: "\(series)", start: parsedPeriod.start.dayNumber)
        if let firstLine = seen.updateValue(indicator.1.line ?? 0, forKey: key) {
            seen[key] = firstLine
            // A day is not repeated to a partner here either (a date of birth).
            let at = quotes || parsedPeriod.periodicity != .snapshot ? "\(parsedPeriod)" : "the same date"
            error(.duplicate, "a second value for \(series) at \(at); the first is on line \(firstLine)", value.1)
            return
        }
        observations.append(
            Observation(series: series, period: parsedPeriod, value: parsedValue, sources: [sha256], location: indicator.1))
    }

    /// " (did you mean 'x'?)" for a near miss of a catalogue id. Linear in the input: only texts
    /// up to 64 bytes are compared (an id is shorter; a longer text is no near miss), and each
    /// distinct text is compared once per file.
    /// Past the errors that can be listed, none is computed: it would never be shown.
    private mutating func suggestion(_ text: String) -> String {
        let length = text.utf8.count
        guard length <= 64, errors.count < FeedParser.errorLimit else { return "" }
        if let known = suggestions[text] { return known }
        var found = ""
        var best = 4
        // Ids whose length differs by more than 3 cannot be within 3 edits.
        for indicator in parser.catalogue.indicators where abs(indicator.id.utf8.count - length) <= 3 {
            let distance = editDistance(indicator.id, text)
            if distance < best {
                best = distance
                found = " (did you mean '\(indicator.id)'?)"
            }
        }
        if suggestions.count < 10_000 { suggestions[text] = found }
        return found
    }

    /// Why a number cannot be a value of this indicator, whatever its rules say: no count, rate,
    /// ratio or duration is negative, no percentage is outside 0–100, and nothing is larger than
    /// 10^12 (so sums, rates and control limits over a partner's values stay finite and exact
    /// enough: a file of 1e308s made them infinite). Nil when possible.
    static func impossible(_ number: Double, _ indicator: Indicator) -> String? {
        if abs(number) > ObservedValue.largestMagnitude {
            return "is not a possible value: no value of '\(indicator.id)' is larger than 1000000000000"
        }
        if indicator.unit == .percent {
            return number < 0 || number > 100
                ? "is not a possible value: '\(indicator.id)' is a percentage; expected 0 to 100" : nil
        }
        return number < 0
            ? "is not a possible value: '\(indicator.id)' is a \(indicator.unit.noun) and cannot be negative" : nil
    }

    /// What a spreadsheet's own marker most likely meant (review helper-34), without showing it.
    static func markerHint(_ text: String) -> String {
        let t = text.lowercased()
        if t.hasPrefix("<") || t == "*" || t == "**" || t == "s" || t == "supp" || t == "suppressed" {
            return
                ": send the true count, even a small one (digests hide small numbers when published), or c if it may not be shared"
        }
        if ["n/a", "na", "-", "–", "#n/a", "n.a.", "none", "null", "nil"].contains(t) {
            return ": x if the figure is not available"
        }
        return ""
    }

    /// What a value outside an indicator's plausible range most likely is.
    static func unitHint(_ value: Double, _ indicator: Indicator, _ range: PlausibleRange) -> String {
        if indicator.unit == .percent && value > 0 && value <= 1 {
            return "a fraction? write a percentage as 62 for 62%, not 0.62"
        }
        if indicator.unit == .ratePer10k, let lo = range.min, value < lo {
            return "a rate per 1,000? rates here are per 10,000 (ten times the rate per 1,000)"
        }
        return "check the unit and the figure; if it is right, IT widens the range in the catalogue"
    }

    /// The value to store: a count must be whole, within a spreadsheet's rounding noise
    /// (17.999999999999996 is 18); other units as sent. Nil for a count that is not whole.
    static func whole(_ number: Double, _ indicator: Indicator) -> Double? {
        guard indicator.unit == .count else { return number }
        let rounded = number.rounded()
        return abs(number - rounded) <= 1e-6 ? rounded : nil
    }

    /// Parses a plain decimal number: optional sign, digits, optional fraction and exponent.
    /// No thousands separators.
    static func number(_ text: String) -> Double? {
        guard !text.isEmpty,
            text.utf8.allSatisfy({
                ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 == 0x65 || $0 == 0x45
            }),
            text.utf8.contains(where: { $0 >= 0x30 && $0 <= 0x39 }), let value = Double(text), value.isFinite
        else { return nil }
        return value
    }
}

func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a.utf8)
    let b = Array(b.utf8)
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var row = Array(0...b.count)
    for i in 1...a.count {
        var previous = row[0]
        row[0] = i
        for j in 1...b.count {
            let current = row[j]
            row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
            previous = current
        }
    }
    return row[b.count]
}

extension String {
    /// The text with control characters shown as `\u{…}`, so one error stays one line.
    var visible: String {
        var out = ""
        for scalar in unicodeScalars {
            // Controls, and format characters such as bidirectional overrides, which reorder what
            // a terminal or a reader shows (`UntrustedText`); a backslash stays as it is.
            if scalar != "\\" && UntrustedText.needsEscape(scalar) {
                out += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    var trimmingASCIISpaces: String {
        // Almost every cell has no space at either end: it is returned as it is. (A first byte
        // other than a space or tab cannot begin a Character equal to one, nor a last byte end one.)
        let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 }
        guard let first = utf8.first, let last = utf8.last, isSpace(first) || isSpace(last) else { return self }
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}

extension Periodicity {
    var noun: String {
        switch self {
        case .month: return "month"
        case .quarter: return "calendar quarter"
        case .financialYear: return "financial year"
        case .financialHalfYear: return "financial half-year"
        case .snapshot: return "snapshot date"
        }
    }
}

extension IndicatorUnit {
    /// The unit named in an error.
    var noun: String {
        switch self {
        case .count: return "count"
        case .percent: return "percentage"
        case .ratePer10k: return "rate per 10,000"
        case .ratio: return "ratio"
        case .days: return "number of days"
        }
    }
}
