import Testing
import VigilCore

@testable import VigilDigest

/// The chart's vertical axis: zero-based unless the values lie far from zero, and then said so.
@Suite struct SVGChartTests {
    static func chart(_ values: [Double], unit: IndicatorUnit) -> ChartData {
        let points = values.enumerated().map { i, v in
            ChartData.Point(period: "2022-\(i + 1)", label: "P\(i + 1)", value: v, alerting: i == values.count - 1)
        }
        return ChartData(title: "Series", unit: unit, points: points, lines: [], description: "Chart of Series.")
    }

    /// Review helper-28: placement stability moving between 60% and 70% was drawn on a 0–100% axis,
    /// so a 4.5-point fall the alert was about looked flat.
    @Test func aPercentageFarFromZeroHasAFittedAxisThatSaysWhereItStarts() {
        let chart = Self.chart([69.4, 68.1, 67.9, 66.2, 64.9], unit: .percent)
        #expect(SVGChart.axisTicks([69.4, 68.1, 67.9, 66.2, 64.9]) == [64, 66, 68, 70, 72])
        let svg = SVGChart.render(chart, id: "p")
        #expect(svg.contains(">Percent (axis from 64%)</text>"))
        #expect(svg.contains("<desc id=\"p-d\">Chart of Series. The vertical axis starts at 64%, not zero.</desc>"))
        #expect(svg.contains("class=\"break\""))
        #expect(!svg.contains(">0%</text>"))
    }

    @Test func countsNearZeroKeepAZeroBasedAxis() {
        let values: [Double] = [12, 30, 18, 41, 25]
        #expect(SVGChart.axisTicks(values).first == 0)
        let svg = SVGChart.render(Self.chart(values, unit: .count), id: "c")
        #expect(svg.contains(">Count</text>"))
        #expect(svg.contains(">0</text>"))
        #expect(!svg.contains("axis from"))
        #expect(!svg.contains("class=\"break\""))
        #expect(svg.contains("<desc id=\"c-d\">Chart of Series.</desc>"))
    }

    /// At exactly half the largest value the span is wide enough to read from zero.
    @Test func aSpanOfHalfTheLargestValueStillStartsAtZero() {
        #expect(SVGChart.axisTicks([200, 400]).first == 0)
        #expect(SVGChart.axisTicks([201, 400]).first.map { $0 > 0 } == true)
    }

    /// Review helper-32: a flat series (30 every month; 2 every month) was zoomed to 29.6–30.4.
    @Test func aFlatSeriesKeepsZeroInView() {
        #expect(SVGChart.axisTicks([30, 30, 30]).first == 0)
        #expect(SVGChart.axisTicks([2, 2]).first == 0)
        #expect(SVGChart.axisTicks([30]).first == 0)
        // Under a twentieth of the largest value apart: nearly flat, from zero; at it, fitted.
        #expect(SVGChart.axisTicks([300, 315]).first == 0)
        #expect(SVGChart.axisTicks([300, 320]).first.map { $0 > 0 } == true)
    }

    @Test func negativeValuesKeepTheirAxisBelowZero() {
        #expect(SVGChart.axisTicks([-5, 10, 20]).first.map { $0 <= -5 } == true)
    }

    @Test func theChartIsShortEnoughForTwoCardsAPage() {
        let svg = SVGChart.render(Self.chart([1, 2, 3], unit: .count), id: "h")
        #expect(svg.contains("viewBox=\"0 0 640 180\""))
    }
}
