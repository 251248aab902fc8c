import Testing

@testable import VigilCore

/// `formatNumber`: thousands separators and fixed decimals, the text of every explanation.
@Suite struct FormatNumberTests {
    @Test func examples() {
        #expect(formatNumber(0, decimals: 0) == "0")
        #expect(formatNumber(1234.5, decimals: 1) == "1,234.5")
        #expect(formatNumber(999, decimals: 0) == "999")
        #expect(formatNumber(1000, decimals: 0) == "1,000")
        #expect(formatNumber(-1_234_567.891, decimals: 2) == "-1,234,567.89")
        #expect(formatNumber(0.05, decimals: 1) == "0.1")
        #expect(formatNumber(-0.04, decimals: 1) == "0.0")
        #expect(formatNumber(-0.4, decimals: 0) == "0")
        #expect(formatNumber(-0.6, decimals: 0) == "-1")
        #expect(formatNumber(2.5, decimals: 0) == "3")
        #expect(formatNumber(7.0, decimals: 3) == "7.000")
        #expect(formatNumber(12.3456, decimals: 5) == "12.346")
        #expect(formatNumber(.infinity, decimals: 1) == "inf")
        #expect(formatNumber(1e16, decimals: 0) == "1e+16")
    }

    /// The byte-level version agrees with the straightforward one it replaced on values across
    /// every magnitude an explanation meets.
    @Test func agreesWithTheStraightforwardVersion() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let magnitude = powers[Int.random(in: 0..<powers.count, using: &rng)]
            let value = (Bool.random(using: &rng) ? 1 : -1) * Double.random(in: 1..<10, using: &rng) * magnitude
            for decimals in 0...3 {
                #expect(formatNumber(value, decimals: decimals) == reference(value, decimals), "\(value) \(decimals)")
            }
        }
    }

    /// Up to 10¹² (values below 10¹²): beyond that a double's last three decimals are noise, and the
    /// old version's floating division and the new integer one round that noise differently.
    private let powers: [Double] = [0.001, 0.01, 0.1, 1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11]

    private func reference(_ value: Double, _ decimals: Int) -> String {
        func group(_ digits: String) -> String {
            var text = digits
            let negative = text.hasPrefix("-")
            if negative { text.removeFirst() }
            var out = ""
            for (i, ch) in text.reversed().enumerated() {
                if i > 0 && i % 3 == 0 { out.append(",") }
                out.append(ch)
            }
            return (negative ? "-" : "") + String(out.reversed())
        }
        if decimals == 0 { return group(String(Int(value.rounded()))) }
        let scale = [1.0, 10, 100, 1000][min(decimals, 3)]
        let rounded = (value * scale).rounded() / scale
        let absolute = abs(rounded)
        let whole = Int(absolute)
        var fraction = String(Int(((absolute - Double(whole)) * scale).rounded()))
        fraction = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
        return (rounded < 0 ? "-" : "") + group(String(whole)) + "." + fraction
    }
}
