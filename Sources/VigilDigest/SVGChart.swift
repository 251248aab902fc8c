import VigilCore

/// Renders a `ChartData` as an inline, self-contained SVG line chart with axes, labels and a text
/// alternative (`<title>`/`<desc>`), so it prints and reads without scripts or external files.
public enum SVGChart {
    /// The chart's SVG markup; `id` makes element ids unique within a page.
    public static func render(_ chart: ChartData, id: String) -> String {
        let width = 640.0
        let height = 180.0
        let left = 64.0
        let right = 16.0
        let top = 22.0
        let bottom = 30.0
        let plotW = width - left - right
        let plotH = height - top - bottom
        var values = chart.points.compactMap(\.value)
        for line in chart.lines { values += line.values.compactMap { $0 } }
        let ticks = axisTicks(values)
        let yMin = ticks.first ?? 0
        let yMax = max(ticks.last ?? 1, values.max() ?? 1)
        let n = max(chart.points.count, 1)
        func x(_ i: Int) -> Double { n == 1 ? left + plotW / 2 : left + plotW * Double(i) / Double(n - 1) }
        func y(_ v: Double) -> Double { top + plotH * (1 - (v - yMin) / (yMax - yMin)) }
        func f(_ v: Double) -> String { coordinate(v) }
        var svg = """
            <svg class="chart" viewBox="0 0 \(Int(width)) \(Int(height))" width="100%" role="img" aria-labelledby="\(id)-t \(id)-d" xmlns="http://www.w3.org/2000/svg">
            <title id="\(id)-t">\(HTML.escape(chart.title))</title>
            <desc id="\(id)-d">\(HTML.escape(chart.description + axisNote(yMin, chart.unit)))</desc>

            """
        for tick in ticks {
            svg +=
                "<line class=\"grid\" \(attributes("grid")) x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(y(tick)))\" y2=\"\(f(y(tick)))\"/>"
            svg +=
                "<text class=\"ylab\" \(attributes("text")) x=\"\(f(left - 6))\" y=\"\(f(y(tick) + 4))\" text-anchor=\"end\">\(HTML.escape(axisValue(tick, chart.unit)))</text>\n"
        }
        svg +=
            "<line class=\"axis\" \(attributes("axis")) x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(top + plotH))\"/>"
        svg +=
            "<line class=\"axis\" \(attributes("axis")) x1=\"\(f(left))\" x2=\"\(f(width - right))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH))\"/>\n"
        let every = max(1, Int((Double(n) / 8).rounded(.up)))
        // The last label is always shown, ending at the plot's right edge (never clipped); a
        // regular label too close to it is left out (never overlapping).
        for (i, point) in chart.points.enumerated() where (i % every == 0 && (n - 1 - i >= every || i == n - 1)) || i == n - 1 {
            let anchor = n > 1 && i == n - 1 ? "end" : "middle"
            svg +=
                "<text class=\"xlab\" \(attributes("text")) x=\"\(f(x(i)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"\(anchor)\">\(HTML.escape(point.label))</text>\n"
        }
        // An axis that does not start at zero says so beside the unit, and its foot is broken.
        let from = yMin > 0 ? " (axis from \(axisValue(yMin, chart.unit)))" : ""
        svg +=
            "<text class=\"unit\" \(attributes("text")) x=\"\(f(left - 56))\" y=\"\(f(12))\">\(HTML.escape(unitName(chart.unit) + from))</text>\n"
        if yMin > 0 {
            let foot = top + plotH
            svg +=
                "<path class=\"break\" \(attributes("axis")) fill=\"none\" d=\"M\(f(left - 5)) \(f(foot - 6)) l10 -4 M\(f(left - 5)) \(f(foot - 11)) l10 -4\"/>\n"
        }
        // A reference value known for one point only is drawn as a level across that point's slot
        // (across the whole plot when there is one point), with its value written beside it.
        let slot = n == 1 ? plotW / 2 : plotW / Double(n - 1) / 2
        for line in chart.lines {
            svg += polyline(
                line.values.enumerated().map { ($0.offset, $0.element) }, x: x, y: y, cls: "ref " + line.style,
                level: (slot, left, width - right), unit: chart.unit)
        }
        svg += polyline(chart.points.enumerated().map { ($0.offset, $0.element.value) }, x: x, y: y, cls: "series")
        for (i, point) in chart.points.enumerated() {
            guard let v = point.value else { continue }
            let kind = point.alerting ? "alert" : point.improvement ? "improve" : point.expectedLow ? "low" : "dot"
            let note =
                point.alerting
                ? " (alerting)"
                : point.improvement ? " (special cause of improvement)" : point.expectedLow ? " (expected to be low)" : ""
            let label = "\(point.period): \(chart.unit.format(v))\(note)"
            svg +=
                "<circle class=\"\(kind)\" \(attributes(kind)) cx=\"\(f(x(i)))\" cy=\"\(f(y(v)))\" r=\"\(kind == "dot" ? 3 : 5)\"><title>\(HTML.escape(label))</title></circle>\n"
        }
        return svg + "</svg>"
    }

