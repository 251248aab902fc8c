import Testing

@testable import VigilCore

/// `Indicator.reference`: which target or benchmark value applies to a judged period.
struct IndicatorReferenceTests {
    /// The lookup as first written (filtered copies), kept as the oracle.
    static func oracle(_ values: [Period: Double], for period: Period, latestEarlier: Bool) -> (period: Period, value: Double)? {
        if let value = values[period] { return (period, value) }
        if let match = values.filter({ $0.key.contains(period) }).min(by: { $0.key < $1.key }) {
            return (match.key, match.value)
        }
        guard latestEarlier else { return nil }
        return values.filter { $0.key.end <= period.end }.max { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    static func p(_ text: String) -> Period { Period(parsing: text)! }

    @Test func takesTheExactPeriodThenTheOneContainingItThenTheLatestEarlier() {
        let values: [Period: Double] = [Self.p("2012/13"): 10, Self.p("2013-Q2"): 20, Self.p("2014-01"): 30]
        #expect(Indicator.reference(values, for: Self.p("2014-01"))! == (Self.p("2014-01"), 30))
        #expect(Indicator.reference(values, for: Self.p("2013-05"))! == (Self.p("2013-Q2"), 20))
        #expect(Indicator.reference(values, for: Self.p("2013-02"))! == (Self.p("2012/13"), 10))
        #expect(Indicator.reference(values, for: Self.p("2014-05")) == nil)
        #expect(Indicator.reference(values, for: Self.p("2014-05"), latestEarlier: true)! == (Self.p("2014-01"), 30))
        #expect(Indicator.reference(values, for: Self.p("2011-05"), latestEarlier: true) == nil)
    }

    @Test func agreesWithTheFilteredLookupOnRandomValues() {
        let forms = [
            "2012-04", "2012-09", "2013-01", "2013-03", "2013-06", "2013-Q1", "2012-Q3", "2013-Q2", "2012/13", "2013/14",
            "2012/13-H1", "2012/13-H2", "2013/14-H1", "2013-03-31", "2012-09-30",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            var values: [Period: Double] = [:]
            for form in forms where Bool.random(using: &generator) { values[Self.p(form)] = Double.random(in: 0...100) }
            let judged = Self.p(forms.randomElement(using: &generator)!)
            for latest in [false, true] {
                let got = Indicator.reference(values, for: judged, latestEarlier: latest)
                let expected = Self.oracle(values, for: judged, latestEarlier: latest)
                #expect(got?.period == expected?.period && got?.value == expected?.value, "\(values) \(judged) \(latest)")
            }
        }
    }
}
