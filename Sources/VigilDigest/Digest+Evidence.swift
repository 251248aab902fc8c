import VigilCore
import VigilStore

extension Digest {
    /// The evidence an item shows: as the alert stood at the end of the window.
    ///
    /// A record keeps its firing event and its latest evidence. For a window that ended before
    /// the latest evidence (a digest for 2022/23 written from a store that runs to 2024), that
    /// evidence is from after the window (review helper-25: a 2022/23 paper quoted March 2024's
    /// value), and an alert live at the window's end that closed since kept only its firing
    /// event. For an alert live at the window's end, the evidence is then the rule's latest
    /// breach in the window, from the evaluation's findings, else the firing event.
    static func evidence(_ record: AlertRecord, status: Status, window: DigestWindow, findings: [Finding]) -> AlertEvent {
        let latest = record.state == .firing ? record.current ?? record.firingEvent : record.firingEvent
        guard case .dataPeriods(_, let to) = window, status == .new || status == .persisting else { return latest }
        // Still firing, and its latest evidence within the window: that is how it stood.
        if record.state == .firing, let period = Period(parsing: latest.period), period.end <= to { return latest }
        var evidence = record.firingEvent
        guard let fired = Period(parsing: evidence.period),
            let finding = findings.last(where: { $0.status == .breach && $0.period >= fired && $0.period.end <= to })
        else { return evidence }
        evidence.period = "\(finding.period)"
        evidence.periodLabel = finding.period.label
        evidence.value = finding.value
        evidence.expected = finding.expected
        evidence.severity = finding.severity
        evidence.explanation = finding.explanation
        evidence.signal = finding.signal
        evidence.message = AlertEvent.plainMessage(
            title: evidence.indicatorTitle, breakdown: Breakdown(evidence.breakdown), period: finding.period,
            explanation: finding.explanation)
        return evidence
    }
}
