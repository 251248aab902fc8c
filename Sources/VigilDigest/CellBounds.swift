/// The least and greatest value each unknown can take under linear equations and lower bounds
/// (`Σ a·x = b`, every `x ≥ lower`), found by the simplex method: the disclosure audit's model of
/// what a reader can work out from a suppressed table, where each `c` is at least 1 because zeros
/// are shown.
///
/// Phase one finds a feasible basis once; each bound is then a phase-two minimisation from a copy
/// of it. Pivots follow Bland's rule (the lowest index enters and leaves), so degenerate tables,
/// which suppressed tables often are, cannot cycle.
struct CellBounds {
    /// The constraint rows after phase one, in the shifted unknowns `y = x − lower` (all `≥ 0`),
    /// each with its right-hand side last.
    private var rows: [[Double]]
    /// The unknown basic in each row.
    private var basis: [Int]
    /// The lower bound of each unknown.
    private let lower: [Double]
    /// Pivots left before a bound is given up on (`nil`): a safety net, not a limit ever reached
    /// by the tables a digest holds.
    private static let pivotLimit = 20_000
    private static let epsilon = 1e-9

    /// The feasible region of `equations` (coefficients by unknown, then the right-hand side) with
    /// each unknown at least `lower`; nil when the equations and bounds have no solution (figures
    /// that do not add up).
    init?(equations: [(coefficients: [Double], constant: Double)], lower: [Double]) {
        let n = lower.count
        self.lower = lower
        let m = equations.count
        // Shift to y = x − lower and make each right-hand side non-negative; artificials n..<n+m.
        var tableau: [[Double]] = []
        for (index, equation) in equations.enumerated() {
            var row = equation.coefficients
            var constant = equation.constant
            for j in 0..<n { constant -= row[j] * lower[j] }
            if constant < 0 {
                row = row.map { -$0 }
                constant = -constant
            }
            var artificial = [Double](repeating: 0, count: m)
            artificial[index] = 1
            tableau.append(row + artificial + [constant])
        }
        var basis = Array(n..<(n + m))
        // Phase one: minimise the sum of the artificials.
        let cost = [Double](repeating: 0, count: n) + [Double](repeating: 1, count: m)
        guard Self.minimise(cost, &tableau, &basis, columns: n + m) != nil else { return nil }
        let infeasibility = zip(basis, tableau).reduce(0) { $0 + ($1.0 >= n ? $1.1[n + m] : 0) }
        guard infeasibility <= 1e-7 else { return nil }
        // Drive artificials still basic (at zero) out of the basis, or drop their rows: redundant.
        var r = 0
        while r < tableau.count {
            guard basis[r] >= n else {
                r += 1
                continue
            }
            if let j = (0..<n).first(where: { abs(tableau[r][$0]) > Self.epsilon }) {
                Self.pivot(&tableau, &basis, row: r, column: j)
                r += 1
            } else {
                tableau.remove(at: r)
                basis.remove(at: r)
            }
        }
        self.rows = tableau.map { Array($0[0..<n]) + [$0[n + m]] }
        self.basis = basis
    }

    /// The least and greatest value of unknown `j` (the greatest is infinite when nothing bounds it),
    /// or nil when the search gave up.
    func range(of j: Int) -> (least: Double, greatest: Double)? {
        let n = lower.count
        var cost = [Double](repeating: 0, count: n)
        cost[j] = 1
        var tableau = rows
        var basis = self.basis
        guard let least = Self.minimise(cost, &tableau, &basis, columns: n) else { return nil }
        cost[j] = -1
        tableau = rows
        basis = self.basis
        guard let negatedGreatest = Self.minimise(cost, &tableau, &basis, columns: n) else { return nil }
        return (lower[j] + least, lower[j] - negatedGreatest)
    }

    /// Minimises `cost · y` over the tableau's rows (right-hand side in column `columns`) from its
    /// feasible `basis`: the minimum, `-infinity` when unbounded, nil past the pivot limit.
    private static func minimise(_ cost: [Double], _ tableau: inout [[Double]], _ basis: inout [Int], columns: Int) -> Double? {
        for _ in 0..<pivotLimit {
            // Reduced costs; Bland: the lowest column that improves enters.
            var entering: Int?
            for j in 0..<columns {
                var reduced = cost[j]
                for (r, b) in basis.enumerated() where tableau[r][j] != 0 { reduced -= cost[b] * tableau[r][j] }
                if reduced < -epsilon {
                    entering = j
                    break
                }
            }
            guard let entering else {
                return zip(basis, tableau).reduce(0) { $0 + cost[$1.0] * $1.1[columns] }
            }
            // Ratio test; ties to the lowest basic unknown.
            var leaving: Int?
            for r in 0..<tableau.count where tableau[r][entering] > epsilon {
                let ratio = tableau[r][columns] / tableau[r][entering]
                if let l = leaving {
                    let best = tableau[l][columns] / tableau[l][entering]
                    if ratio < best - epsilon || (abs(ratio - best) <= epsilon && basis[r] < basis[l]) { leaving = r }
                } else {
                    leaving = r
                }
            }
            guard let leaving else { return -.infinity }
            pivot(&tableau, &basis, row: leaving, column: entering)
        }
        return nil
    }

    /// Makes `column` basic in `row`.
    private static func pivot(_ tableau: inout [[Double]], _ basis: inout [Int], row: Int, column: Int) {
        let lead = tableau[row][column]
        let width = tableau[row].count
        for j in 0..<width { tableau[row][j] /= lead }
        for r in 0..<tableau.count where r != row {
            let factor = tableau[r][column]
            guard abs(factor) > epsilon else {
                tableau[r][column] = 0
                continue
            }
            for j in 0..<width { tableau[r][j] -= factor * tableau[row][j] }
            tableau[r][column] = 0
        }
        basis[row] = column
    }
}
