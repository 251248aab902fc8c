import Testing
import VigilCore

@testable import VigilDigest

/// Figures on alert cards that a hostile review (helper-16) worked hidden counts back from.
extension DigestTests {
    static let twoDimensions = """
        priorities: [{id: 1, title: One}]
        partners: [{id: council, name: Council}]
        dimensions:
          category: {title: Category, values: [neglect, physical, sexual, emotional, multiple]}
          gender: {title: Gender, values: [male, female, unknown, unborn]}
        indicators:
          - {id: p.plans, title: Plans, unit: count, periodicity: snapshot, partners: [council], priorities: [1], dimensions: [category, gender]}
        """

    /// Review: a collapse card quoted the median of the four earlier values ("0 against a recent
    /// typical value of 10") while the chart showed `30, 16, c, 0`: a median of four values is the
    /// mean of the middle two, so (c + 16) / 2 = 10 gave the 4 back. It is hidden as a mean is.
    @Test func aCollapsesMedianOverAHiddenValueIsHidden() throws {
        let rules = """
            rules:
              - {id: collapse, kind: quality, indicator: p.plans, breakdown: {category: "*"}, priority: 1, params: {check: collapse, periods: 4}}
            """
        let w = try world(catalogue: Self.twoDimensions, rules: rules, seed: false)
        var csv = "indicator,period,value,category,gender\n"
        for (date, value) in [("2012-03-31", 30), ("2012-06-30", 16), ("2012-09-30", 4), ("2012-12-31", 0), ("2013-03-31", 0)] {
            csv +=
                "p.plans,\(date),\(value),multiple,\np.plans,\(date),\(value + 100),neglect,\np.plans,\(date),\(2 * value + 100),,\n"
        }
        try w.ingest("council", csv, "p.csv")
        let open = try w.digest(.recorded(since: nil))
        let shown = try #require(open.sections.flatMap(\.items).first { $0.record.rule == "collapse" })
        #expect(shown.observedAgainstExpected(open.control) == "0 against a recent typical value of 10")
        let digest = try w.digest(.recorded(since: nil), suppress: true)
        let card = try #require(digest.sections.flatMap(\.items).first { $0.record.rule == "collapse" })
        #expect(card.observedAgainstExpected(digest.control) == "0 against a recent typical value of c")
        for text in [digest.text, digest.markdown, digest.html] { #expect(!text.contains("typical value of 10")) }
    }

    /// Review: a breakdown check's card printed the total ("c in the breakdown against a total of
    /// 12") that its table and chart hid, and with the gender table (male 9, female c) it gave
    /// female's 3 back. While any part of the dimension or the total is hidden, neither figure
    /// is printed: the sum less the shown parts would give the hidden parts' sum too.
    @Test func aBreakdownChecksFiguresAreWithheldWhenAPartOrTheTotalIsHidden() throws {
        let rules = """
            rules:
              - {id: plans-sum, kind: quality, indicator: p.plans, priority: 1, params: {check: breakdown_sum, dimensions: [category]}}
            """
        let w = try world(catalogue: Self.twoDimensions, rules: rules, seed: false)
        try w.ingest(
            "council",
            "indicator,period,value,category,gender\np.plans,2013-03-31,12,,\np.plans,2013-03-31,4,neglect,\n"
                + "p.plans,2013-03-31,0,physical,\np.plans,2013-03-31,0,sexual,\np.plans,2013-03-31,0,emotional,\n"
                + "p.plans,2013-03-31,0,multiple,\np.plans,2013-03-31,9,,male\np.plans,2013-03-31,3,,female\n"
                + "p.plans,2013-03-31,0,,unknown\np.plans,2013-03-31,0,,unborn\n", "p.csv")
        let open = try w.digest(.recorded(since: nil))
        let shown = try #require(open.sections.flatMap(\.items).first { $0.record.rule == "plans-sum" })
        #expect(shown.observedAgainstExpected(open.control) == "4 in the breakdown against a total of 12")
        let digest = try w.digest(.recorded(since: nil), suppress: true)
        let card = try #require(digest.sections.flatMap(\.items).first { $0.record.rule == "plans-sum" })
        #expect(
            card.observedAgainstExpected(digest.control)
                == "the breakdown does not add up to its total (figures withheld in this edition: some are hidden)")
        for text in [digest.text, digest.markdown, digest.html] { #expect(!text.contains("total of 12")) }
    }
}
