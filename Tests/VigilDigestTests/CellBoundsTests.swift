import Testing

@testable import VigilDigest

/// The simplex bounds on small systems whose answers are known by hand.
struct CellBoundsTests {
    @Test func twoPartsOfTenEachAtLeastOne() throws {
        let bounds = try #require(CellBounds(equations: [([1, 1], 10)], lower: [1, 1]))
        let x = try #require(bounds.range(of: 0))
        #expect(x.least == 1)
        #expect(x.greatest == 9)
    }

    /// `8, c / c, 0` with the total 10 and every margin hidden: rows, columns and totals.
    @Test func theBoundsPinWhatTheEquationsLeaveFree() throws {
        // Unknowns: x (female 1-4), y (male under 1), F, M (gender totals), U, A (age totals).
        let equations: [(coefficients: [Double], constant: Double)] = [
            ([1, 0, -1, 0, 0, 0], -8), ([0, 1, 0, -1, 0, 0], 0), ([0, 1, 0, 0, -1, 0], -8),
            ([1, 0, 0, 0, 0, -1], 0), ([0, 0, 1, 1, 0, 0], 10), ([0, 0, 0, 0, 1, 1], 10),
        ]
        let bounds = try #require(CellBounds(equations: equations, lower: [1, 1, 1, 1, 1, 1]))
        let ranges = (0..<6).map { bounds.range(of: $0).map { [$0.least, $0.greatest] } }
        #expect(ranges == [[1, 1], [1, 1], [9, 9], [1, 1], [9, 9], [1, 1]])
        // With a lower bound of 0 the same equations leave room: x from 0 to 2.
        let loose = try #require(CellBounds(equations: equations, lower: [0, 0, 0, 0, 0, 0]))
        let x = try #require(loose.range(of: 0))
        #expect([x.least, x.greatest] == [0, 2])
    }

    @Test func figuresThatCannotAddUpHaveNoBounds() {
        #expect(CellBounds(equations: [([1, 1], 1)], lower: [1, 1]) == nil)
        #expect(CellBounds(equations: [([1, 0], 3), ([1, 0], 4)], lower: [0, 0]) == nil)
    }

    @Test func anUnknownNothingBoundsAboveIsInfinite() throws {
        let bounds = try #require(CellBounds(equations: [([1, -1], 0)], lower: [2, 1]))
        let x = try #require(bounds.range(of: 1))
        #expect(x.least == 2)
        #expect(x.greatest == .infinity)
    }

    /// Repeated and redundant equations (a total's two ways of adding up) leave the answer alone.
    @Test func redundantEquationsAreDropped() throws {
        let equations: [(coefficients: [Double], constant: Double)] = [
            ([1, 1, 0], 6), ([1, 1, 0], 6), ([0, 0, 1], 3), ([1, 1, 1], 9),
        ]
        let bounds = try #require(CellBounds(equations: equations, lower: [1, 0, 0]))
        let ranges = (0..<3).map { bounds.range(of: $0).map { [$0.least, $0.greatest] } }
        #expect(ranges == [[1, 6], [0, 5], [3, 3]])
    }
}
