/// Aggregates a record-level extract row by row into indicator values, in bounded memory: per-group
/// counters and, for distinct counts, sets of 64-bit id hashes (ids themselves are never kept).
struct RecordAggregator {
    struct Key: Hashable {
        var output: Int32
        var period: Int32
        var dimension: Int16
        var value: Int32

        /// Two combines instead of four: this is hashed for every row and output.
        func hash(into hasher: inout Hasher) {
            hasher.combine(UInt64(UInt32(bitPattern: output)) << 32 | UInt64(UInt32(bitPattern: period)))
            hasher.combine(UInt64(UInt16(bitPattern: dimension)) << 32 | UInt64(UInt32(bitPattern: value)))
        }
    }

    let feed: RecordFeed
    let catalogue: Catalogue
    let file: String
    let sha256: String
    private let periodicities: [Periodicity]
    private let needed: [Bool]
    private let outputCount: Int
    private let outputFilters: [[RecordFeed.Filter]]
    private let kinds: [RecordColumn.Kind]
    /// For filters on yes/no columns: whether yes and no pass.
    private let filterBool: [[(yes: Bool, no: Bool)]]
    private let required: [Bool]
    /// Columns whose values are categories (used by filters or dimensions).
    private let categorical: [Bool]
    private let trueBytes: [[[UInt8]]]
    private let falseBytes: [[[UInt8]]]
    private let filterBytes: [[[[UInt8]]]]
    private var counts: [Key: Double] = [:]
    private var distinct: [Key: Set<UInt64>] = [:]
    private var perId: [Key: [UInt64: Int32]] = [:]
    private var active: [Int: [(start: Int, end: Int?, dims: [Int32])]] = [:]
    private var periods: [Int32: Period] = [:]
    private var dimValues: [[String]]
    private var interned: [[(bytes: [UInt8], index: Int32)]]
    private(set) var errors: [VigilError] = []
    private(set) var rows = 0
    private var maxDay = Int.min
    // Per-row decoded values, reused.
    private var day: [Int?]
    private var hash: [UInt64]
    private var number: [Int]
    private var flag: [Bool?]
    private var blank: [Bool]

