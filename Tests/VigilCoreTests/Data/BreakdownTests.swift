import Testing

@testable import VigilCore

/// `Breakdown` keeps its canonical key (made once, read by every hash and comparison) and reads
/// the store's canonical keys without sorting; `BreakdownSelector.matches` reads the pairs. Each
/// is held here to the plain rule it replaced, on random keys, canonical or not.
@Suite struct BreakdownTests {
    private static let dimensions = ["age_band", "category", "gender", "", "a=b", "z"]
    private static let values = ["neglect", "under_1", "", "x=y", "*", "1"]

    /// The parse as written before: every `dimension=value` part into a dictionary (the last of a
    /// repeated dimension wins), then sorted.
    private static func reference(_ key: String) -> Breakdown {
        var values: [String: String] = [:]
        for part in key.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1)
            if kv.count == 2 { values[String(kv[0])] = String(kv[1]) }
        }
        return Breakdown(values)
    }

    private static func randomKey(_ g: inout SplitMix64) -> String {
        if Bool.random(using: &g) {
            // Canonical: distinct dimensions, ascending, non-empty values.
            let chosen = Set(
                (0..<Int.random(in: 0...4, using: &g)).map { _ in
                    ["age_band", "category", "gender", "z"].randomElement(using: &g)!
                })
            return Breakdown(
                Dictionary(uniqueKeysWithValues: chosen.map { ($0, ["neglect", "1", "x=y"].randomElement(using: &g)!) })
            ).key
        }
        let parts = (0..<Int.random(in: 0...4, using: &g)).map { _ in
            Bool.random(using: &g)
                ? "\(dimensions.randomElement(using: &g)!)=\(values.randomElement(using: &g)!)"
                : ["", "noequals", "=", "a=", "=b"].randomElement(using: &g)!
        }
        return parts.joined(separator: ",")
    }

    @Test func aKeyReadsAsTheDictionaryReadingDid() {
        var g = SplitMix64(seed: 2026)
        var canonical = 0
        for _ in 0..<5_000 {
            let key = Self.randomKey(&g)
            let got = Breakdown(key: key)
            let want = Self.reference(key)
            #expect(got == want, "\(key)")
            #expect(got.key == want.key, "\(key)")
            #expect(got.pairs.map { "\($0.dimension)|\($0.value)" } == want.pairs.map { "\($0.dimension)|\($0.value)" }, "\(key)")
            if got.key == key { canonical += 1 }
        }
        #expect(canonical > 2_000)
    }

    @Test func aSelectorMatchesAsTheSetComparisonDid() {
        var g = SplitMix64(seed: 7)
        for _ in 0..<5_000 {
            let breakdown = Breakdown(key: Self.randomKey(&g))
            let selector = BreakdownSelector(
                constraints: Dictionary(
                    (0..<Int.random(in: 0...3, using: &g)).map { _ in
                        (
                            ["age_band", "category", "gender", "z"].randomElement(using: &g)!,
                            ["*", "neglect", "1"].randomElement(using: &g)!
                        )
                    }, uniquingKeysWith: { a, _ in a }))
            let values = breakdown.values
            let want =
                Set(values.keys) == Set(selector.constraints.keys)
                && selector.constraints.allSatisfy { $0.value == "*" || values[$0.key] == $0.value }
            #expect(selector.matches(breakdown) == want, "\(selector) \(breakdown)")
        }
    }

    /// `removing` and `setting` (the digest's relations between a cross-tabulation's cells) give
    /// what rebuilding from the dictionary gives.
    @Test func removingAndSettingADimensionRebuildAsTheDictionaryDoes() {
        var g = SplitMix64(seed: 11)
        for _ in 0..<5_000 {
            let breakdown = Breakdown(key: Self.randomKey(&g))
            let dimension = ["age_band", "category", "gender", "z", "b"].randomElement(using: &g)!
            let value = ["neglect", "", "1", "x=y"].randomElement(using: &g)!
            var without = breakdown.values
            without[dimension] = nil
            let removed = breakdown.removing(dimension)
            #expect(removed == Breakdown(without) && removed.key == Breakdown(without).key, "\(breakdown) - \(dimension)")
            var with = breakdown.values
            with[dimension] = value
            let set = breakdown.setting(dimension, to: value)
            #expect(set.key == Breakdown(with).key, "\(breakdown) + \(dimension)=\(value)")
            #expect(set.pairs.map(\.dimension) == Breakdown(with).pairs.map(\.dimension))
        }
    }
}
