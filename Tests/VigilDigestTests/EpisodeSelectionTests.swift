import Testing
import VigilStore

@testable import VigilCore
@testable import VigilDigest

/// `EpisodeSelection` chooses a digest's episodes from records offered one at a time; these tests
/// hold it to the rule the digest applied to every record at once before (kept below as the
/// reference), on random stores and windows.
@Suite struct EpisodeSelectionTests {
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func event(
        _ kind: AlertEvent.Kind, id: String, rule: String, indicator: String, period: String, priority: Int = 1
    ) -> AlertEvent {
        AlertEvent(
            id: id, event: kind, rule: rule, kind: "threshold", indicator: indicator, indicatorTitle: indicator,
            breakdown: [:], period: period, periodLabel: period, since: period, value: 1, expected: nil, unit: "count",
            severity: .warning, priority: priority, priorityTitle: "P", message: "m", explanation: "e", action: nil, signal: nil,
            ruleHash: "h", sources: [], evaluatedAt: "2014-12-31")
    }

    static func month(_ n: Int) -> String { "\(2012 + n / 12)-\(n % 12 < 9 ? "0" : "")\(n % 12 + 1)" }

    /// Recording times by event id.
    static func eventSeqs(_ events: [RecordedEvent]) -> [String: Int64] {
        Dictionary(events.map { ($0.id, $0.seq) }, uniquingKeysWith: { a, _ in a })
    }

    /// Random records of a few alerts, with each event's position in the event log.
    static func store(_ g: inout Generator) -> (records: [AlertRecord], eventSeqs: [String: Int64]) {
        var records: [AlertRecord] = []
        var eventSeqs: [String: Int64] = [:]
        for n in 0..<Int.random(in: 0...60, using: &g) {
            let rule = ["r1", "r2"].randomElement(using: &g)!
            let indicator = ["i1", "i2"].randomElement(using: &g)!
            let start = Int.random(in: 0..<36, using: &g)
            let state = [AlertRecord.State.firing, .resolved, .resolved, .retracted].randomElement(using: &g)!
            // A rule's priority can change in the configuration: older episodes keep the old one.
            let priority = Int.random(in: 1...2, using: &g)
            let firing = event(.firing, id: "f\(n)", rule: rule, indicator: indicator, period: month(start), priority: priority)
            let closing =
                state == .firing
                ? firing
                : event(
                    state == .resolved ? .resolved : .retracted, id: "c\(n)", rule: rule, indicator: indicator,
                    period: month(start + Int.random(in: 0...6, using: &g)), priority: priority)
            let at = Int.random(in: 0..<50, using: &g)
            eventSeqs[firing.id] = Int64(at)
            eventSeqs[closing.id] = Int64(at + Int.random(in: 0...20, using: &g))
            records.append(
                AlertRecord(
                    rule: rule, indicator: indicator, breakdown: ["", "a=1"].randomElement(using: &g)!, start: month(start),
                    state: state, firingEvent: firing, lastEvent: closing, latestPeriod: closing.period, generation: nil,
                    current: nil))
        }
        return (records, eventSeqs)
    }

    /// The rule as the digest applied it to every record at once before the selection, section
    /// by section: of each priority's records, each one's status, then per alert the live first,
    /// then the latest start (input order among equals), `episodesShown` kept, the first counting
    /// the rest.
    static func reference(_ records: [AlertRecord], window: DigestWindow, eventSeqs: [String: Int64])
        -> [(key: String, status: Digest.Status, earlier: Int)]
    {
        var out: [(index: Int, key: String, status: Digest.Status, earlier: Int)] = []
        for priority in 1...2 {
            let chosen = records.enumerated().compactMap { i, r in
                r.firingEvent.priority == priority
                    ? Digest.status(of: AlertRecordSummary(r, eventSeqs: eventSeqs), window: window).map { (i, r, $0) } : nil
            }
            var groups: [String: [Int]] = [:]
            for (i, (_, r, _)) in chosen.enumerated() {
                groups["\(r.rule)\u{0}\(r.indicator)\u{0}\(r.breakdown)", default: []].append(i)
            }
            var earlier: [Int: Int] = [:]
            var dropped = Set<Int>()
            for (_, members) in groups where members.count > Digest.episodesShown {
                let ranked = members.sorted { a, b in
                    let live = { (i: Int) in chosen[i].1.state == .firing ? 0 : 1 }
                    return (live(a), chosen[b].1.start, a) < (live(b), chosen[a].1.start, b)
                }
                earlier[ranked[0]] = ranked.count - Digest.episodesShown
                dropped.formUnion(ranked.dropFirst(Digest.episodesShown))
            }
            for i in chosen.indices where !dropped.contains(i) {
                out.append((chosen[i].0, chosen[i].1.firingEvent.id, chosen[i].2, earlier[i] ?? 0))
            }
        }
        return out.sorted { $0.index < $1.index }.map { ($0.key, $0.status, $0.earlier) }
    }

    @Test func recordsOfferedOneAtATimeAreChosenAsAllAtOnce() {
        var g = Generator(state: 20_261_206)
        var compared = 0
        var counted = 0
        for _ in 0..<400 {
            let (records, eventSeqs) = Self.store(&g)
            let from = Int.random(in: 0..<36, using: &g)
            let windows: [DigestWindow] = [
                .recorded(since: nil),
                .recorded(
                    since: DigestMark(generatedAt: "2026-01-10T00:00:00Z", eventSeq: Int64(Int.random(in: 0..<60, using: &g)))),
                .dataPeriods(
                    from: Period(parsing: Self.month(from))!.start,
                    to: Period(parsing: Self.month(from + Int.random(in: 0...8, using: &g)))!.end),
            ]
            for window in windows {
                let selection = EpisodeSelection(window: window, records: records, eventSeqs: eventSeqs)
                let got = selection.chosen.map { ($0.summary.firingID, $0.status, $0.earlier) }
                let want = Self.reference(records, window: window, eventSeqs: eventSeqs)
                #expect(got.map(\.0) == want.map(\.key))
                #expect(got.map(\.1) == want.map(\.status))
                #expect(got.map(\.2) == want.map(\.earlier))
                #expect(selection.firing.map(\.firingID) == records.filter { $0.state == .firing }.map(\.firingEvent.id))
                #expect(selection.rules == Set(records.map(\.rule)))
                compared += got.count
                counted += got.filter { $0.2 > 0 }.count
            }
        }
        // The comparison is not vacuous: many episodes were chosen, and some alerts had more
        // than are shown.
        #expect(compared > 10_000)
        #expect(counted > 100)
    }
}
