import VigilCore

extension DisclosureControl {
    /// The hidden counts of 1 to 5 among `unknowns` (sorted) that a reader can pin to one whole
    /// number: from the shown figures, the relations, and the bounds everyone knows (each hidden
    /// cell and each part the partner sent as `c`, `atLeastOne`, is at least 1, since zeros are
    /// shown; a part without a figure at least 0). Review: the equations alone left `8, c / c, 0`
    /// with its total of 10 two solutions apart, but only one of them has both `c` at least 1.
    ///
    /// Solved one connected group of unknowns at a time, so figures that do not add up in one
    /// table leave the others' bounds read (review: one over-counted category breakdown once
    /// switched the bounds off for the whole period, and a gender by age table gave two 1s back).
    /// Where a group's figures do not add up, a reader may set aside a relation that breaks them:
    /// so does the audit, each one whose removal leaves a solution in turn; failing that, only the
    /// equations are read (`determined`), as a reader would have to.
    static func pinned(
        _ unknowns: [SeriesKey], _ relations: [Group], _ numbers: [SeriesKey: [Period: Double]],
        atLeastOne: Set<SeriesKey>, at period: Period, choices: [Choice] = []
    ) -> [SeriesKey] {
        func small(_ key: SeriesKey) -> Bool {
            guard let value = numbers[key]?[period] else { return false }
            return value >= 1 && value <= 5
        }
        guard unknowns.contains(where: small) else { return [] }
        var column: [SeriesKey: Int] = [:]
        for (index, key) in unknowns.enumerated() { column[key] = index }
        // Each relation as its unknowns' columns and signs, and the shown figures' constant.
        var equations: [(terms: [(column: Int, sign: Double)], constant: Double, relation: Int?)] = []
        for (index, relation) in relations.enumerated() {
            var terms: [(column: Int, sign: Double)] = []
            var constant = 0.0
            for (key, sign) in [(relation.margin, -1.0)] + relation.parts.map({ ($0, 1.0) }) {
                if let c = column[key] {
                    terms.append((c, sign))
                } else if let value = numbers[key]?[period] {
                    constant -= sign * value
                }
            }
            if !terms.isEmpty { equations.append((terms, constant, index)) }
        }
        // What a reader who knows the algorithm adds, conservatively (as if it could tell which
        // cell is which): a count of 1 to 5 is at most 5, a cell hidden beside one at least 6
        // (every shown count is 0 or over 5), and a cell chosen as the smallest of others no
        // larger than each (smaller than one named before it). Each inequality is an equation
        // with a slack column of its own (review helper-16: in `c, 7, c, 20, 0` of 39 only 5 and
        // 7 fit the rule that chose the 7).
        var lower = unknowns.map { key -> Double in
            if let value = numbers[key]?[period] { return value >= 6 ? 6 : value >= 1 ? 1 : 0 }
            return atLeastOne.contains(key) ? 1 : 0
        }
        func inequality(_ terms: [(column: Int, sign: Double)], atMost bound: Double) {
            lower.append(0)
            equations.append((terms + [(lower.count - 1, 1)], bound, nil))
        }
        for (c, key) in unknowns.enumerated() {
            if let value = numbers[key]?[period], value >= 1, value <= 5 { inequality([(c, 1)], atMost: 5) }
        }
        // At most 128 of the choices' inequalities (each a row and a column): the simplex's cost
        // grows with both; the latest choices, which decided the cells hidden last, come first.
        var budget = 128
        for choice in choices.reversed() {
            guard let s = column[choice.chosen] else { continue }
            for other in choice.over {
                guard budget > 0 else { break }
                budget -= 1
                let strict: Double = "\(other)" < "\(choice.chosen)" ? 1 : 0
                if let o = column[other] {
                    inequality([(s, 1), (o, -1)], atMost: -strict)
                } else if let value = numbers[other]?[period] {
                    inequality([(s, 1)], atMost: value - strict)
                }
            }
        }
        // Connected groups of unknowns (union-find over the relations and inequalities).
        var parent = Array(0..<lower.count)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]
                x = parent[x]
            }
            return x
        }
        for equation in equations {
            for term in equation.terms.dropFirst() { parent[root(term.column)] = root(equation.terms[0].column) }
        }
        var members: [Int: [Int]] = [:]
        for c in lower.indices { members[root(c), default: []].append(c) }
        var equationsOf: [Int: [Int]] = [:]
        for (e, equation) in equations.enumerated() { equationsOf[root(equation.terms[0].column), default: []].append(e) }
        var out: [SeriesKey] = []
        for (component, columns) in members where columns.contains(where: { $0 < unknowns.count && small(unknowns[$0]) }) {
            let local = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
            let rows = equationsOf[component] ?? []
            func system(without skipped: Int?) -> [(coefficients: [Double], constant: Double)] {
                rows.filter { $0 != skipped }.map { e in
                    var row = [Double](repeating: 0, count: columns.count)
                    for term in equations[e].terms { row[local[term.column]!] += term.sign }
                    return (row, equations[e].constant)
                }
            }
            let bounds = columns.map { lower[$0] }
            // The whole group; where its figures do not add up, each reading without one relation
            // that leaves a solution (a reader may set aside any of them).
            var readings: [CellBounds] = []
            if let whole = CellBounds(equations: system(without: nil), lower: bounds) {
                readings = [whole]
            } else {
                for skipped in rows where equations[skipped].relation != nil {
                    if let reading = CellBounds(equations: system(without: skipped), lower: bounds) { readings.append(reading) }
                }
            }
            if readings.isEmpty {
                let keys = columns.filter { $0 < unknowns.count }.map { unknowns[$0] }
                out += determined(keys, rows.compactMap { equations[$0].relation.map { relations[$0] } }).filter(small)
                continue
            }
            for c in columns where c < unknowns.count && small(unknowns[c]) {
                let isPinned = readings.contains { bounds in
                    // A bound the search gave up on counts as pinned: one more cell is hidden.
                    guard let range = bounds.range(of: local[c]!) else { return true }
                    return (range.least - 1e-6).rounded(.up) >= (range.greatest + 1e-6).rounded(.down)
                }
                if isPinned { out.append(unknowns[c]) }
            }
        }
        return out.sorted()
    }
}
