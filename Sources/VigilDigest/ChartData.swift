import VigilCore

/// What an alert's chart shows: the series, its centre line and limits (SPC and spikes), target and
/// benchmark lines, and the alerting points.
public struct ChartData: Sendable {
    /// One plotted point.
    public struct Point: Sendable {
        /// Period text.
        public var period: String
        /// Short label for the axis.
        public var label: String
        /// The value (nil when censored, unavailable or suppressed).
        public var value: Double?
        /// Whether the rule was in breach here.
        public var alerting: Bool
        /// A special cause of improvement here (SPC, in the Making Data Count style: shown, in
        /// blue, but not an alert).
        public var improvement: Bool = false
        /// A month the indicator is expected to be low in, which the rule leaves out (a seasonal
        /// spike rule): drawn hollow, so a low there does not read as a missed alert (review
        /// helper-54: August's CAFs below the limit, unmarked, beside September's in red).
        public var expectedLow: Bool = false
    }

    /// A reference line across points (nil where it does not apply).
    public struct Line: Sendable {
        /// Legend name.
        public var name: String
        /// Value per point.
        public var values: [Double?]
        /// CSS class (colour and dash).
        public var style: String
    }

    /// The indicator's title (and breakdown).
    public var title: String
    /// The unit.
    public var unit: IndicatorUnit
    /// Points, oldest first.
    public var points: [Point]
    /// Reference lines.
    public var lines: [Line]
    /// The text alternative.
    public var description: String

