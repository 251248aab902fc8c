import Testing
import VigilCore

/// Partners' spellings of breakdown values map to the catalogue's canonical values.
struct DimensionValueTests {
    let ages = ["under_1", "1_to_4", "5_to_9", "10_to_15", "16_plus"]
    let cafAges = ["unborn", "0_to_5", "6_to_11", "12_to_15", "16_plus"]

    @Test(arguments: [
        ("Under 1", "under_1"), ("under 1", "under_1"), ("<1", "under_1"), ("Less than 1", "under_1"),
        ("1 to 4", "1_to_4"), ("1-4", "1_to_4"), ("1 - 4", "1_to_4"), ("1–4", "1_to_4"), ("1 to 4 years", "1_to_4"),
        ("16+", "16_plus"), ("16 +", "16_plus"), ("16 and over", "16_plus"), ("Over 16", "16_plus"), ("16 plus", "16_plus"),
        ("10_to_15", "10_to_15"),
    ])
    func ageBands(text: String, expected: String) {
        #expect(DimensionValue.canonical(text, allowed: ages) == expected)
    }

    @Test func otherSpellings() {
        #expect(DimensionValue.canonical("0 – 5yrs", allowed: cafAges) == "0_to_5")
        #expect(DimensionValue.canonical("Unborn", allowed: cafAges) == "unborn")
        #expect(DimensionValue.canonical("Mixed White & Asian", allowed: ["mixed_white_asian"]) == "mixed_white_asian")
        #expect(DimensionValue.canonical("White British", allowed: ["white_british"]) == "white_british")
        #expect(DimensionValue.canonical("NEGLECT", allowed: ["neglect"]) == "neglect")
        // Not a near miss of anything: no match.
        #expect(DimensionValue.canonical("abuse", allowed: ["neglect", "physical"]) == nil)
        #expect(DimensionValue.canonical("17+", allowed: ages) == nil)
        #expect(DimensionValue.canonical("1 to 5", allowed: ages) == nil)
    }
}
