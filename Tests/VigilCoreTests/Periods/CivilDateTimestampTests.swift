import Foundation
import Testing
import VigilCore

/// Stored and journalled times are written without a Foundation formatter; they must be exactly
/// what `ISO8601DateFormatter` wrote before.
@Suite struct CivilDateTimestampTests {
    @Test func knownInstantsAreWrittenToTheSecond() {
        #expect(CivilDate.timestamp(unixSeconds: 0) == "1970-01-01T00:00:00Z")
        #expect(CivilDate.timestamp(unixSeconds: 1_796_376_849.304) == "2026-12-04T09:34:09Z")
        #expect(CivilDate.timestamp(unixSeconds: 951_782_399.999) == "2000-02-28T23:59:59Z")
        #expect(CivilDate.timestamp(unixSeconds: 951_782_400) == "2000-02-29T00:00:00Z")
        #expect(CivilDate.timestamp(unixSeconds: -1) == "1969-12-31T23:59:59Z")
        // Like the formatter, to the nearest millisecond first (found by the random instants below).
        #expect(CivilDate.timestamp(unixSeconds: 1_796_376_849.9994) == "2026-12-04T09:34:09Z")
        #expect(CivilDate.timestamp(unixSeconds: 1_796_376_849.9996) == "2026-12-04T09:34:10Z")
        // Half a millisecond before 1970 rounds up, as the formatter does (found by CI's random instants).
        #expect(CivilDate.timestamp(unixSeconds: -1_667_768_989.0005) == "1917-02-25T02:50:11Z")
    }

    @Test func everyInstantMatchesFoundationsFormatter() {
        let formatter = ISO8601DateFormatter()
        var generator = SystemRandomNumberGenerator()
        var instants: [Double] = [0, 86_399, 86_400, 4_102_444_799, 4_102_444_800, 1_709_164_800]
        for _ in 0..<20_000 { instants.append(Double.random(in: -2_000_000_000...4_200_000_000, using: &generator)) }
        // Instants on and beside a half millisecond, where rounding differs.
        for _ in 0..<20_000 {
            let whole = Double(Int.random(in: -2_000_000_000...4_200_000_000, using: &generator))
            let millisecond = Double(Int.random(in: 0..<1000, using: &generator)) / 1000
            instants.append(whole + millisecond + [0.0005, -0.0005, 0.0004999, 0.0005001].randomElement(using: &generator)!)
        }
        for seconds in instants {
            let expected = formatter.string(from: Date(timeIntervalSince1970: seconds))
            #expect(CivilDate.timestamp(unixSeconds: seconds) == expected, "\(seconds)")
        }
    }
}
