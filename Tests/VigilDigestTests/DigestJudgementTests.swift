import Foundation
import Testing
import VigilCore
import VigilStore

@testable import VigilDigest

/// A quiet priority is not all clear when its rules could not judge the window's figures: too
/// little history for a chart, or figures below a rule's floor. A board trying Vigil on its own
/// first year of data read "Green: monitored, no warning live" for priorities whose every rule was
/// still holding.
@Suite struct DigestJudgementTests {
    /// The shared world with a third priority whose only rule is a chart that needs 15 values,
    /// and a chart on CAFs beside their threshold.
    static let catalogue =
        DigestTests.catalogueYAML.replacingOccurrences(
            of: "{id: 2, title: \"Protection <b>now</b>\"}]",
            with: "{id: 2, title: \"Protection <b>now</b>\"}, {id: 3, title: Learning}]")
        + "\n  - {id: s.audits, title: Audits, unit: count, periodicity: month, partners: [council], priorities: [3]}\n"
    static let rules =
        DigestTests.rulesYAML + "\n"
            + """
              - {id: caf-spc, kind: spc, indicator: c.count, priority: 1, params: {min_points: 15}}
              - {id: audits-spc, kind: spc, indicator: s.audits, priority: 3, params: {min_points: 15}}
              - {id: audits-small, kind: cusum, indicator: s.audits, priority: 3, params: {periods: 3, min_mean: 30}}

            """

    let year = DigestWindow.dataPeriods(
        from: CivilDate(year: 2013, month: 1, day: 1)!, to: CivilDate(year: 2013, month: 12, day: 31)!)