    init(feed: RecordFeed, catalogue: Catalogue, file: String, sha256: String) {
        self.feed = feed
        self.catalogue = catalogue
        self.file = file
        self.sha256 = sha256
        periodicities = feed.outputs.map { catalogue.indicator($0.indicator)?.periodicity ?? .month }
        // Every typed column is validated (a bad value is an error even where no output reads it).
        var needed = feed.columns.map { $0.required || $0.kind != .string }
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
            case .distinct(let c), .sum(let c), .distribution(let c): needed[c] = true
            case .active(let s, let e, _):
                needed[s] = true
                if let e { needed[e] = true }
            case .count: break
            }
        }
        self.needed = needed
        outputCount = feed.outputs.count
        outputFilters = feed.outputs.map(\.filters)
        kinds = feed.columns.map(\.kind)
        filterBool = feed.outputs.map { output in
            output.filters.map { filter -> (yes: Bool, no: Bool) in
                guard case .oneOf(let c, let values) = filter else { return (false, false) }
                let column = feed.columns[c]
                return (
                    values.contains("true") || values.contains { column.trueValues.contains($0) },
                    values.contains("false") || values.contains { column.falseValues.contains($0) }
                )
            }
        }
        required = feed.columns.map(\.required)
        var categorical = Array(repeating: false, count: feed.columns.count)
        for output in feed.outputs {
            for d in output.dimensions { categorical[d.column] = true }
            for case .oneOf(let c, _) in output.filters { categorical[c] = true }
        }
        for (i, column) in feed.columns.enumerated() where column.kind == .enum { categorical[i] = true }
        self.categorical = categorical
        trueBytes = feed.columns.map { $0.trueValues.map { Array($0.utf8) } }
        falseBytes = feed.columns.map { $0.falseValues.map { Array($0.utf8) } }
        filterBytes = feed.outputs.map { output in
            output.filters.map { filter -> [[UInt8]] in
                if case .oneOf(_, let values) = filter { return values.map { Array($0.utf8) } }
                return []
            }
        }
        dimValues = Array(repeating: [], count: feed.columns.count)
        interned = Array(repeating: [], count: feed.columns.count)
        let n = feed.columns.count
        day = Array(repeating: nil, count: n)
        hash = Array(repeating: 0, count: n)
        number = Array(repeating: 0, count: n)
        flag = Array(repeating: nil, count: n)
        blank = Array(repeating: true, count: n)
    }

    private mutating func error(_ message: String, _ record: borrowing CSVRecord, _ column: Int) {
        guard errors.count < 200 else { return }
        errors.append(
            VigilError(
                code: .value, message: message,
                location: SourceLocation(file: file, line: record.line(column), column: record.column(column))))
    }

    /// Consumes one data row.
    mutating func consume(_ record: borrowing CSVRecord) {
        rows += 1
        guard record.count == feed.columns.count else {
            if errors.count < 200 {
                errors.append(
                    VigilError(
                        code: .syntax,
                        message:
                            "row has \(record.count) field\(record.count == 1 ? "" : "s"); expected \(feed.columns.count) as in the header",
                        location: SourceLocation(file: file, line: record.line, column: 1)))
            }
            return
        }
        var ok = true
        for i in 0..<feed.columns.count where needed[i] {
            if !decode(record, i) { ok = false }
        }
        guard ok else { return }
        for output in feed.outputs {
            if case .active(let s, let e?, _) = output.measure, let start = day[s], let end = day[e], end < start {
                error(
                    "\(feed.columns[e].name) is before \(feed.columns[s].name); a period cannot end before it starts", record, e)
                return
            }
        }
        for o in 0..<outputCount where passes(o, outputFilters[o]) { accumulate(o, feed.outputs[o]) }
    }

    private mutating func decode(_ record: borrowing CSVRecord, _ i: Int) -> Bool {
        let kind = kinds[i]
        // A value of spaces only is blank (a child reference of "  " is no reference).
        let empty = record.isEmpty(i) || record.withBytes(i) { $0.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
        blank[i] = empty
        day[i] = nil
        flag[i] = nil
        if empty {
            if required[i] {
                let column = feed.columns[i]
                error("\(column.name) is blank; every row needs \(column.kind == .id ? "an identifier" : "a value")", record, i)
                return false
            }
            return true
        }
        var problem: String?
        record.withBytes(i) { b in
            let columns = feed.columns
            func column() -> RecordColumn { columns[i] }
            switch kind {
            case .date:
                day[i] = RecordBytes.date(b, exact: true)
                if day[i] == nil {
                    problem =
                        "a value of \(b.count) character\(b.count == 1 ? "" : "s") (not shown) is not a date; expected YYYY-MM-DD in \(column().name)"
                }
            case .datetime:
                day[i] = RecordBytes.datetime(b)
                if day[i] == nil {
                    problem =
                        "a value of \(b.count) character\(b.count == 1 ? "" : "s") (not shown) is not a date-time; expected YYYY-MM-DDThh:mm[:ss] (or YYYY-MM-DD) in \(column().name)"
                }
            case .bool:
                if trueBytes[i].contains(where: { RecordBytes.equals(b, $0) }) {
                    flag[i] = true
                } else if falseBytes[i].contains(where: { RecordBytes.equals(b, $0) }) {
                    flag[i] = false
                } else {
                    problem =
                        "a value of \(b.count) character\(b.count == 1 ? "" : "s") (not shown) is not a yes/no value; expected \((column().trueValues + column().falseValues).joined(separator: " or ")) in \(column().name)"
                }
            case .int:
                if let v = RecordBytes.int(b) {
                    number[i] = v
                } else {
                    problem =
                        "a value of \(b.count) character\(b.count == 1 ? "" : "s") (not shown) is not a whole number in \(column().name)"
                }
            case .id:
                hash[i] = RecordBytes.hash(b)
            case .enum:
                if intern(i, b) < 0 {
                    problem =
                        "a value of \(b.count) character\(b.count == 1 ? "" : "s") (not shown) is not one of \(column().values.joined(separator: ", ")) in \(column().name)"
                }
            case .string:
                // Free text is only interned where a filter or breakdown reads it.
                if categorical[i] { _ = intern(i, b) }
            }
        }
        if let d = day[i], d > maxDay { maxDay = d }
        if let problem {
            error(problem, record, i)
            return false
        }
        return true
    }

    /// Interns a categorical value; -1 when an enum value is not allowed.
    private mutating func intern(_ i: Int, _ b: UnsafeBufferPointer<UInt8>) -> Int32 {
        for entry in interned[i] where RecordBytes.equals(b, entry.bytes) {
            number[i] = Int(entry.index)
            return entry.index
        }
        let raw = String(decoding: b, as: UTF8.self)
        let column = feed.columns[i]
        if column.kind == .enum && !column.values.contains(raw) { return -1 }
        let index = Int32(dimValues[i].count)
        dimValues[i].append(column.map[raw] ?? raw)
        interned[i].append((Array(b), index))
        number[i] = Int(index)
        return index
    }

    private func passes(_ o: Int, _ filters: [RecordFeed.Filter]) -> Bool {
        if filters.isEmpty { return true }
        for (f, filter) in filters.enumerated() {
            switch filter {
            case .notBlank(let c): if blank[c] { return false }
            case .oneOf(let c, _):
                if blank[c] { return false }
                if kinds[c] == .bool {
                    guard let v = flag[c], v ? filterBool[o][f].yes : filterBool[o][f].no else { return false }
                } else {
                    let raw = interned[c].first { $0.index == Int32(number[c]) }?.bytes ?? []
                    if !filterBytes[o][f].contains(raw) { return false }
                }
            case .lastedYears(let from, let to, let years):
                guard let a = day[from], let b = day[to] else { return false }
                let start = CivilDate(dayNumber: a)
                let day = min(start.day, CivilDate.daysIn(year: start.year + years, month: start.month))
                guard b >= CivilDate(year: start.year + years, month: start.month, day: day)!.dayNumber else { return false }
            }
        }
        return true
    }

    private var periodCache: [(day: Int, periodicity: Periodicity, key: Int32)] = []

    private mutating func periodKey(_ o: Int, _ d: Int) -> Int32? {
        let periodicity = periodicities[o]
        for entry in periodCache where entry.day == d && entry.periodicity == periodicity { return entry.key }
        guard let p = Deriver.enclosing(Period.snapshot(CivilDate(dayNumber: d)), periodicities[o]) else { return nil }
        // Periods of different kinds can share a start day (April 2012 and 2012/13): key by both.
        let kind = Periodicity.allCases.firstIndex(of: p.periodicity) ?? 0
        let key = Int32(p.start.dayNumber * 8 + kind)
        if periods[key] == nil { periods[key] = p }
        if periodCache.count >= 8 { periodCache.removeFirst() }
        periodCache.append((d, periodicity, key))
        return key
    }

    private mutating func accumulate(_ o: Int, _ output: RecordFeed.Output) {
        if case .active(let s, let e, _) = output.measure {
            guard let start = day[s] else { return }
            active[o, default: []].append((start, e.flatMap { day[$0] }, output.dimensions.map { Int32(number[$0.column]) }))
            return
        }
        guard let pc = output.periodColumn, let d = day[pc], let p = periodKey(o, d) else { return }
        add(Key(output: Int32(o), period: p, dimension: -1, value: 0), output.measure)
        for (k, dim) in output.dimensions.enumerated() where !blank[dim.column] {
            add(Key(output: Int32(o), period: p, dimension: Int16(k), value: Int32(number[dim.column])), output.measure)
        }
    }

    private mutating func add(_ key: Key, _ measure: RecordFeed.Measure) {
        switch measure {
        case .count: counts[key, default: 0] += 1
        case .sum(let c): counts[key, default: 0] += Double(number[c])
        case .distinct(let c): distinct[key, default: []].insert(hash[c])
        case .distribution(let c): perId[key, default: [:]][hash[c], default: 0] += 1
        case .active: break
        }
    }

    /// The observations, once every row is consumed.
    mutating func finish() -> [Observation] {
        var out: [Observation] = []
        func emit(_ o: Int, _ period: Period, _ breakdown: [String: String], _ value: Double) {
            out.append(
                Observation(
                    series: SeriesKey(indicator: feed.outputs[o].indicator, breakdown: Breakdown(breakdown)), period: period,
                    value: .number(value), sources: [sha256]))
        }
        func breakdown(_ o: Int, _ key: Key) -> [String: String]? {
            guard key.dimension >= 0 else { return [:] }
            let dim = feed.outputs[o].dimensions[Int(key.dimension)]
            return [dim.dimension: dimValues[dim.column][Int(key.value)]]
        }
        for (key, value) in counts {
            if let b = breakdown(Int(key.output), key), let p = periods[key.period] { emit(Int(key.output), p, b, value) }
        }
        for (key, set) in distinct {
            if let b = breakdown(Int(key.output), key), let p = periods[key.period] {
                emit(Int(key.output), p, b, Double(set.count))
            }
        }
        for (key, ids) in perId {
            guard let p = periods[key.period], let indicator = catalogue.indicator(feed.outputs[Int(key.output)].indicator),
                let dimension = indicator.dimensions.first, let buckets = catalogue.dimensions[dimension]?.values,
                !buckets.isEmpty
            else { continue }
            var histogram = Array(repeating: 0.0, count: buckets.count)
            for (_, n) in ids { histogram[min(Int(n), buckets.count) - 1] += 1 }
            for (i, bucket) in buckets.enumerated() { emit(Int(key.output), p, [dimension: bucket], histogram[i]) }
            emit(Int(key.output), p, [:], Double(ids.count))
        }
        for (o, intervals) in active {
            guard case .active(_, _, let snapshots) = feed.outputs[o].measure, let first = intervals.map(\.start).min(),
                maxDay != Int.min,
                var period = Deriver.enclosing(Period.snapshot(CivilDate(dayNumber: first)), snapshots)
            else { continue }
            while period.end.dayNumber <= maxDay {
                let date = period.end.dayNumber
                var total = 0.0
                var byDim: [[Int32: Double]] = Array(repeating: [:], count: feed.outputs[o].dimensions.count)
                for interval in intervals where interval.start <= date && (interval.end.map { $0 > date } ?? true) {
                    total += 1
                    for (k, v) in interval.dims.enumerated() { byDim[k][v, default: 0] += 1 }
                }
                let snapshot = Period.snapshot(period.end)
                emit(o, snapshot, [:], total)
                for (k, dim) in feed.outputs[o].dimensions.enumerated() {
                    for (v, count) in byDim[k] { emit(o, snapshot, [dim.dimension: dimValues[dim.column][Int(v)]], count) }
                }
                guard let next = period.next else { break }
                period = next
            }
        }
        return out.sorted { ($0.series, $0.period) < ($1.series, $1.period) }
    }
}