    static func make(
        record: AlertRecord, evidence: AlertEvent, indicator: Indicator, rule: Rule?, dataset: Dataset, findings: [Finding],
        control: DisclosureControl
    ) -> ChartData {
        var series = SeriesKey(indicator: record.indicator, breakdown: Breakdown(key: record.breakdown))
        // A check across a whole breakdown (`category=*`) is charted on the total.
        if series.breakdown.pairs.contains(where: { $0.value == "*" }) { series = SeriesKey(indicator: record.indicator) }
        let all = dataset.points(series)
        let evidencePeriod = Period(parsing: evidence.period)
        let upTo = all.lastIndex { $0.period == evidencePeriod } ?? (all.count - 1)
        // To the latest value in the store (24 periods, or from a little before the alert's period
        // when that is older; at most 48).
        let start = max(0, min(upTo - 2, all.count - 24))
        let shown = all.isEmpty ? [] : Array(all[start...min(all.count - 1, start + 47)])
        // Periods with no figure keep their place on the axis (review helper-54: a line ran
        // straight from March 2012 to March 2013 across eleven months the card called missing).
        let slots = ChartData.slots(shown)
        let byPeriod = Dictionary(findings.map { ($0.period, $0) }, uniquingKeysWith: { a, _ in a })
        // Only statistical process control names special causes of improvement.
        let isSPC = rule.map { if case .spc = $0.kind { true } else { false } } ?? false
        var lowMonths: Set<Int> = []
        if case .spike(let spike) = rule?.kind, spike.seasonal {
            lowMonths = indicator.seasonality?.expectedLowMonths ?? []
        }
        let points = slots.map { slot in
            let value = slot.point?.number
            let label = slot.span.map { "\(ChartData.shortLabel(slot.period))–\(ChartData.shortLabel($0.through))" }
            return Point(
                period: "\(slot.period)", label: label ?? ChartData.shortLabel(slot.period),
                value: control.hides(series, slot.period, value: value, unit: indicator.unit) ? nil : value,
                alerting: byPeriod[slot.period]?.status == .breach,
                improvement: isSPC && byPeriod[slot.period].map { $0.status != .breach && $0.signal == "improvement" } ?? false,
                expectedLow: slot.period.falls(in: lowMonths))
        }
        var lines: [Line] = []
        let limits = slots.map { byPeriod[$0.period]?.limits }
        // A mean over a series with a hidden cell would give it back from the cells shown.
        if limits.contains(where: { $0 != nil }) && !control.hidesMeans(of: series) {
            let centre =
                rule.map { if case .spc = $0.kind { return "Mean (process centre line)" } else { return "Baseline mean" } }
                ?? "Mean"
            lines.append(Line(name: centre, values: limits.map { $0?.mean }, style: "mean"))
            lines.append(Line(name: "Upper limit", values: limits.map { $0?.upper }, style: "limit"))
            lines.append(
                Line(
                    name: "Lower limit", values: limits.map { $0.map { max($0.lower, indicator.unit == .count ? 0 : $0.lower) } },
                    style: "limit"))
        }
        // Drawn only where a rule would judge against it: a target up to a year after the last,
        // a benchmark up to two (review helper-28: the 2012/13 target was drawn across 2019-2023).
        func reference(_ name: String, _ values: [Period: Double], _ style: String, years: Int) {
            guard !values.isEmpty else { return }
            let row = slots.map { Indicator.reference(values, for: $0.period, latestEarlier: true, yearsAfter: years)?.value }
            if row.contains(where: { $0 != nil }) { lines.append(Line(name: name, values: row, style: style)) }
        }
        // Monthly series: the same month a year earlier, faint, for the seasonal comparison.
        if indicator.periodicity == .month {
            let byPeriod = Dictionary(all.map { ($0.period, $0.number) }, uniquingKeysWith: { a, _ in a })
            let row = slots.map { slot -> Double? in
                let earlier = Period.month(slot.period.start.year - 1, slot.period.start.month)
                guard case .some(.some(let v)) = byPeriod[earlier] else { return nil }
                return control.hides(series, earlier, value: v, unit: indicator.unit) ? nil : v
            }
            if row.contains(where: { $0 != nil }) { lines.append(Line(name: "A year earlier", values: row, style: "lastyear")) }
        }
        reference("Target", indicator.targets, "target", years: Indicator.targetStandsYears)
        reference("Statistical neighbours", indicator.statisticalNeighbours, "benchmark", years: Indicator.benchmarkStandsYears)
        reference("England", indicator.england, "england", years: Indicator.benchmarkStandsYears)
        if case .band(let band) = rule?.kind {
            if let low = band.low {
                lines.append(Line(name: "Expected range (low)", values: slots.map { _ in low }, style: "target"))
            }
            if let high = band.high {
                lines.append(Line(name: "Expected range (high)", values: slots.map { _ in high }, style: "target"))
            }
        }
        if case .threshold(let t) = rule?.kind {
            if let w = t.warning { lines.append(Line(name: "Warning level", values: slots.map { _ in w }, style: "target")) }
            if let c = t.critical { lines.append(Line(name: "Critical level", values: slots.map { _ in c }, style: "limit")) }
        }
        let title = indicator.title + (series.breakdown.isTotal ? "" : " (\(series.breakdown.label))")
        let alerting = points.filter(\.alerting).map { Period(parsing: $0.period)?.label ?? $0.period }
        var description = "Chart of \(title)"
        if let only = shown.first, shown.count == 1 {
            description += " for \(only.period.label), 1 value."
        } else if let first = shown.first, let last = shown.last {
            description +=
                " from \(first.period.label) to \(last.period.label), \(shown.count) value\(shown.count == 1 ? "" : "s")."
        }
        if let last = points.last(where: { $0.period == shown.last.map { "\($0.period)" } }) {
            description +=
                " Latest: \(control.display(shown.last?.number, unit: indicator.unit, series: series, period: shown.last?.period)) at \(Period(parsing: last.period)?.label ?? last.period)."
        }
        if !lines.isEmpty { description += " Reference lines: " + lines.map(\.name).joined(separator: ", ") + "." }
        if evidence.value != nil, let expected = evidence.expected {
            description +=
                " The alert compares \(control.display(evidence.value, unit: indicator.unit, series: series, period: evidencePeriod)) at \(evidence.periodLabel) with \(control.displayExpected(expected, unit: indicator.unit, series: series, isMean: evidence.expectsAMean))."
        }
        description += alerting.isEmpty ? " No alerting points shown." : " Alerting at: " + alerting.joined(separator: ", ") + "."
        let low = points.filter { $0.expectedLow && $0.value != nil && !$0.alerting }.map {
            Period(parsing: $0.period)?.label ?? $0.period
        }
        if !low.isEmpty, let reason = indicator.seasonality?.reason {
            // "School holidays" reads on lower-cased; "CAFs …" keeps its capitals.
            let lower =
                reason.dropFirst().first?.isUppercase == true ? reason : reason.prefix(1).lowercased() + reason.dropFirst()
            description += " Expected to be low (\(lower)), so not in the baseline: " + low.joined(separator: ", ") + "."
        }
        let improving = points.filter(\.improvement).map { Period(parsing: $0.period)?.label ?? $0.period }
        if !improving.isEmpty {
            description += " Special cause of improvement at: " + improving.joined(separator: ", ") + "."
        }
        if slots.count > shown.count { description += " Gaps in the line are periods with no figure received." }
        for slot in slots {
            guard let span = slot.span else { continue }
            description +=
                " The \(span.count) periods from \(slot.period.label) to \(span.through.label), with no figure, are drawn as one place."
        }
        let received = Set(shown.map { "\($0.period)" })
        if points.contains(where: { $0.value == nil && received.contains($0.period) }) {
            description += " Gaps are censored, unavailable or suppressed values."
        }
        return ChartData(title: title, unit: indicator.unit, points: points, lines: lines, description: description)
    }

