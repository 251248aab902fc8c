import Testing
import VigilCore

@testable import VigilDigest

/// A chart's axis keeps time: periods with no figure are gaps in their place, not skipped, and a
/// card with one figure says it rather than drawing one dot (review helper-54).
@Suite struct ChartDataTests {
    private func points(_ periods: [Period]) -> [SeriesPoint] {
        periods.enumerated().map { SeriesPoint(period: $0.element, value: .number(Double($0.offset + 60)), sources: []) }
    }

    @Test func monthsWithNoFigureKeepTheirPlaceOnTheAxis() {
        let slots = ChartData.slots(points([.month(2012, 3), .month(2013, 3)]))
        #expect(slots.count == 13)
        #expect(slots.map { "\($0.period)" }.prefix(3) == ["2012-03", "2012-04", "2012-05"])
        #expect(slots.filter { $0.point == nil }.count == 11)
        #expect(slots.last?.point?.number == 61)
        // Half-years and quarters likewise; their axis labels are words, not codes.
        let halves = ChartData.slots(points([.financialHalfYear(2011, 1), .financialHalfYear(2012, 2)]))
        #expect(halves.map { ChartData.shortLabel($0.period) } == ["Apr–Sep 11", "Oct 11–Mar 12", "Apr–Sep 12", "Oct 12–Mar 13"])
        #expect(halves.map { $0.point == nil } == [false, true, true, false])
        #expect(
            ChartData.slots(points([.quarter(2012, 4), .quarter(2013, 2)])).map { ChartData.shortLabel($0.period) } == [
                "Q4 2012", "Q1 2013", "Q2 2013",
            ])
    }

    @Test func snapshotsAreNotFilledAndALongSilenceIsOneGap() {
        let days = [CivilDate(year: 2012, month: 3, day: 31)!, CivilDate(year: 2013, month: 3, day: 31)!]
        #expect(ChartData.slots(points(days.map { .snapshot($0) })).count == 2)
        // Twenty years between two months: one gap, not 239 slots.
        let silence = ChartData.slots(points([.month(1993, 1), .month(2013, 1), .month(2013, 2)]))
        #expect(silence.map { $0.point == nil } == [false, true, false, false])
        #expect(silence[1].span?.count == 239)
        #expect(silence[1].span.map { "\($0.through)" } == "2012-12")
    }

    /// Review helper-55: once the fill was spent, every later gap still added a place (118 for
    /// a month, a six-year silence, then every other month). The whole axis holds 96 at most.
    @Test func theAxisHoldsNinetySixPlacesAtMost() {
        let months: [Period] = [.month(2003, 6)] + (0..<47).map { k in .month(2009 + (2 * k) / 12, (2 * k) % 12 + 1) }
        let slots = ChartData.slots(points(months))
        #expect(slots.count <= 96)
        #expect(slots.filter { $0.point != nil }.count == 48)
        // The six years are one place that says what it spans; the one-month gaps are drawn.
        #expect(slots[1].span?.count == 66)
        #expect(slots.filter { $0.point == nil && $0.span == nil }.count == 46)
        #expect(slots.count == 48 + 1 + 46)
    }

    @Test func aCardWithOneFigureSaysItWithoutDrawingIt() throws {
        let w = try DigestTests().world(seed: false)
        // January's 12 fires, and June's 15: March to May sent nothing.
        try w.ingest("police", "indicator,period,value\nm.count,2013-01,12\nm.count,2013-02,8\nm.count,2013-06,15\n", "m.csv")
        try w.ingest("council", "indicator,period,value\nc.count,2013-02,60\n", "c.csv")
        let digest = try w.digest(
            .dataPeriods(from: CivilDate(year: 2013, month: 1, day: 1)!, to: CivilDate(year: 2013, month: 6, day: 30)!))
        let items = digest.sections.flatMap(\.items)
        let missing = try #require(items.first { $0.record.rule == "missing-high" })
        #expect(missing.chart.points.map(\.period) == ["2013-01", "2013-02", "2013-03", "2013-04", "2013-05", "2013-06"])
        #expect(missing.chart.points.map { $0.value == nil } == [false, false, true, true, true, false])
        #expect(missing.chart.description.contains("Gaps in the line are periods with no figure received."))
        #expect(!missing.chart.description.contains("censored"))
        #expect(missing.chart.isDrawable)
        #expect(SVGChart.legend(missing.chart).map(\.name).contains("Alerting point"))
        let caf = try #require(items.first { $0.record.rule == "caf-high" })
        #expect(!caf.chart.isDrawable)
        // Two episodes of the missing alert (January, June) drawn; the CAF card's one figure not.
        #expect(items.filter { $0.record.rule == "missing-high" }.count == 2)
        #expect(digest.html.components(separatedBy: "<svg").count - 1 == 2)
        #expect(digest.html.contains("<p class=\"described\">Chart of CAFs for February 2013, 1 value."))
    }

    /// Review helper-54: August's CAFs, below the limit, were drawn as any other point beside
    /// September's alert. A month a seasonal rule leaves out is drawn hollow and said.
    @Test func aMonthExpectedToBeLowIsDrawnHollowAndSaid() throws {
        let catalogue = DigestTests.catalogueYAML.replacingOccurrences(
            of: "{id: c.count, title: CAFs, unit: count, periodicity: month, partners: [council], priorities: [1]}",
            with:
                "{id: c.count, title: CAFs, unit: count, periodicity: month, partners: [council], priorities: [1], seasonality: {expected_low_months: [8], reason: School holidays}}"
        )
        #expect(catalogue != DigestTests.catalogueYAML)
        let rules = """
            rules:
              - {id: caf-dip, kind: spike, indicator: c.count, priority: 1, params: {periods: 3, min_periods: 3, k: 1.5, direction: down, seasonal: true}}
            """
        let w = try DigestTests().world(catalogue: catalogue, rules: rules, seed: false)
        try w.ingest(
            "council",
            "indicator,period,value\nc.count,2012-05,44\nc.count,2012-06,40\nc.count,2012-07,42\nc.count,2012-08,17\nc.count,2012-09,22\n",
            "c.csv")
        let digest = try w.digest(
            .dataPeriods(from: CivilDate(year: 2012, month: 4, day: 1)!, to: CivilDate(year: 2013, month: 3, day: 31)!))
        let item = try #require(digest.sections.flatMap(\.items).first { $0.record.rule == "caf-dip" })
        #expect(item.chart.points.filter(\.expectedLow).map(\.period) == ["2012-08"])
        #expect(item.chart.points.filter(\.alerting).map(\.period) == ["2012-09"])
        #expect(item.chart.description.contains("Expected to be low (school holidays), so not in the baseline: August 2012."))
        #expect(SVGChart.legend(item.chart).map(\.name).contains("Expected to be low (not in the baseline)"))
        #expect(SVGChart.render(item.chart, id: "c").contains("<circle class=\"low\""))
    }
}
