import Testing
import VigilCore

/// The return schedule: when each supplied feed is due, and the overdue rules that follow from it.
struct ReturnScheduleTests {
    static let yaml = Fixtures.catalogueYAML.replacingOccurrences(
        of: "  - {id: police, name: Police}\n  - {id: council, name: Council}",
        with:
            "  - {id: police, name: Police, returns: {month: 45}}\n  - {id: council, name: Council, returns: {month: 30, financial_half_year: 90}}"
    ).replacingOccurrences(
        of:
            "{id: t.half, title: Half-yearly, unit: count, periodicity: financial_half_year, partners: [council], priorities: [2]}",
        with:
            "{id: t.half, title: Half-yearly, unit: count, periodicity: financial_half_year, partners: [council], priorities: [2], due_days: 60}"
    )

    @Test func dueDaysComeFromTheIndicatorOrTheEarliestPartnerReturn() throws {
        let catalogue = try Catalogue.parse(yaml: Self.yaml, file: "catalogue.yaml")
        let schedule = ReturnSchedule(catalogue: catalogue)
        let due = Dictionary(uniqueKeysWithValues: schedule.entries.map { ($0.indicator.id, $0.dueDays) })
        #expect(due["t.count"] == 45)  // police, monthly
        #expect(due["t.seasonal"] == 30)  // council, monthly
        #expect(due["t.half"] == 60)  // its own due_days beats the council's 90
        #expect(due["t.snap"] == .some(nil))  // a snapshot has no period to be late for
        #expect(due["t.share"] == nil)  // derived: not supplied, not scheduled
        let entry = try #require(schedule.entries.first { $0.indicator.id == "t.count" })
        #expect(entry.due(Period(parsing: "2013-04")!) == CivilDate(year: 2013, month: 6, day: 14))
        #expect(schedule.entries(for: "police").map(\.indicator.id) == ["t.count"])
    }

    @Test func everyScheduledFeedGetsAnOverdueRuleUnlessOneIsWritten() throws {
        let catalogue = try Catalogue.parse(yaml: Self.yaml, file: "catalogue.yaml")
        let written = try RuleSet.parse(
            files: [("r.yaml", "rules:\n  - {id: count-late, kind: overdue, indicator: t.count, params: {days: 10}}\n")],
            catalogue: catalogue)
        let generated = ReturnSchedule(catalogue: catalogue).overdueRules(excluding: written, catalogue: catalogue)
        #expect(generated.map(\.id) == ["due-t-pct", "due-t-half", "due-t-seasonal"])
        let half = try #require(generated.first { $0.id == "due-t-half" })
        #expect(half.kind.name == "overdue")
        if case .overdue(let p) = half.kind { #expect(p.days == 60) }
        #expect(half.severity == .info)
        #expect(half.priority == 2)
        // The generated rule fires like a written one, with the schedule in its action.
        let engine = Engine(catalogue: catalogue, rules: generated)
        let data = Dataset([Fixtures.observation("t.half", "2012/13-H1", 5)])
        let evaluation = engine.evaluate(data, at: CivilDate(year: 2013, month: 6, day: 30)!)
        let findings = evaluation.findings["due-t-half"]?[SeriesKey(indicator: "t.half")] ?? []
        #expect(findings.contains { $0.status == .breach && $0.period == Period(parsing: "2012/13-H2")! })
        #expect(
            half.action
                == "Remind Council to send {{title}} for {{period}}: the return schedule has it due 60 days after each period ends."
        )
    }