    @Test func aPriorityWhoseRulesCouldNotJudgeIsNotAllClear() throws {
        let w = try DigestTests().world(catalogue: Self.catalogue, rules: Self.rules)
        try w.ingest(
            "council", "indicator,period,value\n" + (1...6).map { "s.audits,2013-0\($0),\(5 + $0 % 2)\n" }.joined(), "s.csv")
        let digest = try w.digest(year)
        // Priority 1: the threshold judged the CAFs; the chart, with 4 values of 15, could not.
        let caf = digest.cover.lines[0]
        #expect(caf.standing == .green)
        #expect(
            Digest.coverText(caf)
                == "Green: monitored, no warning live. Live: none; closed in the window: 1; only 1 of 2 rules could judge the window's figures (the others: too little history yet)"
        )
        // Priority 3: a chart short of history and a sustained-change rule below its floor of 30.
        let audits = digest.cover.lines[2]
        #expect(audits.standing == .grey)
        #expect(
            Digest.coverText(audits)
                == "Grey: no rule could judge the window's figures (too little history yet; figures too small to judge); not all clear. Live: none; closed in the window: 0"
        )
        #expect(
            digest.unjudgedLines.map { "\($0.priority) \($0.text)" } == [
                "1 too little history yet: CAFs (process chart)",
                "3 too little history yet: Audits (process chart)",
                "3 figures too small to judge: Audits (sustained-change check)",
            ])
        #expect(
            digest.markdown.contains(
                "## Not judged in the window\n\n\(Digest.unjudgedIntro)\n\n- Priority 1: too little history yet: CAFs (process chart)\n- Priority 3: too little history yet: Audits (process chart)\n"
            ))
        #expect(digest.text.contains("\n  Priority 1: too little history yet: CAFs (process chart)\n"))
        #expect(digest.html.contains("<li>Priority 1: too little history yet: CAFs (process chart)</li>"))
    }

    /// What stands at the window's end decides (review helper-44): a chart that judged in the
    /// window's first months but whose latest figure is withheld has not judged the window.
    @Test func aRuleWhoseLatestFigureInTheWindowIsWithheldHasNotJudged() throws {
        let w = try DigestTests().world(catalogue: Self.catalogue, rules: Self.rules)
        var csv = "indicator,period,value\n"
        for month in 1...12 { csv += "s.audits,2012-\(month < 10 ? "0" : "")\(month),\(40 + month % 3)\n" }
        try w.ingest(
            "council", csv + (1...6).map { "s.audits,2013-0\($0),\($0 < 6 ? "\(41 + $0 % 2)" : "c")\n" }.joined(), "s.csv")
        let line = try w.digest(year).cover.lines[2]
        // The chart judged January to May 2013 (min_points 15 from the 15th value); June is withheld.
        #expect(line.judgement.unjudged.map(\.reason) == [.withheld, .withheld])
        #expect(line.standing == .grey)
    }

    /// A rule on a derived indicator whose inputs have not all come has no findings at all; when
    /// some of its inputs have figures in the window it counts as not judged (review helper-44).
    @Test func aDerivedIndicatorMissingAnInputIsNotJudged() throws {
        let catalogue =
            Self.catalogue
            + "  - {id: d.num, title: Numerator, unit: count, periodicity: month, partners: [council], priorities: [3]}\n"
            + "  - {id: d.den, title: Denominator, unit: count, periodicity: month, partners: [council], priorities: [3]}\n"
            + "  - {id: d.share, title: Share, unit: percent, periodicity: month, priorities: [3], derived: {kind: percent, numerator: d.num, denominator: d.den}}\n"
            + "  - {id: d.fy, title: Yearly numerator, unit: count, periodicity: financial_year, priorities: [3], derived: {kind: period_sum, input: d.num}}\n"
        // A year's sum before its year has ended has every figure it is computed from: not counted
        // (review helper-45: it read "not all the figures … received").
        let rules =
            Self.rules
            + "  - {id: share-high, kind: threshold, indicator: d.share, priority: 3, params: {above: {warning: 50}}}\n"
            + "  - {id: fy-high, kind: threshold, indicator: d.fy, priority: 3, params: {above: {warning: 500}}}\n"
        let w = try DigestTests().world(catalogue: catalogue, rules: rules)
        try w.ingest("council", "indicator,period,value\nd.num,2013-02,4\nd.num,2013-03,5\n", "d.csv")
        let line = try w.digest(year).cover.lines[2]
        #expect(line.standing == .grey)
        #expect(
            Digest.coverText(line)
                == "Grey: no rule could judge the window's figures (not all the figures it is computed from received); not all clear. Live: none; closed in the window: 0"
        )
        #expect(line.judgement.unjudged == [.init(indicator: "Share", rule: "level", reason: .inputs)])
        #expect(line.judgement.watching == 1)
    }

    /// A derived indicator computed from a derived one follows its inputs down to the supplied
    /// figures: a share of a difference whose denominator never came is not judged (review
    /// helper-45: only the direct inputs were looked at, and the derived one has no stored
    /// figures, so the rule was not counted and its priority read as if unwatched).
    @Test func aDerivedOfADerivedIndicatorFollowsItsInputsToTheSuppliedFigures() throws {
        let catalogue =
            Self.catalogue
            + "  - {id: d.num, title: Numerator, unit: count, periodicity: month, partners: [council], priorities: [3]}\n"
            + "  - {id: d.den, title: Denominator, unit: count, periodicity: month, partners: [council], priorities: [3]}\n"
            + "  - {id: d.gap, title: Gap, unit: count, periodicity: month, priorities: [3], derived: {kind: difference, minuend: d.den, subtrahend: d.num}}\n"
            + "  - {id: d.gapshare, title: Gap share, unit: percent, periodicity: month, priorities: [3], derived: {kind: percent, numerator: d.gap, denominator: d.den}}\n"
        let rules =
            Self.rules
            + "  - {id: gap-high, kind: threshold, indicator: d.gapshare, priority: 3, params: {above: {warning: 50}}}\n"
        let w = try DigestTests().world(catalogue: catalogue, rules: rules)
        try w.ingest("council", "indicator,period,value\nd.num,2013-02,4\n", "d.csv")
        let line = try w.digest(year).cover.lines[2]
        #expect(line.judgement.unjudged == [.init(indicator: "Gap share", rule: "level", reason: .inputs)])
        #expect(line.standing == .grey)
        // With both figures in, it judges.
        try w.ingest("council", "indicator,period,value\nd.den,2013-02,10\n", "e.csv")
        #expect(try w.digest(year).cover.lines[2].judgement.unjudged.filter { $0.indicator == "Gap share" }.isEmpty)
    }

    /// A rate takes the latest population by each period, so a population sent before the window
    /// has arrived for it: a rolling mean of the rate without enough months yet is not "not all
    /// the figures … received" (review helper-47); without any population it is.
    @Test func aRatesPopulationSentBeforeTheWindowHasArrived() throws {
        let catalogue =
            Self.catalogue
            + "  - {id: r.cnt, title: Count, unit: count, periodicity: month, partners: [council], priorities: [3]}\n"
            + "  - {id: r.pop, title: Population, unit: count, periodicity: snapshot, partners: [council], priorities: [3]}\n"
            + "  - {id: r.rate, title: Rate, unit: rate_per_10k, periodicity: month, priorities: [3], derived: {kind: rate_per_10k, numerator: r.cnt, population: r.pop}}\n"
            + "  - {id: r.mean, title: Mean rate, unit: rate_per_10k, periodicity: month, priorities: [3], derived: {kind: rolling_mean, input: r.rate, periods: 12}}\n"
        let rules =
            Self.rules + "  - {id: mean-high, kind: threshold, indicator: r.mean, priority: 3, params: {above: {warning: 50}}}\n"
        let quarter = DigestWindow.dataPeriods(
            from: CivilDate(year: 2013, month: 4, day: 1)!, to: CivilDate(year: 2013, month: 6, day: 30)!)
        let counts = "indicator,period,value\nr.cnt,2013-04,4\nr.cnt,2013-05,5\nr.cnt,2013-06,6\n"
        let w = try DigestTests().world(catalogue: catalogue, rules: rules)
        try w.ingest("council", counts, "c.csv")
        #expect(try w.digest(quarter).cover.lines[2].judgement.unjudged.map(\.indicator) == ["Mean rate"])
        try w.ingest("council", "indicator,period,value\nr.pop,2013-03-31,48930\n", "p.csv")
        #expect(try w.digest(quarter).cover.lines[2].judgement.unjudged.map(\.indicator) == [])
    }

    /// A paper for some partners is grey for a priority where their figures arrived but no rule
    /// of the priority watches them (review helper-45: a paper for one partner read green).
    @Test func aPartnersFiguresNoRuleWatchesLeaveThePriorityGrey() throws {
        let catalogue =
            Self.catalogue
            + "  - {id: m.other, title: Other police count, unit: count, periodicity: month, partners: [police], priorities: [1]}\n"
        let w = try DigestTests().world(catalogue: catalogue, rules: Self.rules)
        try w.ingest("police", "indicator,period,value\nm.other,2013-02,4\n", "o.csv")
        let line = try w.digest(year, partners: ["police"]).cover.lines[0]
        #expect(line.standing == .grey)
        #expect(line.greyReason == "no rule watches its figures in the window")
        // The whole board's paper judges the CAFs there.
        #expect(try w.digest(year).cover.lines[0].standing == .green)
    }

    /// Review helper-54: "Green … only 1 of 8 rules could judge" read as all clear at a glance.
    /// Fewer than half its rules judging leaves a quiet priority grey, saying how many did.
    @Test func aQuietPriorityMostOfWhoseRulesCouldNotJudgeIsGrey() throws {
        let rules =
            Self.rules
            + "  - {id: caf-small, kind: cusum, indicator: c.count, priority: 1, params: {periods: 3, min_mean: 500}}\n"
        let w = try DigestTests().world(catalogue: Self.catalogue, rules: rules)
        let line = try w.digest(year).cover.lines[0]
        #expect(line.standing == .grey)
        #expect(
            Digest.coverText(line)
                == "Grey: only 1 of 3 rules could judge the window's figures (the others: too little history yet); not all clear. Live: none; closed in the window: 1"
        )
    }

    /// "none of its 2 rules", not "only 0 of 2" (review helper-45).
    @Test func theWordsSayNoneWhenNoRuleJudged() {
        var judgement = Digest.Judgement(watching: 2, unjudgedRules: 2)
        judgement.unjudged = [.init(indicator: "Audits", rule: "process chart", reason: .history)]
        #expect(judgement.words == "none of its 2 rules could judge the window's figures (too little history yet)")
        judgement.watching = 3
        #expect(judgement.words == "only 1 of 3 rules could judge the window's figures (the others: too little history yet)")
    }

    /// A rule with no figure in the window is not counted (the priority's "no data" says it), and
    /// one that judged any figure in the window counts as judging, whatever came before.
    @Test func onlyRulesWithFiguresInTheWindowAreCounted() throws {
        let w = try DigestTests().world(catalogue: Self.catalogue, rules: Self.rules)
        let digest = try w.digest(year)
        #expect(digest.sections[2].judgement == Digest.Judgement())
        #expect(digest.cover.lines[2].greyReason == "no data in the window")
        // Priority 2: both thresholds judged their figures.
        #expect(digest.sections[1].judgement.watching == 2)
        #expect(digest.sections[1].judgement.unjudgedRules == 0)
    }
}
