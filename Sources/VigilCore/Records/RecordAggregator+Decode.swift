/// Decoding one row's typed values from its field bytes, and the filters over them.
extension RecordAggregator {
    /// Decodes column `i` from its bytes into the per-row arrays; returns a problem to report, or nil.
    /// Problems never echo the value (a misplaced column could hold a child's reference).
    mutating func decode(_ i: Int, _ b: UnsafeBufferPointer<UInt8>) -> String? {
        let kind = kinds[i]
        // A value of spaces only is blank (a child reference of "  " is no reference).
        var empty = true
        for byte in b where byte != 0x20 && byte != 0x09 {
            empty = false
            break
        }
        row.blank[i] = empty
        row.day[i] = RecordAggregator.noDay
        if empty {
            row.flag[i] = nil
            if required[i] {
                let column = feed.columns[i]
                return "\(column.name) is blank; every row needs \(column.kind == .id ? "an identifier" : "a value")"
            }
            return nil
        }
        switch kind {
        case .date:
            guard b.count == 10, let d = cachedDay(b) else {
                return "\(describe(b)) is not a date; expected YYYY-MM-DD in \(feed.columns[i].name)"
            }
            if let latest = latestDay, d > latest { return future(i, latest) }
            row.day[i] = d
            if d > maxDay { maxDay = d }
            noteMonth(i, b)
        case .datetime:
            guard let d = cachedDay(b), RecordBytes.timeIsValid(b) else {
                return
                    "\(describe(b)) is not a date-time; expected YYYY-MM-DDThh:mm[:ss] (or YYYY-MM-DD) in \(feed.columns[i].name)"
            }
            if let latest = latestDay, d > latest { return future(i, latest) }
            row.day[i] = d
            if d > maxDay { maxDay = d }
            noteMonth(i, b)
        case .bool:
            if trueBytes[i].contains(where: { RecordBytes.equals(b, $0) }) {
                row.flag[i] = true
            } else if falseBytes[i].contains(where: { RecordBytes.equals(b, $0) }) {
                row.flag[i] = false
            } else {
                row.flag[i] = nil
                let column = feed.columns[i]
                return
                    "\(describe(b)) is not a yes/no value; expected \((column.trueValues + column.falseValues).joined(separator: " or ")) in \(column.name)"
            }
        case .int:
            guard let v = RecordBytes.int(b) else { return "\(describe(b)) is not a whole number in \(feed.columns[i].name)" }
            // As in an aggregate file: no value is larger (sums over these stay within the bound).
            guard Double(v.magnitude) <= ObservedValue.largestMagnitude else {
                return "\(describe(b)) is larger than 1000000000000 in \(feed.columns[i].name); no value may be"
            }
            row.number[i] = v
        case .id:
            row.hash[i] = RecordBytes.hash(b)
        case .enum:
            if intern(i, b) < 0 {
                let column = feed.columns[i]
                return "\(describe(b)) is not one of \(column.values.joined(separator: ", ")) in \(column.name)"
            }
        case .string:
            // Free text is only interned where a filter or breakdown reads it, and hashed where
            // an output counts its distinct values.
            if categorical[i] { _ = intern(i, b) }
            if hashed[i] { row.hash[i] = RecordBytes.hash(b) }
        }
        return nil
    }

    /// The day number of the `YYYY-MM-DD` the bytes start with, or nil: through a direct-mapped
    /// cache keyed by those ten bytes (an extract's rows share a few thousand dates). The slot is
    /// the date's own digits (year modulo 16, month, day: 4 + 4 + 5 bits), so the dates of any 16
    /// consecutive years never share a slot; other bytes land anywhere and are checked against
    /// the key like any date. Zero marks an empty slot: no date starts with a zero byte, so a key
    /// starting with one is never looked up (ten NUL bytes would otherwise match an empty slot
    /// and read as day 0).
    @inline(__always)
    mutating func cachedDay(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard b.count >= 10 else { return nil }
        let raw = UnsafeRawBufferPointer(b)
        let head = raw.loadUnaligned(as: UInt64.self)
        let tail = raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
        let year = Int(b[2] &- 0x30) &* 10 &+ Int(b[3] &- 0x30)
        let month = Int(b[5] &- 0x30) &* 10 &+ Int(b[6] &- 0x30)
        let dayOfMonth = Int(b[8] &- 0x30) &* 10 &+ Int(b[9] &- 0x30)
        let slot = (year & 15) &<< 9 | (month & 15) &<< 5 | (dayOfMonth & 31)
        if head != 0 && dayHeads[slot] == head && dayTails[slot] == tail { return Int(dayValues[slot]) }
        guard let day = RecordBytes.date(b, exact: false) else { return nil }
        dayHeads[slot] = head
        dayTails[slot] = tail
        dayValues[slot] = Int32(clamping: day)
        return day
    }