    /// One place on a chart's axis: a period with its point, or with none (a gap); a long
    /// silence drawn as one place says what it spans.
    typealias Slot = (period: Period, point: SeriesPoint?, span: (through: Period, count: Int)?)

    /// The periods a chart's axis runs over: the points shown and, between two of a regular
    /// periodicity, the periods with no figure (as gaps), so the axis keeps time; at most 96
    /// places in all, a silence too long to draw to scale being one place that says what it
    /// spans (review helper-55: later gaps ran past the cap, 118 places).
    static func slots(_ shown: [SeriesPoint]) -> [Slot] {
        let limit = 96
        // The periods missing before each point (up to limit + 1 of them: more is long anyway).
        let missing: [[Period]] = shown.indices.map { i in
            guard i > 0, shown[i - 1].period.periodicity == shown[i].period.periodicity else { return [] }
            var out: [Period] = []
            var next = shown[i - 1].period.next
            while let period = next, period < shown[i].period, out.count <= limit {
                out.append(period)
                next = period.next
            }
            return out
        }
        // One place each point and each gap; what is left fills gaps to scale, oldest first.
        var spare = limit - shown.count - missing.filter { !$0.isEmpty }.count
        var slots: [Slot] = []
        for (i, point) in shown.enumerated() {
            let gap = missing[i]
            if let first = gap.first {
                if gap.count - 1 <= spare && gap.count <= limit {
                    slots += gap.map { ($0, nil, nil) }
                    spare -= gap.count - 1
                } else {
                    // Counted whole, as the overdue rule counts a gap (periods run to 2099 at most).
                    let run = first.run(before: point.period, limit: .max)
                    slots.append((first, nil, (run.last, run.count)))
                }
            }
            slots.append((point.period, point, nil))
        }
        return slots
    }

    /// Whether the chart has two or more figures to draw: one alone is a dot that says less than
    /// the card's words (review helper-54: five of twelve charts in a year's paper were one dot).
    public var isDrawable: Bool { points.lazy.compactMap(\.value).prefix(2).count == 2 }

    static func shortLabel(_ period: Period) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        switch period.periodicity {
        case .month:
            return "\(months[period.start.month - 1]) \(period.start.year % 100 < 10 ? "0" : "")\(period.start.year % 100)"
        case .snapshot:
            return
                "\(period.start.day) \(months[period.start.month - 1]) \(period.start.year % 100 < 10 ? "0" : "")\(period.start.year % 100)"
        case .financialHalfYear:
            let year = { (y: Int) in "\(y % 100 < 10 ? "0" : "")\(y % 100)" }
            return period.start.month == 4
                ? "Apr–Sep \(year(period.start.year))" : "Oct \(year(period.start.year))–Mar \(year(period.start.year + 1))"
        case .quarter: return period.label
        default: return "\(period)"
        }
    }
}
