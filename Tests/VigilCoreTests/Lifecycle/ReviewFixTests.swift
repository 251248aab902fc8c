import Testing

@testable import VigilCore

/// Edge cases found in review: each pins behaviour that once was wrong.
@Suite struct ReviewFixTests {
    private let date = CivilDate(year: 2030, month: 1, day: 1)!

    private func events(_ machine: inout AlertStateMachine, _ rule: Rule, _ obs: [Observation], at: CivilDate? = nil)
        -> [AlertEvent]
    {
        let evaluation = Engine(catalogue: Fixtures.catalogue, rules: [rule]).evaluate(Dataset(obs), at: at ?? date)
        return machine.reconcile(evaluation, rules: [rule], catalogue: Fixtures.catalogue)
    }

    @Test func aResolvedEpisodeThatFiresAgainGetsANewId() throws {
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}}")
        var machine = AlertStateMachine()
        let first = events(&machine, rule, Fixtures.monthly("2013-01", [11, 5]))
        #expect(first.map(\.event) == [.firing, .resolved])
        // February revised to censored: the clearing value is gone, so the episode fires again.
        let again = events(&machine, rule, Fixtures.monthly("2013-01", [11, nil]))
        #expect(again.map(\.event) == [.firing])
        #expect(!first.map(\.id).contains(again[0].id))
    }

    @Test func overdueResolvedByLaterPeriodsSaysTheGapRemains() throws {
        let rule = try Fixtures.rule("overdue", params: "{days: 10, gap_days: 0}")
        var machine = AlertStateMachine()
        let june = CivilDate(year: 2013, month: 6, day: 1)!
        #expect(
            events(&machine, rule, Fixtures.monthly("2013-01", [1, 2]), at: june).map { "\($0.event) \($0.period)" } == [
                "firing 2013-03"
            ])
        let resolved = events(&machine, rule, Fixtures.monthly("2013-01", [1, 2]) + Fixtures.monthly("2013-04", [4]), at: june)
        #expect(resolved.map { "\($0.event) \($0.period)" } == ["resolved 2013-03"])
        #expect(resolved[0].value == nil)
        #expect(resolved[0].message.hasSuffix("no longer overdue because later values arrived, but 2013-03 is still missing"))
    }

    /// With gaps chased (the default), the alert stays firing when a later month arrives, and
    /// resolves when the gap's value arrives or when the gap is older than `gap_days`.
    @Test func aChasedGapResolvesWhenItsValueArrivesOrItAgesOut() throws {
        let rule = try Fixtures.rule("overdue", params: "{days: 10}")
        let june = CivilDate(year: 2013, month: 6, day: 1)!
        let before = Fixtures.monthly("2013-01", [1, 2])
        let gap = before + Fixtures.monthly("2013-04", [4])
        var filled = AlertStateMachine()
        #expect(events(&filled, rule, before, at: june).map { "\($0.event) \($0.period)" } == ["firing 2013-03"])
        #expect(events(&filled, rule, gap, at: june).isEmpty)
        #expect(filled.firing.map(\.start) == ["2013-03"])
        let received = events(&filled, rule, gap + Fixtures.monthly("2013-03", [3]), at: june)
        #expect(received.map { "\($0.event) \($0.period)" } == ["resolved 2013-03"])
        #expect(received.first?.value == 3)
        // How late it came, as the chair reads it (review helper-28: the card said "due by
        // 2023-01-14, 1 day overdue" for a return that came a month late).
        #expect(received.first?.explanation == "a value for 2013-03 has now been received, 52 days after it was due (2013-04-10)")

        var aged = AlertStateMachine()
        _ = events(&aged, rule, gap, at: june)
        let latest = Fixtures.monthly("2013-05", Array(repeating: 5, count: 22))  // up to 2015-02
        let out = events(&aged, rule, gap + latest, at: CivilDate(year: 2015, month: 4, day: 1)!)
        #expect(out.map { "\($0.event) \($0.period)" } == ["resolved 2013-03"])
        #expect(out.first?.value == nil)
        #expect(
            out.first?.message.hasSuffix(
                "no longer chased: 2013-03 is still missing, and gaps are chased for 730 days after their period ends") == true)
    }

    /// Review helper-24: a trailing overdue month that became a gap was resolved "no longer
    /// chased" although still chased, and fired again; a run of missing months aged out one month
    /// at a time. A gap's alert is keyed at the first month of its run, and the run ages out once.
    @Test func aGapKeepsItsAlertUntilItArrivesAndAgesOutOnce() throws {
        let rule = try Fixtures.rule("overdue", params: "{days: 10}")
        let september = CivilDate(year: 2013, month: 9, day: 20)!
        let sent = Fixtures.monthly("2013-01", [1]) + Fixtures.monthly("2013-03", [3, 4, 5, 6])
        var machine = AlertStateMachine()
        #expect(
            events(&machine, rule, sent, at: september).map { "\($0.event) \($0.period)" } == [
                "firing 2013-02", "firing 2013-07",
            ])
        let august = sent + Fixtures.monthly("2013-08", [8])
        #expect(events(&machine, rule, august, at: september).isEmpty)
        let february = august + Fixtures.monthly("2013-02", [2])
        #expect(events(&machine, rule, february, at: september).map { "\($0.event) \($0.period)" } == ["resolved 2013-02"])

        var aging = AlertStateMachine()
        let run = Fixtures.monthly("2013-01", [1]) + Fixtures.monthly("2013-06", [6])
        let june = CivilDate(year: 2013, month: 6, day: 20)!
        #expect(events(&aging, rule, run, at: june).map { "\($0.event) \($0.period)" } == ["firing 2013-02"])
        // (July 2013 onwards are overdue after the latest value: their one alert is not the gap's.)
        for month in [3, 4, 5] {
            let later = events(&aging, rule, run, at: CivilDate(year: 2015, month: month, day: 15)!)
            #expect(later.filter { $0.period != "2013-07" }.isEmpty)
        }
        let gone = events(&aging, rule, run, at: CivilDate(year: 2015, month: 6, day: 1)!).filter { $0.period != "2013-07" }
        #expect(gone.map { "\($0.event) \($0.period)" } == ["resolved 2013-02"])
        #expect(
            gone.first?.message.hasSuffix(
                "no longer chased: 2013-02 is still missing, and gaps are chased for 730 days after their period ends") == true)
    }

    @Test func recoveryBandAppliesOnlyOnceFiring() throws {
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}, recovery: 8}", forPeriods: 2)
        // 11 is pending (1 of 2); 9 is in the band but nothing fires yet, so it clears the run.
        #expect(Fixtures.statuses(Fixtures.findings(rule, Fixtures.monthly("2013-01", [11, 9, 11]))) == "BCB")
        #expect(Fixtures.statuses(Fixtures.findings(rule, Fixtures.monthly("2013-01", [11, 12, 9, 7]))) == "BBHC")
    }

    @Test func templatesAreFilledOnceAndUnknownPlaceholdersAreErrors() throws {
        #expect(
            AlertEventFactory.fill("{{title}}: {{value}} ({{x}}) {{", ["title": "{{value}}", "value": "3"])
                == "{{value}}: 3 ({{x}}) {{")
        let diagnostics = Diagnostics()
        _ = RuleSet.parse(
            yaml:
                "rules:\n  - {id: r, kind: band, indicator: t.count, priority: 1, params: {low: 1}, message: \"{{valeu}} low\"}\n",
            file: "r.yaml", catalogue: Fixtures.catalogue, diagnostics: diagnostics)
        #expect(
            diagnostics.errors.map(\.description) == [
                "r.yaml:2:85: error[rule.invalid]: unknown placeholder {{valeu}} in the message; expected one of: title, indicator, breakdown, period, value, expected, explanation, severity, since"
            ])
    }

    @Test func theRuleHashFollowsTheDefinitionNotItsLayout() throws {
        let a = try RuleSet.parse(
            files: [("a.yaml", "rules:\n  - {id: r, kind: band, indicator: t.count, priority: 1, params: {low: 1}}\n")],
            catalogue: Fixtures.catalogue)
        let b = try RuleSet.parse(
            files: [
                (
                    "b.yaml",
                    "rules:\n  - id: r\n    priority: 1\n    kind: band\n    indicator: t.count\n    params:\n      low: 1\n"
                )
            ], catalogue: Fixtures.catalogue)
        let c = try RuleSet.parse(
            files: [("c.yaml", "rules:\n  - {id: r, kind: band, indicator: t.count, priority: 1, params: {low: 2}}\n")],
            catalogue: Fixtures.catalogue)
        #expect(a[0].hash == b[0].hash)
        #expect(a[0].hash != c[0].hash)
    }

    @Test func duplicateYAMLKeysArePinpointed() {
        let diagnostics = Diagnostics()
        _ = RuleSet.parse(
            yaml: "rules:\n  - id: a\n    id: b\n", file: "r.yaml", catalogue: Fixtures.catalogue, diagnostics: diagnostics)
        #expect(diagnostics.errors.count == 1)
        #expect(diagnostics.errors[0].location?.line != nil)
        #expect(diagnostics.errors[0].description.contains("duplicate key 'id' in a mapping"))
        #expect(!diagnostics.errors[0].description.contains("\n"))
    }

    @Test func exponentNumbersAndInvalidJSONBreakdowns() {
        let parser = FeedParser(catalogue: Fixtures.catalogue)
        let ok = parser.parse(
            bytes: Array("indicator,period,value\nt.count,2013-03,1e3\n".utf8), file: "f.csv", partner: "police")
        #expect(ok.observations.first?.value == .number(1000))
        let json =
            "[{\"indicator\":\"t.count\",\"period\":\"2013-03\",\"value\":1,\"breakdown\":\"neglect\"},{\"indicator\":\"t.count\",\"period\":\"2013-03\",\"value\":2}]"
        let feed = parser.parse(bytes: Array(json.utf8), file: "f.json", partner: "police")
        // The bad breakdown rejects its row only; the second row is no duplicate of it.
        #expect(
            feed.errors.map(\.description) == [
                "f.json:1:66: error[feed.dimension]: \"breakdown\" must be an object of dimension: value, found a string"
            ])
    }
}