    @Test func aReturnScheduleIsValidatedWhereItIsWritten() {
        let diagnostics = Diagnostics()
        let yaml = Fixtures.catalogueYAML.replacingOccurrences(
            of: "  - {id: police, name: Police}", with: "  - {id: police, name: Police, returns: {snapshot: 5, month: -1}}"
        ).replacingOccurrences(
            of: "{id: t.pop, title: Population, unit: count, periodicity: snapshot, partners: [council], priorities: [2]}",
            with:
                "{id: t.pop, title: Population, unit: count, periodicity: snapshot, partners: [council], priorities: [2], due_days: 30}"
        )
        _ = Catalogue.parse(yaml: yaml, file: "c.yaml", diagnostics: diagnostics)
        #expect(
            VigilErrors(diagnostics.errors).description == """
                c.yaml:5:42: error[config.invalid]: returns: 'snapshot' is not a regular periodicity; expected one of: month, quarter, financial_half_year, financial_year
                c.yaml:5:62: error[config.invalid]: returns: days must be at least 0
                c.yaml:18:120: error[config.invalid]: due_days needs a regular periodicity; 't.pop' is reported as snapshots
                """)
    }

    /// Each indicator's period is the one of its own periodicity containing the period asked, or
    /// the latest that ended before the date.
    @Test func periodsForATemplate() {
        let april = CivilDate(year: 2013, month: 4, day: 10)!
        #expect(Period.containing(april, .financialYear).description == "2013/14")
        #expect(Period.containing(april, .financialHalfYear).description == "2013/14-H1")
        #expect(Period.containing(CivilDate(year: 2013, month: 2, day: 1)!, .financialHalfYear).description == "2012/13-H2")
        #expect(Period.containing(april, .quarter).description == "2013-Q2")
        #expect(Period.latestEnded(before: april, .month).description == "2013-03")
        #expect(Period.latestEnded(before: april, .financialYear).description == "2012/13")
        #expect(Period.latestEnded(before: CivilDate(year: 2013, month: 4, day: 1)!, .financialYear).description == "2012/13")
        #expect(Period.latestEnded(before: april, .snapshot).description == "2013-03-31")
    }

    @Test func aTemplateListsEveryIndicatorAndBreakdownValueWithItsDueDate() throws {
        let catalogue = try Catalogue.parse(yaml: Self.yaml, file: "catalogue.yaml")
        let csv = try #require(
            ReturnTemplate.csv(
                catalogue: catalogue, partner: "police", period: Period(parsing: "2013-04"),
                date: CivilDate(year: 2026, month: 1, day: 1)!))
        #expect(
            csv == """
                # Vigil return template for Police (police); made from the catalogue.
                # Fill in every value with the true count: the board needs small numbers too (digests hide them when published). Use c only where a value may not be shared, x if not available (see docs/feeds.md). A blank breakdown cell is the total.
                # Drop the file in the police folder, or check it first: vigil check --partner police FILE
                # t.count 2013-04: Test count; due by 2013-06-14
                indicator,period,value,category,gender
                t.count,2013-04,,,
                t.count,2013-04,,neglect,
                t.count,2013-04,,physical,
                t.count,2013-04,,sexual,
                t.count,2013-04,,,female
                t.count,2013-04,,,male

                """)
        #expect(
            ReturnTemplate.csv(
                catalogue: catalogue, partner: "nobody", period: nil, date: CivilDate(year: 2026, month: 1, day: 1)!) == nil)
    }

    /// Review helper-34: a template made in May 2012 asked police for 2012/13, and April's figures
    /// sent as the year read as a 92% fall. A period still running is named, without rows.
    @Test func aTemplateLeavesOutPeriodsThatHaveNotEnded() throws {
        let catalogue = try Catalogue.parse(yaml: Self.yaml, file: "catalogue.yaml")
        let csv = try #require(
            ReturnTemplate.csv(
                catalogue: catalogue, partner: "council", period: Period(parsing: "2013-04"),
                date: CivilDate(year: 2013, month: 5, day: 10)!))
        #expect(
            csv == """
                # Vigil return template for Council (council); made from the catalogue.
                # Fill in every value with the true count: the board needs small numbers too (digests hide them when published). Use c only where a value may not be shared, x if not available (see docs/feeds.md). A blank breakdown cell is the total.
                # Drop the file in the council folder, or check it first: vigil check --partner council FILE
                # t.snap 2013-04-30: Snapshot count; a snapshot: no due date in the schedule
                # t.rate 2013-04-30: Rate; a snapshot: no due date in the schedule
                # t.pct 2013-04: Stability; due by 2013-05-30
                # t.num 2013/14: left out, it ends 2014-03-31; send it once it is complete (no due date in the schedule)
                # t.den 2013/14: left out, it ends 2014-03-31; send it once it is complete (no due date in the schedule)
                # t.pop 2013-04-30: Population; a snapshot: no due date in the schedule
                # t.half 2013/14-H1: left out, it ends 2013-09-30; send it once it is complete (due by 2013-11-29)
                # t.seasonal 2013-04: Seasonal; due by 2013-05-30
                indicator,period,value,category
                t.snap,2013-04-30,,
                t.snap,2013-04-30,,neglect
                t.snap,2013-04-30,,physical
                t.snap,2013-04-30,,sexual
                t.rate,2013-04-30,,
                t.pct,2013-04,,
                t.pop,2013-04-30,,
                t.seasonal,2013-04,,

                """)
    }
}
