import Testing

@testable import VigilCore

/// A partner can make a series cross a threshold at every period (review helper-18: 250,000
/// daily values gave 130,000 to 250,000 alert events, and a restarted vigild loading their
/// records peaked at 1.6 GB). Only each rule and series' most recent `Engine.episodeLimit`
/// episodes are announced and kept; earlier ones are counted, never announced, never retracted,
/// except that one still firing is resolved (or, gone from the data, retracted).
@Suite struct EpisodeLimitTests {
    private let date = CivilDate(year: 2030, month: 1, day: 1)!

    /// `pairs` episodes from January 1900: 5 (clear) then 11 (breach), `phase` clear months first.
    private func flapping(_ pairs: Int, phase: Int = 0) -> [Observation] {
        let values: [Double?] = Array(repeating: 5, count: phase) + (0..<pairs).flatMap { _ in [5.0, 11] }
        return Fixtures.monthly("1900-01", values)
    }

    private func evaluate(_ rule: Rule, _ observations: [Observation]) -> Evaluation {
        Engine(catalogue: Fixtures.catalogue, rules: [rule]).evaluate(Dataset(observations), at: date)
    }

    @Test func aFlappingSeriesAnnouncesOnlyItsMostRecentEpisodes() throws {
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}}")
        let evaluation = evaluate(rule, flapping(500))
        let limit = Engine.episodeLimit
        #expect(limit == 64)
        #expect(evaluation.episodes.count == limit)
        // The last 64 breaches of 500: months 2 * (436 ... 499) + 1 after January 1900.
        var first = Period(parsing: "1900-01")!
        for _ in 0..<(2 * (500 - limit) + 1) { first = first.next! }
        #expect(evaluation.episodes.first?.start == first)
        #expect(evaluation.episodes.last?.resolved == nil)
        let omitted = evaluation.omitted[rule.id]?[SeriesKey(indicator: "t.count")]
        #expect(omitted == OmittedEpisodes(count: 500 - limit, before: first))
        var machine = AlertStateMachine()
        let events = machine.reconcile(evaluation, rules: [rule], catalogue: Fixtures.catalogue)
        // 63 fired and resolved, the last fires and is still firing.
        #expect(events.count == 2 * limit - 1)
        #expect(machine.records.count == limit)
    }

    @Test func aSeriesWithinTheLimitIsUnchanged() throws {
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}}")
        let evaluation = evaluate(rule, flapping(Engine.episodeLimit))
        #expect(evaluation.episodes.count == Engine.episodeLimit)
        #expect(evaluation.omitted.isEmpty)
    }

    @Test func episodesThatFallBeyondTheLimitAreNeitherAnnouncedNorRetracted() throws {
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}}")
        var machine = AlertStateMachine()
        #expect(machine.reconcile(evaluate(rule, flapping(10)), rules: [rule], catalogue: Fixtures.catalogue).count == 19)
        // 100 more months of flapping: the first ten episodes are now beyond the limit. The nine
        // resolved ones stay as they were; the tenth, firing, resolved in the new data (in
        // September 1901), and says so (review helper-19: it was retracted), so that nothing
        // fires for ever. Only the new episodes within the limit are announced.
        let events = machine.reconcile(evaluate(rule, flapping(110)), rules: [rule], catalogue: Fixtures.catalogue)
        #expect(events.filter { $0.event == .retracted }.isEmpty)
        #expect(events.filter { $0.event == .firing }.count == Engine.episodeLimit)
        let resolved = events.filter { $0.event == .resolved }
        #expect(resolved.count == Engine.episodeLimit)
        #expect(resolved.filter { $0.since == "1901-08" }.map(\.period) == ["1901-09"])
        #expect(machine.records.values.filter { $0.state == .resolved }.count == 10 + Engine.episodeLimit - 1)
        #expect(machine.records.count == 10 + Engine.episodeLimit)
        // The same for an episode that began first of 81: its revised values resolve it in April.
        var firingBeyond = AlertStateMachine()
        _ = firingBeyond.reconcile(evaluate(rule, flapping(1)), rules: [rule], catalogue: Fixtures.catalogue)
        let revised: [Double?] = [5, 11, 11] + (0..<80).flatMap { _ in [5.0, 11] }
        let later = firingBeyond.reconcile(
            evaluate(rule, Fixtures.monthly("1900-01", revised)), rules: [rule], catalogue: Fixtures.catalogue)
        #expect(later.filter { $0.event == .firing }.count == Engine.episodeLimit)
        #expect(later.filter { $0.event == .retracted }.isEmpty)
        let february = later.filter { $0.event == .resolved && $0.since == "1900-02" }
        #expect(february.map(\.period) == ["1900-04"])
        #expect(firingBeyond.firing.count == 1)
        // Beyond the limit and gone from the data (February revised to 5; 80 episodes from
        // April): the data no longer supports it, and it is retracted as any other would be.
        var gone = AlertStateMachine()
        _ = gone.reconcile(evaluate(rule, flapping(1)), rules: [rule], catalogue: Fixtures.catalogue)
        let moved: [Double?] = [5, 5] + (0..<80).flatMap { _ in [5.0, 11] }
        let retracted = gone.reconcile(
            evaluate(rule, Fixtures.monthly("1900-01", moved)), rules: [rule], catalogue: Fixtures.catalogue
        ).filter { $0.event == .retracted }
        #expect(retracted.map(\.period) == ["1900-02"])
        let reason = "Retracted: Test count, February 1900: revised data no longer supports this alert"
        #expect(retracted.first?.message == reason)
    }

    @Test func revisingAFlappingSeriesChangesAtMostTheLimitTwice() throws {
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}}")
        var machine = AlertStateMachine()
        _ = machine.reconcile(evaluate(rule, flapping(1000)), rules: [rule], catalogue: Fixtures.catalogue)
        // The same months revised one month later: every episode within the limit moves (the
        // earliest of the 64 before now begins before the new limit, and stays resolved).
        let events = machine.reconcile(evaluate(rule, flapping(1000, phase: 1)), rules: [rule], catalogue: Fixtures.catalogue)
        let limit = Engine.episodeLimit
        #expect(events.filter { $0.event == .retracted }.count == limit - 1)
        #expect(events.filter { $0.event == .firing }.count == limit)
        #expect(events.count <= 3 * limit)
        #expect(machine.records.count == 2 * limit)
    }
}

