import Testing

@testable import VigilCore

@Suite struct AlertStateMachineTests {
    private let date = CivilDate(year: 2030, month: 1, day: 1)!

    private func step(_ machine: inout AlertStateMachine, _ rules: [Rule], _ obs: [Observation], at: CivilDate? = nil) -> [String]
    {
        let evaluation = Engine(catalogue: Fixtures.catalogue, rules: rules).evaluate(Dataset(obs), at: at ?? date)
        return machine.reconcile(evaluation, rules: rules, catalogue: Fixtures.catalogue).map {
            "\($0.event.rawValue) \($0.period)"
        }
    }

    @Test func forDelaysFiringAndAClearResolves() throws {
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}}", forPeriods: 2)
        var machine = AlertStateMachine()
        // 11 (pending 1/2), 12 fires at its second period, c holds, 5 resolves.
        #expect(step(&machine, [rule], Fixtures.monthly("2013-01", [11])) == [])
        let evaluation = Engine(catalogue: Fixtures.catalogue, rules: [rule]).evaluate(
            Dataset(Fixtures.monthly("2013-01", [11])), at: date)
        #expect(evaluation.pending.map { "\($0.since) \($0.count)/\($0.needed)" } == ["2013-01 1/2"])
        #expect(step(&machine, [rule], Fixtures.monthly("2013-01", [11, 12])) == ["firing 2013-02"])
        #expect(step(&machine, [rule], Fixtures.monthly("2013-01", [11, 12, nil])) == [])
        #expect(step(&machine, [rule], Fixtures.monthly("2013-01", [11, 12, nil, 5])) == ["resolved 2013-04"])
        #expect(machine.records.values.first?.state == .resolved)
        #expect(machine.records.values.first?.start == "2013-01")
    }

    @Test func reEvaluatingTheSameDataNeverFiresTwice() throws {
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}}")
        var machine = AlertStateMachine()
        let obs = Fixtures.monthly("2013-01", [5, 11, 12])
        #expect(step(&machine, [rule], obs) == ["firing 2013-02"])
        #expect(step(&machine, [rule], obs) == [])
        #expect(step(&machine, [rule], obs + Fixtures.monthly("2013-04", [13])) == [])
    }

    @Test func aRevisionThatRemovesTheBreachRetractsTheAlert() throws {
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}}")
        var machine = AlertStateMachine()
        #expect(step(&machine, [rule], Fixtures.monthly("2013-01", [5, 11])) == ["firing 2013-02"])
        let firingId = machine.records.values.first!.firingEvent.id
        // The partner revises February to 9: the episode never happened.
        #expect(step(&machine, [rule], Fixtures.monthly("2013-01", [5, 9])) == ["retracted 2013-02"])
        #expect(machine.firing.isEmpty)
        // Revised back to 11: it fires again, as a new generation with its own id, and only once.
        let events = Engine(catalogue: Fixtures.catalogue, rules: [rule]).evaluate(
            Dataset(Fixtures.monthly("2013-01", [5, 11])), at: date)
        let again = machine.reconcile(events, rules: [rule], catalogue: Fixtures.catalogue)
        #expect(again.map(\.event) == [.firing])
        #expect(again[0].id != firingId)
        let repeatEvaluation = Engine(catalogue: Fixtures.catalogue, rules: [rule]).evaluate(
            Dataset(Fixtures.monthly("2013-01", [5, 11])), at: date)
        #expect(machine.reconcile(repeatEvaluation, rules: [rule], catalogue: Fixtures.catalogue).isEmpty)
        #expect(machine.records.values.first?.generation == 1)
    }

    private func reconcile(_ machine: inout AlertStateMachine, _ rule: Rule, _ values: [Double?]) -> [AlertEvent] {
        let evaluation = Engine(catalogue: Fixtures.catalogue, rules: [rule]).evaluate(
            Dataset(Fixtures.monthly("2013-01", values)), at: date)
        return machine.reconcile(evaluation, rules: [rule], catalogue: Fixtures.catalogue)
    }

    /// A retraction says what happened: revised data, a changed rule, or SPC limits that moved as
    /// values arrived (issue 10: trial limits were reported as "revised data").
    @Test func aRetractionSaysWhatHappened() throws {
        let threshold = try Fixtures.rule("threshold", params: "{above: {warning: 10}}")
        var revised = AlertStateMachine()
        _ = reconcile(&revised, threshold, [5, 11])
        let byRevision = try #require(reconcile(&revised, threshold, [5, 9]).first)
        #expect(byRevision.message.hasSuffix(", February 2013: revised data no longer supports this alert"))
        #expect(
            byRevision.explanation == "data was revised, and the condition no longer holds for the episode that began 2013-02")

        var changed = AlertStateMachine()
        _ = reconcile(&changed, threshold, [5, 11])
        let stricter = try Fixtures.rule("threshold", params: "{above: {warning: 20}}")
        let byRule = try #require(reconcile(&changed, stricter, [5, 11]).first)
        #expect(byRule.event == .retracted)
        #expect(byRule.message.hasSuffix(", February 2013: the rule was changed and no longer finds this"))

        let spc = try Fixtures.rule("spc", params: "{tests: [outside_limits], baseline_periods: 12, signal: any}")
        var trial = AlertStateMachine()
        let fired = reconcile(&trial, spc, [10, 12, 10, 12, 10, 12, 22])
        #expect(fired.map(\.event) == [.firing])
        let byLimits = try #require(reconcile(&trial, spc, [10, 12, 10, 12, 10, 12, 22, 12]).first)
        #expect(byLimits.event == .retracted)
        #expect(
            byLimits.message.hasSuffix(
                ", July 2013: with the values received since, the process limits no longer support this alert"))
    }

    /// Nothing about the alerted period was revised (review helper-23): a month that arrived late
    /// either joined it to an earlier episode, or changed the values it is judged against. The
    /// retraction says which, not "revised data".
    @Test func aRetractionByLateOrEarlierValuesSaysSo() throws {
        let threshold = try Fixtures.rule("threshold", params: "{above: {warning: 10}}")
        var joined = AlertStateMachine()
        _ = reconcile(&joined, threshold, [5, 11, 12, 3])
        let superseded = try #require(reconcile(&joined, threshold, [20, 11, 12, 3]).last)
        #expect(superseded.event == .retracted)
        #expect(superseded.message.hasSuffix(", February 2013: it is now part of the alert that began January 2013"))
        #expect(
            superseded.explanation
                == "values for earlier periods arrived or were revised, and the episode is now part of the one that began 2013-01 (it began 2013-02)"
        )

        // Spike at June against April–May and February; May arrives late and June is no longer news.
        let spike = try Fixtures.rule("spike", params: "{periods: 3, k: 2, direction: up}")
        var late = AlertStateMachine()
        let june = reconcile(&late, spike, [10, 20, 10, 20, nil, 30])
        #expect(june.map(\.event) == [.firing])
        let byBaseline = try #require(reconcile(&late, spike, [10, 20, 10, 20, 25, 30]).first)
        #expect(byBaseline.event == .retracted)
        #expect(
            byBaseline.message.hasSuffix(
                ", June 2013: values for earlier periods, received or revised since, no longer support this alert"))
        #expect(
            byBaseline.explanation
                == "the value for 2013-06 is unchanged, but values it is judged against arrived or were revised; the condition no longer holds for the episode that began 2013-06"
        )
    }

    /// The board sets next year's target after an alert fired under the one carried over (review
    /// helper-24): nothing about the data changed, the reference did. The retraction says so,
    /// naming both targets, instead of "values for earlier periods".
    @Test func aRetractionByANewTargetOrBenchmarkSaysSo() throws {
        let target = try Fixtures.rule("target", "t.rate", params: "{}")
        let june = [Fixtures.observation("t.rate", "2013-06-30", 99)]
        var machine = AlertStateMachine()
        let fired = machine.reconcile(
            Engine(catalogue: Fixtures.catalogue, rules: [target]).evaluate(Dataset(june), at: date), rules: [target],
            catalogue: Fixtures.catalogue)
        #expect(fired.map(\.event) == [.firing])
        let newTarget = "targets: {\"2012/13\": 74.0, \"2013/14\": 100.0}"
        let yaml = Fixtures.catalogueYAML.replacingOccurrences(of: "targets: {\"2012/13\": 74.0}", with: newTarget)
        #expect(yaml != Fixtures.catalogueYAML)
        let catalogue = try Catalogue.parse(yaml: yaml, file: "catalogue.yaml")
        let events = machine.reconcile(
            Engine(catalogue: catalogue, rules: [target]).evaluate(Dataset(june), at: date), rules: [target],
            catalogue: catalogue)
        let retracted = try #require(events.first)
        #expect(events.count == 1)
        #expect(retracted.event == .retracted)
        #expect(
            retracted.message
                == "Retracted: Rate, 30 June 2013: the target it was judged against is now 100.0 per 10,000 for 2013/14 (it was 74.0 per 10,000)"
        )
        #expect(
            retracted.explanation
                == "the value for 2013-06-30 is unchanged, but the target for it is now 100.0 per 10,000 for 2013/14 (it was 74.0 per 10,000); the condition no longer holds for the episode that began 2013-06-30"
        )

        // The value revised as well (review helper-26: this read "revised data" alone).
        var both = AlertStateMachine()
        _ = both.reconcile(
            Engine(catalogue: Fixtures.catalogue, rules: [target]).evaluate(Dataset(june), at: date), rules: [target],
            catalogue: Fixtures.catalogue)
        let revised = [Fixtures.observation("t.rate", "2013-06-30", 98)]
        let withBoth = try #require(
            both.reconcile(
                Engine(catalogue: catalogue, rules: [target]).evaluate(Dataset(revised), at: date), rules: [target],
                catalogue: catalogue
            ).first)
        #expect(
            withBoth.message
                == "Retracted: Rate, 30 June 2013: the target it was judged against is now 100.0 per 10,000 for 2013/14 (it was 74.0 per 10,000), and the value was revised"
        )
        #expect(
            withBoth.explanation
                == "the value for 2013-06-30 was revised, and the target for it is now 100.0 per 10,000 for 2013/14 (it was 74.0 per 10,000); the condition no longer holds for the episode that began 2013-06-30"
        )

        // England's value is published late: a newer one than the alert was judged against.
        let benchmark = try Fixtures.rule("benchmark", "t.rate", params: "{against: england, use_latest: true}")
        var published = AlertStateMachine()
        _ = published.reconcile(
            Engine(catalogue: Fixtures.catalogue, rules: [benchmark]).evaluate(Dataset(june), at: date),
            rules: [benchmark], catalogue: Fixtures.catalogue)
        let england = try Catalogue.parse(
            yaml: Fixtures.catalogueYAML.replacingOccurrences(
                of: "england: {\"2012/13\": 60.0}", with: "england: {\"2012/13\": 60.0, \"2013/14\": 120.0}"),
            file: "catalogue.yaml")
        let withdrawn = try #require(
            published.reconcile(
                Engine(catalogue: england, rules: [benchmark]).evaluate(Dataset(june), at: date), rules: [benchmark],
                catalogue: england
            ).first)
        #expect(withdrawn.event == .retracted)
        #expect(
            withdrawn.message
                == "Retracted: Rate, 30 June 2013: England's value it was judged against is now 120.0 per 10,000 for 2013/14 (it was 60.0 per 10,000)"
        )
    }

    @Test func aResolvedEpisodeWhoseStartMovesIsRetractedAndReplaced() throws {
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}}")
        var machine = AlertStateMachine()
        #expect(step(&machine, [rule], Fixtures.monthly("2013-01", [5, 11, 12, 3])) == ["firing 2013-02", "resolved 2013-04"])
        // January revised to 20: the episode now starts in January.
        #expect(
            step(&machine, [rule], Fixtures.monthly("2013-01", [20, 11, 12, 3])) == [
                "firing 2013-01", "resolved 2013-04", "retracted 2013-02",
            ])
    }

    @Test func overdueResolvesWhenTheValueArrives() throws {
        let rule = try Fixtures.rule("overdue", params: "{days: 45}")
        var machine = AlertStateMachine()
        let june = CivilDate(year: 2013, month: 6, day: 20)!
        #expect(step(&machine, [rule], Fixtures.monthly("2013-01", [5, 6, 7]), at: june) == ["firing 2013-04"])
        #expect(step(&machine, [rule], Fixtures.monthly("2013-01", [5, 6, 7, 8]), at: june) == ["resolved 2013-04"])
    }

    @Test func aResolvedEpisodeThatStaysResolvedIsNotTouched() throws {
        // The cost of a file follows what changed: a store writes back only touched records.
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}}")
        var machine = AlertStateMachine()
        #expect(step(&machine, [rule], Fixtures.monthly("2013-01", [5, 11, 3])) == ["firing 2013-02", "resolved 2013-03"])
        var next = AlertStateMachine(keyed: machine.records)
        #expect(step(&next, [rule], Fixtures.monthly("2013-01", [5, 11, 3, 4])) == [])
        #expect(next.touched.isEmpty)
        #expect(next.records == machine.records)
        // An overdue alert that resolved, absent from a later evaluation, stays resolved and untouched.
        let overdue = try Fixtures.rule("overdue", params: "{days: 45}")
        let june = CivilDate(year: 2013, month: 6, day: 20)!
        var late = AlertStateMachine()
        _ = step(&late, [overdue], Fixtures.monthly("2013-01", [5, 6, 7]), at: june)
        _ = step(&late, [overdue], Fixtures.monthly("2013-01", [5, 6, 7, 8]), at: june)
        var after = AlertStateMachine(keyed: late.records)
        #expect(step(&after, [overdue], Fixtures.monthly("2013-01", [5, 6, 7, 8, 9]), at: june) == [])
        #expect(after.touched.isEmpty)
        #expect(after.records.values.map(\.state) == [.resolved])
    }

    @Test func originalsHoldTheTouchedRecordsAsTheyWere() throws {
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}}")
        var machine = AlertStateMachine()
        #expect(step(&machine, [rule], Fixtures.monthly("2013-01", [5, 11])) == ["firing 2013-02"])
        // A new episode has no original: the caller writes it.
        #expect(machine.touched.count == 1)
        #expect(machine.originals.isEmpty)
        let fired = try #require(machine.records.values.first)
        var next = AlertStateMachine(keyed: machine.records)
        #expect(step(&next, [rule], Fixtures.monthly("2013-01", [5, 11, 12])) == [])
        let key = try #require(next.touched.first)
        #expect(next.originals[key] == fired)
        #expect(next.records[key]?.latestPeriod == "2013-03")
        #expect(next.records[key] != fired)
    }

    @Test func eventsCarryTheContractFields() throws {
        let rule = try Fixtures.rule(
            "threshold", params: "{above: {warning: 10, critical: 20}}", breakdown: "{category: neglect}")
        var machine = AlertStateMachine()
        let obs = [Fixtures.observation("t.count", "2013-03", 21, ["category": "neglect"])]
        let evaluation = Engine(catalogue: Fixtures.catalogue, rules: [rule]).evaluate(Dataset(obs), at: date)
        let event = machine.reconcile(evaluation, rules: [rule], catalogue: Fixtures.catalogue)[0]
        #expect(event.breakdown == ["category": "neglect"])
        #expect(event.severity == .critical)
        #expect(event.priority == 1)
        #expect(event.message == "Test count (category neglect), March 2013: 21 is at or above the critical level of 20")
        #expect(event.sources == ["sha-t.count-2013-03"])
        #expect(event.ruleHash == rule.hash)
        #expect(event.id.count == 32)
        #expect(
            event.jsonLine.hasPrefix(
                "{\"id\":\"\(event.id)\",\"event\":\"firing\",\"rule\":\"r1\",\"kind\":\"threshold\",\"indicator\":\"t.count\",\"indicator_title\":\"Test count\",\"breakdown\":{\"category\":\"neglect\"},\"period\":\"2013-03\""
            ))
        #expect(
            event.jsonLine.contains("\"value\":21,\"expected\":20,\"unit\":\"count\",\"severity\":\"critical\",\"priority\":1,"))
    }
}