    /// The legend entries for a chart.
    public static func legend(_ chart: ChartData) -> [(name: String, style: String)] {
        var entries = [(name: "Value", style: "series")]
        if chart.points.contains(where: { $0.expectedLow && $0.value != nil && !$0.alerting }) {
            entries.append((name: "Expected to be low (not in the baseline)", style: "low"))
        }
        // Only a drawn point: an overdue alert's period has no figure (review helper-55).
        if chart.points.contains(where: { $0.alerting && $0.value != nil }) {
            entries.append((name: "Alerting point", style: "alerting"))
        }
        if chart.points.contains(where: \.improvement) {
            entries.append((name: "Special cause of improvement", style: "improving"))
        }
        for line in chart.lines where !entries.contains(where: { $0.name == line.name }) {
            entries.append((line.name, line.style))
        }
        return entries
    }

    /// Presentation attributes per style, so the SVG looks right without any stylesheet.
    static func attributes(_ cls: String) -> String {
        switch cls {
        case "series": return "fill=\"none\" stroke=\"#1f4e79\" stroke-width=\"2\""
        case "dot": return "fill=\"#1f4e79\""
        case "low": return "fill=\"#ffffff\" stroke=\"#1f4e79\" stroke-width=\"1.5\""
        case "alert": return "fill=\"#c00000\" stroke=\"#ffffff\" stroke-width=\"1\""
        case "improve": return "fill=\"#2d8fe0\" stroke=\"#ffffff\" stroke-width=\"1\""
        case "grid": return "stroke=\"#dddddd\" stroke-width=\"1\""
        case "axis": return "stroke=\"#333333\" stroke-width=\"1\""
        case "mean": return "fill=\"none\" stroke=\"#555555\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\""
        case "limit": return "fill=\"none\" stroke=\"#999999\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\""
        case "target": return "fill=\"none\" stroke=\"#2e7d32\" stroke-width=\"1.5\" stroke-dasharray=\"8 3\""
        case "benchmark": return "fill=\"none\" stroke=\"#8e44ad\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\""
        case "lastyear": return "fill=\"none\" stroke=\"#b8c4d0\" stroke-width=\"1.5\""
        case "england": return "fill=\"none\" stroke=\"#e67e22\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\""
        default: return "fill=\"#333333\" font-size=\"11\" font-family=\"sans-serif\""
        }
    }

