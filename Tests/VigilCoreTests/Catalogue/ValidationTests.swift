import Testing

@testable import VigilCore

@Suite struct ValidationTests {
    @Test func catalogueReportsEveryErrorWithItsPosition() {
        let yaml = """
            priorities:
              - {id: 1, title: One}
            partners:
              - {id: police, name: Police}
            indicators:
              - id: a.b
                title: A
                unit: parsecs
                periodicity: month
                colour: red
              - id: c.d
                title: C
                unit: count
                periodicity: fortnight
              - id: e.f
                title: E
                unit: count
                periodicity: month
                partners: [health]
                priorities: [9]
                targets: {"2013": 5}
              - id: g.h
                title: G
                unit: percent
                periodicity: month
                derived: {kind: percent, numerator: g.h, denominator: nowhere}
            """
        let diagnostics = Diagnostics()
        _ = Catalogue.parse(yaml: yaml, file: "cat.yaml", diagnostics: diagnostics)
        #expect(
            VigilErrors(diagnostics.errors).description == """
                cat.yaml:8:11: error[config.invalid]: unknown unit 'parsecs'; expected one of: count, percent, rate_per_10k, ratio, days
                cat.yaml:10:5: error[config.invalid]: unknown key 'colour' in an indicator; expected one of: derived, description, dimensions, due_days, england, id, of_count, partners, periodicity, plausible, polarity, priorities, seasonality, source, statistical_neighbours, targets, title, unit
                cat.yaml:14:18: error[config.invalid]: unknown periodicity 'fortnight'; expected one of: month, quarter, financial_year, financial_half_year, snapshot
                cat.yaml:15:5: error[config.invalid]: indicator 'e.f' names priority 9, which is not in the catalogue's priorities
                cat.yaml:15:5: error[config.invalid]: indicator 'e.f' names partner 'health', which is not in the catalogue's partners
                cat.yaml:21:15: error[config.invalid]: '2013' in targets is not a period (e.g. 2012/13, 2013-03, 2013-03-31)
                cat.yaml:22:5: error[config.invalid]: derived indicator 'g.h' reads 'nowhere', which is not in the catalogue
                cat.yaml:22:5: error[config.invalid]: derived indicator 'g.h' depends on itself
                """)
    }

    /// A dimension without a closed list of values would let a partner's free text (a child's
    /// name or reference) become a breakdown value, and so reach alerts, the journal and digests.
    @Test func aDimensionMustListItsValues() {
        let yaml = """
            priorities:
              - {id: 1, title: One}
            partners:
              - {id: police, name: Police}
            dimensions:
              gender: {title: Gender}
              ethnicity: {title: Ethnicity, values: []}
              category: {values: [neglect]}
            indicators:
              - {id: a.b, title: A, unit: count, periodicity: month, partners: [police], priorities: [1]}
            """
        let diagnostics = Diagnostics()
        _ = Catalogue.parse(yaml: yaml, file: "cat.yaml", diagnostics: diagnostics)
        #expect(
            VigilErrors(diagnostics.errors).description == """
                cat.yaml:6:11: error[config.invalid]: dimension 'gender' needs 'values', the closed list a partner may send (free text could carry a child's identifier into alerts)
                cat.yaml:7:41: error[config.invalid]: dimension 'ethnicity' needs 'values', the closed list a partner may send (free text could carry a child's identifier into alerts)
                """)
    }

    /// Subtotals name another declared dimension, their own values, and values of the other
    /// dimension, each in one group at most; every mistake is reported where it is.
    @Test func subtotalsAreCheckedAgainstBothDimensions() {
        let yaml = """
            priorities:
              - {id: 1, title: One}
            partners:
              - {id: police, name: Police}
            dimensions:
              ethnicity: {values: [white_british, white_irish, indian]}
              ethnic_group:
                values: [white, asian]
                subtotals:
                  of: ethnicity
                  groups:
                    white: [white_british, white_irsh]
                    asian: [indian, white_british]
                    black: [indian]
              age: {values: [a], subtotals: {of: age, groups: {}}}
              band: {values: [b], subtotals: {of: nowhere, groups: {}}}
            indicators:
              - {id: a.b, title: A, unit: count, periodicity: month, partners: [police], priorities: [1]}
            """
        let diagnostics = Diagnostics()
        let catalogue = Catalogue.parse(yaml: yaml, file: "cat.yaml", diagnostics: diagnostics)
        #expect(
            VigilErrors(diagnostics.errors).description == """
                cat.yaml:12:16: error[config.invalid]: dimension 'ethnic_group': subtotal 'white' adds up 'white_irsh', which is not a value of 'ethnicity'
                cat.yaml:13:16: error[config.invalid]: dimension 'ethnic_group': subtotal 'asian' adds up 'white_british', which subtotal 'white' adds up already
                cat.yaml:14:9: error[config.invalid]: dimension 'ethnic_group': subtotal 'black' is not one of its values (white, asian)
                cat.yaml:14:16: error[config.invalid]: dimension 'ethnic_group': subtotal 'black' adds up 'indian', which subtotal 'asian' adds up already
                cat.yaml:15:33: error[config.invalid]: dimension 'age': subtotals must add up another dimension's values, not its own
                cat.yaml:16:34: error[config.invalid]: dimension 'band': subtotals of 'nowhere', which is not declared under dimensions
                """)
        #expect(catalogue?.dimensions["ethnic_group"]?.subtotals?.groups["white"] == ["white_british", "white_irsh"])
    }

    /// `of_count` names the count a supplied percentage, rate or ratio is of.
    @Test func ofCountNamesACountForASuppliedRate() {
        let yaml = """
            priorities:
              - {id: 1, title: One}
            partners:
              - {id: police, name: Police}
            indicators:
              - {id: a.n, title: A, unit: count, periodicity: month, partners: [police]}
              - {id: a.pct, title: P, unit: percent, periodicity: month, partners: [police], of_count: a.n}
              - {id: b.pct, title: Q, unit: percent, periodicity: month, partners: [police], of_count: a.pct}
              - {id: c.n, title: C, unit: count, periodicity: month, partners: [police], of_count: a.n}
              - {id: d.pct, title: D, unit: percent, periodicity: month, partners: [police], of_count: nowhere}
            """
        let diagnostics = Diagnostics()
        let catalogue = Catalogue.parse(yaml: yaml, file: "cat.yaml", diagnostics: diagnostics)
        #expect(
            VigilErrors(diagnostics.errors).description == """
                cat.yaml:8:5: error[config.invalid]: indicator 'b.pct': of_count names 'a.pct', which is not a count
                cat.yaml:9:5: error[config.invalid]: indicator 'c.n': of_count is for a supplied percentage, rate or ratio (derived ones know their counts)
                cat.yaml:10:5: error[config.invalid]: indicator 'd.pct': of_count names 'nowhere', which is not in the catalogue
                """)
        #expect(catalogue?.indicator("a.pct")?.ofCount == "a.n")
    }

    /// `plausible` (review helper-34): at least one end, min below max, a percentage's within
    /// 0 to 100; every error with its position.
    @Test func aPlausibleRangeIsValidatedWhereItIsWritten() throws {
        let yaml = """
            priorities:
              - {id: 1, title: One}
            partners:
              - {id: police, name: Police}
            indicators:
              - {id: a.b, title: A, unit: percent, periodicity: month, plausible: {min: 20, max: 120}}
              - {id: c.d, title: C, unit: count, periodicity: month, plausible: {min: 50, max: 10}}
              - {id: e.f, title: E, unit: count, periodicity: month, plausible: {}}
              - {id: g.h, title: G, unit: rate_per_10k, periodicity: month, plausible: {min: 10, typical: 40}}
            """
        let diagnostics = Diagnostics()
        _ = Catalogue.parse(yaml: yaml, file: "cat.yaml", diagnostics: diagnostics)
        #expect(
            VigilErrors(diagnostics.errors).description == """
                cat.yaml:6:71: error[config.invalid]: a percentage's plausible range must lie within 0 to 100
                cat.yaml:7:69: error[config.invalid]: plausible min 50 must be below max 10
                cat.yaml:8:69: error[config.invalid]: plausible needs min, max or both
                cat.yaml:9:86: error[config.invalid]: unknown key 'typical' in plausible; expected one of: max, min
                """)
        let valid = try Catalogue.parse(
            yaml: yaml.components(separatedBy: "\n").prefix(5).joined(separator: "\n")
                + "\n  - {id: i.j, title: I, unit: rate_per_10k, periodicity: month, plausible: {max: 400}}\n",
            file: "cat.yaml")
        #expect(valid.indicator("i.j")?.plausible == PlausibleRange(max: 400))
    }

    @Test func rulesReportEveryErrorWithItsPosition() {
        let yaml = """
            rules:
              - id: ok
                kind: threshold
                indicator: t.count
                params: {above: {warning: 10}}
              - id: bad-kind
                kind: guess
                indicator: t.count
              - id: bad-indicator
                kind: trend
                indicator: t.nothing
                params: {periods: 3}
              - id: bad-params
                kind: threshold
                indicator: t.count
                priority: 9
                params: {above: {warning: 10, critical: 5}, recovery: 12, colour: red}
              - id: no-target
                kind: target
                indicator: t.count
              - id: bad-breakdown
                kind: band
                indicator: t.count
                breakdown: {category: abuse, age: "*"}
                params: {low: 5, high: 1}
              - id: ok
                kind: trend
                indicator: t.count
                params: {periods: 2}
            """
        let diagnostics = Diagnostics()
        let rules = RuleSet.parse(files: [("r.yaml", yaml)], catalogue: Fixtures.catalogue, diagnostics: diagnostics)
        #expect(rules.map(\.id) == ["ok"])
        #expect(
            VigilErrors(diagnostics.errors).description == """
                r.yaml:7:11: error[rule.invalid]: unknown rule kind 'guess'; expected one of: threshold, target, benchmark, change, spike, spc, cusum, trend, band, quality, overdue
                r.yaml:11:16: error[rule.invalid]: rule 'bad-indicator' watches unknown indicator 't.nothing'; expected an id from the catalogue
                r.yaml:16:15: error[rule.invalid]: priority 9 is not one of the board's priorities (1, 2)
                r.yaml:17:21: error[rule.invalid]: the critical level 5.0 must be at or above the warning level 10.0
                r.yaml:17:59: error[rule.invalid]: recovery 12.0 must be on the safe side of the level 10.0 (below it)
                r.yaml:17:63: error[config.invalid]: unknown key 'colour' in threshold params; expected one of: above, below, binomial_p, min_denominator, recovery
                r.yaml:18:5: error[rule.invalid]: indicator 't.count' has no targets values in the catalogue, so this rule could never fire
                r.yaml:24:27: error[rule.invalid]: 'abuse' is not a category; expected '*' or one of: neglect, physical, sexual
                r.yaml:24:34: error[rule.invalid]: 't.count' has no 'age' breakdown; its dimensions are: category, gender
                r.yaml:25:13: error[rule.invalid]: band low 5.0 must be below high 1.0
                r.yaml:26:5: error[rule.invalid]: duplicate rule id 'ok'; first defined at r.yaml:2:5
                """)
    }

    @Test func yamlSyntaxErrorsHaveAPosition() {
        let diagnostics = Diagnostics()
        _ = RuleSet.parse(
            yaml: "rules:\n  - id: x\n    kind: [unclosed\n", file: "r.yaml", catalogue: Fixtures.catalogue,
            diagnostics: diagnostics)
        #expect(diagnostics.errors.count == 1)
        #expect(diagnostics.errors[0].location?.file == "r.yaml")
        #expect(diagnostics.errors[0].location?.line != nil)
        #expect(diagnostics.errors[0].description.contains("error[config.invalid]: invalid YAML"))
    }
}

@Suite struct DuplicateRuleIdTests {
    @Test func aDuplicateIdIsReportedEvenWhenOneOfTheRulesHasOtherErrors() {
        let yaml = """
            rules:
              - {id: same, kind: trend, indicator: t.nothing, params: {periods: 3}}
              - {id: same, kind: trend, indicator: t.count, params: {periods: 3}}
            """
        let diagnostics = Diagnostics()
        let rules = RuleSet.parse(files: [("r.yaml", yaml)], catalogue: Fixtures.catalogue, diagnostics: diagnostics)
        #expect(rules.isEmpty)
        #expect(
            diagnostics.errors.map(\.description).contains(
                "r.yaml:3:5: error[rule.invalid]: duplicate rule id 'same'; first defined at r.yaml:2:5"))
        #expect(diagnostics.errors.count == 2)
    }
}