/// A revision that removes a long history's episodes retracted every one of them in one file
/// (review helper-19: 122,856 events, 42 s, 2 GB). Retractions are limited as announcements are.
@Suite struct RetractionLimitTests {
    private let date = CivilDate(year: 2030, month: 1, day: 1)!

    @Test func aFlatRevisionRetractsTheLatest64AtATime() throws {
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}}")
        let engine = Engine(catalogue: Fixtures.catalogue, rules: [rule])
        var machine = AlertStateMachine()
        // Sent 64 episodes at a time, in date order: 256 are recorded, all resolved but the last.
        for pairs in [64, 128, 192, 256] {
            let values: [Double?] = (0..<pairs).flatMap { _ in [5.0, 11] } + [5]
            _ = machine.reconcile(
                engine.evaluate(Dataset(Fixtures.monthly("1900-01", values)), at: date), rules: [rule],
                catalogue: Fixtures.catalogue)
        }
        #expect(machine.records.count == 256)
        #expect(machine.records.values.allSatisfy { $0.state == .resolved })
        // Every value revised to 5: no episode is left. Each evaluation retracts the latest 64.
        let flat = engine.evaluate(Dataset(Fixtures.monthly("1900-01", Array(repeating: 5, count: 513))), at: date)
        var retracted: [[String]] = []
        for _ in 0..<5 {
            retracted.append(
                machine.reconcile(flat, rules: [rule], catalogue: Fixtures.catalogue).filter { $0.event == .retracted }.map {
                    $0.period
                })
        }
        #expect(retracted.map(\.count) == [64, 64, 64, 64, 0])
        // The latest first: the first evaluation's earliest is the 193rd episode, in month 386.
        var month386 = Period(parsing: "1900-01")!
        for _ in 0..<385 { month386 = month386.next! }
        #expect(retracted[0].min() == "\(month386)")
        #expect(machine.records.values.allSatisfy { $0.state == .retracted })
    }
}

/// `AlertArchive`: of each rule and series' records, all but the latest 64 and the firing.
@Suite struct AlertArchiveTests {
    @Test func theLatest64AndAnyFiringOneStay() {
        var months: [Period] = []
        var period = Period(parsing: "1900-01")!
        for _ in 0..<72 {
            months.append(period)
            period = period.next!
        }
        let series = SeriesKey(indicator: "t.count")
        let other = SeriesKey(indicator: "t.count", breakdown: Breakdown(["category": "neglect"]))
        var held: [(key: AlertKey, state: AlertRecord.State)] = []
        // 70 records: the oldest firing, one retracted, the rest resolved; and 64 of another series.
        for (n, month) in months.prefix(70).enumerated() {
            held.append((AlertKey(rule: "r1", series: series, start: month), n == 0 ? .firing : n == 1 ? .retracted : .resolved))
        }
        for month in months.prefix(64) { held.append((AlertKey(rule: "r1", series: other, start: month), .resolved)) }
        held.append((AlertKey(rule: "r2", series: series, start: months[0]), .resolved))
        // 69 not retracted: the oldest 5 fall outside, of which the firing one stays.
        let archived = AlertArchive.beyondWindow(held).map { "\($0.start)" }.sorted()
        #expect(archived == ["1900-03", "1900-04", "1900-05", "1900-06"])
    }
}