    /// A date after the evaluation date (a future date would invent snapshots and periods).
    private func future(_ i: Int, _ latest: Int) -> String {
        "\(feed.columns[i].name) is after \(CivilDate(dayNumber: latest)); dates in the future are not accepted"
    }

    /// "a value of N characters (not shown)": what an error may say about a value.
    /// Its length in characters (Unicode scalars, as aggregate files' errors count: bytes that do
    /// not continue a UTF-8 sequence), never its text.
    private func describe(_ b: UnsafeBufferPointer<UInt8>) -> String {
        let count = b.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        return "a value of \(count) character\(count == 1 ? "" : "s") (not shown)"
    }

    /// Interns a categorical value (its index among column `i`'s values, also left in the row's
    /// values); -1 when an enum value is not allowed (never cached, so each such row is reported).
    /// Values of 8 bytes or fewer are found through a cache keyed by their packed bytes and
    /// length; longer ones, and cache misses, by their keyed hash.
    @inline(__always)
    mutating func intern(_ i: Int, _ b: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard b.count <= 8 else { return internByHash(i, b) }
        var packed: UInt64 = 0
        for k in 0..<b.count { packed |= UInt64(b[k]) &<< (8 &* UInt64(k)) }
        let slot =
            i &* RecordAggregator.shortSlots
            &+ Int(truncatingIfNeeded: ((packed ^ UInt64(b.count)) &* 0x9E37_79B9_7F4A_7C15) >> 58)
        if shortLengths[slot] == Int8(b.count) && shortKeys[slot] == packed {
            let index = shortIndices[slot]
            row.number[i] = Int(index)
            return index
        }
        let index = internByHash(i, b)
        if index >= 0 {
            shortKeys[slot] = packed
            shortLengths[slot] = Int8(b.count)
            shortIndices[slot] = index
        }
        return index
    }

    /// Interns a categorical value by its keyed hash; -1 when an enum value is not allowed.
    private mutating func internByHash(_ i: Int, _ b: UnsafeBufferPointer<UInt8>) -> Int32 {
        let key = RecordBytes.hash(b)
        for index in interned[i][key] ?? [] where RecordBytes.equals(b, internedBytes[i][Int(index)]) {
            row.number[i] = Int(index)
            return index
        }
        let raw = String(decoding: b, as: UTF8.self)
        let column = feed.columns[i]
        if column.kind == .enum && !column.values.contains(raw) { return -1 }
        let index = Int32(dimValues[i].count)
        let bytes = Array(b)
        dimValues[i].append(column.map[raw] ?? raw)
        interned[i][key, default: []].append(index)
        internedBytes[i].append(bytes)
        // Decide once, for every filter on this column, whether the new value passes it.
        for step in filterSteps where step.kind == .accepts && step.column == i {
            filterAccepts[step.slot].append(filterBytes[step.slot].contains(bytes))
        }
        row.number[i] = Int(index)
        return index
    }

    /// Whether the current row passes output `o`'s filters.
    ///
    /// `mutating` although it changes nothing: a mutating method takes the aggregator by address,
    /// while a non-mutating call from the row loop (where it is not inlined) copied all 520 bytes
    /// of it, and retained every array in it, once per row and output.
    @inline(__always)
    mutating func passes(_ o: Int) -> Bool {
        var k = filterBounds[o]
        let end = filterBounds[o &+ 1]
        while k < end {
            let step = filterSteps[k]
            k &+= 1
            let c = step.column
            switch step.kind {
            case .notBlank: if row.blank[c] { return false }
            case .flag:
                guard !row.blank[c], let v = row.flag[c], v ? step.yes : step.no else { return false }
            case .accepts:
                if row.blank[c] || !filterAccepts[step.slot][row.number[c]] { return false }
            case .lastedYears:
                let a = row.day[c]
                let b = row.day[step.other]
                guard a != RecordAggregator.noDay, b != RecordAggregator.noDay else { return false }
                let start = CivilDate(dayNumber: a)
                let day = min(start.day, CivilDate.daysIn(year: start.year + step.years, month: start.month))
                guard b >= CivilDate(year: start.year + step.years, month: start.month, day: day)!.dayNumber else {
                    return false
                }
            }
        }
        return true
    }
}