    private static func polyline(
        _ values: [(Int, Double?)], x: (Int) -> Double, y: (Double) -> Double, cls: String,
        level: (half: Double, minX: Double, maxX: Double)? = nil, unit: IndicatorUnit = .count
    ) -> String {
        let style = attributes(cls.split(separator: " ").last.map(String.init) ?? cls)
        var out = ""
        var run: [(x: Double, y: Double, value: Double)] = []
        func flush() {
            if run.count > 1 {
                out +=
                    "<polyline class=\"\(cls)\" \(style) points=\"\(run.map { "\(coordinate($0.x)),\(coordinate($0.y))" }.joined(separator: " "))\"/>\n"
            } else if let point = run.first, let level {
                let x1 = max(level.minX, point.x - level.half)
                let x2 = min(level.maxX, point.x + level.half)
                out +=
                    "<line class=\"\(cls)\" \(style) x1=\"\(coordinate(x1))\" x2=\"\(coordinate(x2))\" y1=\"\(coordinate(point.y))\" y2=\"\(coordinate(point.y))\"/>"
                out +=
                    "<text class=\"reflab\" \(attributes("text")) x=\"\(coordinate(x2))\" y=\"\(coordinate(point.y - 4))\" text-anchor=\"end\">\(HTML.escape(unit.format(point.value)))</text>\n"
            }
            run = []
        }
        for (i, value) in values {
            guard let value else {
                flush()
                continue
            }
            run.append((x(i), y(value), value))
        }
        flush()
        return out
    }

    /// A coordinate with one decimal and no separators.
    static func coordinate(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }

    /// The vertical axis's ticks. A line chart's axis starts at zero unless every value lies far
    /// from it (all positive and spanning less than half the largest, but at least a twentieth of
    /// it), as a percentage of 60–70 or
    /// a count of 340–400 does: then a zero-based axis would flatten the very change the alert is
    /// about (review helper-28), and the axis is fitted to the values, with room either side.
    static func axisTicks(_ values: [Double]) -> [Double] {
        let low = values.min() ?? 0
        var high = values.max() ?? 1
        // A flat or nearly flat series keeps zero in view (review helper-32: 30 every month was
        // drawn on 29.6–30.4, as if it moved).
        if low > 0 && high - low < high / 2 && high - low >= high / 20 {
            let pad = max((high - low) * 0.15, high * 0.01)
            return niceTicks(low: low - pad, high: high + pad)
        }
        let floor = min(0, low)
        if high <= floor { high = floor + 1 }
        return niceTicks(low: floor, high: high * 1.05)
    }

    /// The text alternative's words for an axis that does not start at zero.
    static func axisNote(_ start: Double, _ unit: IndicatorUnit) -> String {
        start > 0 ? " The vertical axis starts at \(axisValue(start, unit)), not zero." : ""
    }

    static func niceTicks(low: Double, high: Double) -> [Double] {
        let span = max(high - low, 1e-9)
        let raw = span / 4
        let magnitude = pow10(floorLog10(raw))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        let start = (low / step).rounded(.down) * step
        var ticks: [Double] = []
        var t = start
        while t <= high + step * 0.999 && ticks.count < 12 {
            ticks.append(t)
            t += step
        }
        return ticks
    }

    private static func floorLog10(_ v: Double) -> Int {
        var e = 0
        var x = v
        while x >= 10 {
            x /= 10
            e += 1
        }
        while x < 1 {
            x *= 10
            e -= 1
        }
        return e
    }

    private static func pow10(_ e: Int) -> Double {
        var r = 1.0
        if e >= 0 { for _ in 0..<e { r *= 10 } } else { for _ in 0..<(-e) { r /= 10 } }
        return r
    }

    private static func axisValue(_ v: Double, _ unit: IndicatorUnit) -> String {
        let text = formatNumber(v, decimals: v == v.rounded() ? 0 : 1)
        return unit == .percent ? text + "%" : text
    }

    private static func unitName(_ unit: IndicatorUnit) -> String {
        switch unit {
        case .count: return "Count"
        case .percent: return "Percent"
        case .ratePer10k: return "Rate per 10,000"
        case .ratio: return "Ratio"
        case .days: return "Days"
        }
    }
}
