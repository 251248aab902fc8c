import Testing

@testable import vigil_bench

/// What `--sweep-h` accepts: decision intervals alone, or a reference value with one (`k:h`).
@Suite struct CUSUMVariantsTests {
    @Test func intervalsAloneKeepTheShippedReferenceValue() {
        let variants = AlertQualityCommand.cusumVariants("3.5,4,4.5")
        #expect(variants.map(\.k) == [nil, nil, nil])
        #expect(variants.map(\.h) == [3.5, 4, 4.5])
    }

    @Test func aPairGivesBothAndMalformedEntriesAreSkipped() {
        let variants = AlertQualityCommand.cusumVariants("0.5:5.5, 0.75:4,x,1:2:3,0.6:")
        #expect(variants.map(\.k) == [0.5, 0.75])
        #expect(variants.map(\.h) == [5.5, 4])
    }
}
