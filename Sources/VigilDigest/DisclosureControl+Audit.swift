import VigilCore

extension DisclosureControl {
    /// Checks a period's cells the way a reader of the digest could: every shown cell is known,
    /// every group's parts add up to its margin; while those equations leave a hidden count of 1
    /// to 5 only one possible value, hides one more cell beside it (the smallest shown non-zero
    /// cell of a group it is in, or else of any group holding a hidden cell). The group rule alone (`hideSecondaryCells`) misses what several
    /// margins give together (review: in a 3 × 3 table, two rows' margins less the total, and a
    /// column's shown cell, gave a hidden 3 back).
    mutating func auditSmallCells(
        _ numbers: [SeriesKey: [Period: Double]], _ groups: [Group], at period: Period,
        markedSmall: Set<SeriesKey> = [], choices: [Choice] = []
    ) {
        var choices = choices
        // Every part the catalogue lists is in its relation (`relations`), and one without a
        // number (sent as `c`, or absent) is an unknown to the reader as well (review: read as "the
        // parts present add up to the margin", it made margins look determined and the table was
        // hidden almost whole).
        let relations = groups.filter { numbers[$0.margin]?[period] != nil }
        var missing = Set<SeriesKey>()
        for relation in relations {
            for part in relation.parts where numbers[part]?[period] == nil { missing.insert(part) }
        }
        while true {
            var hidden: [SeriesKey] = []
            for (key, values) in numbers {
                if let value = values[period], hides(key, period, value: value, unit: .count) { hidden.append(key) }
            }
            hidden.sort()
            let unknowns = (hidden + missing).sorted()
            // Beyond this size the elimination (about unknowns² × relations per pass) would make
            // the digest slow: every shown non-zero cell beside a hidden count of 1 to 5 is hidden
            // instead, once.
            guard unknowns.count <= auditLimit && relations.count <= auditLimit * 8 else {
                hideAroundSmallCells(numbers, relations, at: period)
                return
            }
            let exposed = DisclosureControl.pinned(
                unknowns, relations, numbers, atLeastOne: markedSmall, at: period, choices: choices)
            guard let first = exposed.first else { return }
            // The smallest shown non-zero cell of a relation the exposed cell is in; when those
            // have none, of any relation holding a hidden cell (the equations that fixed it).
            let hiddenSet = Set(hidden)
            var best: (key: SeriesKey, value: Double)?
            var candidates = Set<SeriesKey>()
            for own in [true, false] where best == nil {
                for relation in relations {
                    let members = [relation.margin] + relation.parts
                    guard own ? members.contains(first) : members.contains(where: hiddenSet.contains) else { continue }
                    for key in members {
                        guard let value = numbers[key]?[period], value > 0, !hides(key, period, value: value, unit: .count)
                        else { continue }
                        candidates.insert(key)
                        if best == nil || (value, "\(key)") < (best!.value, "\(best!.key)") { best = (key, value) }
                    }
                }
            }
            guard let best else { return }
            hide(best.key, period, best.value)
            choices.append(Choice(chosen: best.key, over: candidates.subtracting([best.key]).sorted()))
        }
    }

    /// Hides every shown non-zero cell of each relation that holds a hidden count of 1 to 5: the
    /// audit's stand-in for tables too large to solve.
    private mutating func hideAroundSmallCells(_ numbers: [SeriesKey: [Period: Double]], _ relations: [Group], at period: Period)
    {
        var small = Set<SeriesKey>()
        for (key, values) in numbers {
            if let value = values[period], value >= 1, value <= 5, hides(key, period, value: value, unit: .count) {
                small.insert(key)
            }
        }
        for relation in relations where small.contains(relation.margin) || relation.parts.contains(where: small.contains) {
            for key in [relation.margin] + relation.parts {
                if let value = numbers[key]?[period], value > 0 { hide(key, period, value) }
            }
        }
    }

    /// The unknowns (`hidden`, sorted) whose value the relations fix, by Gaussian elimination on
    /// "parts − margin = known" (coefficients ±1): an unknown is fixed when its pivot row has no
    /// free unknown, so no change of the free ones moves it.
    static func determined(_ hidden: [SeriesKey], _ relations: [Group]) -> [SeriesKey] {
        guard !hidden.isEmpty else { return [] }
        var column: [SeriesKey: Int] = [:]
        for (index, key) in hidden.enumerated() { column[key] = index }
        var rows: [[Double]] = []
        for relation in relations {
            var row = [Double](repeating: 0, count: hidden.count)
            var any = false
            for part in relation.parts {
                if let c = column[part] {
                    row[c] += 1
                    any = true
                }
            }
            if let c = column[relation.margin] {
                row[c] -= 1
                any = true
            }
            if any { rows.append(row) }
        }
        var pivots: [(row: Int, column: Int)] = []
        var next = 0
        for c in 0..<hidden.count where next < rows.count {
            var pivot: Int?
            for r in next..<rows.count where abs(rows[r][c]) > 1e-9 {
                pivot = r
                break
            }
            guard let pivot else { continue }
            rows.swapAt(next, pivot)
            let lead = rows[next][c]
            for j in 0..<hidden.count { rows[next][j] /= lead }
            for r in 0..<rows.count where r != next && abs(rows[r][c]) > 1e-9 {
                let factor = rows[r][c]
                for j in 0..<hidden.count { rows[r][j] -= factor * rows[next][j] }
            }
            pivots.append((next, c))
            next += 1
        }
        let pivotColumns = Set(pivots.map(\.column))
        var out: [SeriesKey] = []
        for (r, c) in pivots {
            var free = false
            for j in 0..<hidden.count where !pivotColumns.contains(j) && abs(rows[r][j]) > 1e-9 {
                free = true
                break
            }
            if !free { out.append(hidden[c]) }
        }
        return out.sorted()
    }
}
