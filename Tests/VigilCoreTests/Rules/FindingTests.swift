import Testing

@testable import VigilCore

/// `Finding`: an explanation written only when read, compared and hashed as text.
@Suite struct FindingTests {
    private let period = Period.month(2013, 4)

    /// The words are made when read, not when the finding is made (a rule judges every period,
    /// but only a few findings become events).
    @Test func theExplanationIsWrittenOnlyWhenRead() {
        let counter = Counter()
        let finding = Finding(period: period, status: .clear, explanation: counter.words())
        #expect(counter.count == 0)
        #expect(finding.explanation == "words 1")
        #expect(counter.count == 1)
    }

    /// Two findings made differently but saying the same are equal and hash alike; a different
    /// explanation, or a set one, makes them differ.
    @Test func findingsCompareAndHashByTheirExplanationsText() {
        let a = Finding(period: period, status: .breach, value: 3, explanation: "3 is high")
        let three = 3
        let b = Finding(period: period, status: .breach, value: 3, explanation: "\(three) is high")
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        var c = b
        c.explanation = "3 is very high"
        #expect(c != a)
        #expect(c.explanation == "3 is very high")
        #expect(Set([a, c]).count == 2)
        var d = a
        d.value = 4
        #expect(d != a)
    }
}

/// Counts how often its words are asked for.
private final class Counter: @unchecked Sendable {
    var count = 0

    func words() -> String {
        count += 1
        return "words \(count)"
    }
}
