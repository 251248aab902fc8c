import Testing

@testable import VigilCore

/// Student's t and the normal quantile behind `change`'s `dispersion_periods`, against SciPy 1.17
/// (`scipy.stats.t.sf`, `scipy.stats.norm.isf`).
@Suite struct StudentTTests {
    @Test func theUpperTailMatchesSciPy() {
        let cases: [(Double, Double, Double)] = [
            (2.0, 10, 0.03669401738537018), (-1.5, 3, 0.8847080673775886), (0.3, 23, 0.3834358999896448),
            (6, 5, 0.0009230691447970072), (2.5, 1000, 0.0062892839005454036),
        ]
        for (t, degrees, expected) in cases {
            #expect(abs(StudentT.upperTail(t, degrees: degrees) - expected) < 1e-10, "t \(t), df \(degrees)")
        }
        #expect(StudentT.upperTail(.infinity, degrees: 5) == 0)
        #expect(StudentT.upperTail(-.infinity, degrees: 5) == 1)
    }

    @Test func theNormalQuantileMatchesSciPy() {
        let cases: [(Double, Double)] = [
            (0.05, 1.6448536269514729), (1e-10, 6.361340902404056), (0.9, -1.2815515655446004), (0.5, 0),
        ]
        for (p, expected) in cases {
            #expect(abs(StudentT.z(upperTail: p) - expected) < 1e-9, "p \(p)")
        }
        // Review helper-53: below p ≈ 1e-310 the refinement was NaN, and a huge rise read "p 1".
        for p in [5e-311, 1e-320, 4.9e-324] {
            let z = StudentT.z(upperTail: p)
            #expect(z.isFinite && z > 37, "p \(p): z \(z)")
            #expect(StudentT.upperTail(z, degrees: 23) < 1e-9, "p \(p)")
        }
        #expect(StudentT.z(upperTail: 0) == .infinity)
        #expect(StudentT.z(upperTail: 1) == -.infinity)
    }
}
