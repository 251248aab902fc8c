import Testing

@testable import VigilCore

/// `EpisodeTracker.track` against the plain fold it replaced (which copied the open episode out
/// and back at every breach): on random runs of breaches, clears and holds, with `for` of 1 to 3
/// and mixed severities, both give the same episodes and the same pending alert.
@Suite struct EpisodeTrackerTests {
    /// The fold as first written: one finding at a time, the open episode held by value.
    private func reference(_ rule: Rule, _ series: SeriesKey, _ findings: [Finding]) -> ([Episode], PendingAlert?) {
        var episodes: [Episode] = []
        var runStart: Finding?
        var runCount = 0
        var current: Episode?
        for finding in findings {
            switch finding.status {
            case .breach:
                if var episode = current {
                    episode.latest = finding
                    episode.peakSeverity = max(episode.peakSeverity, finding.severity)
                    current = episode
                    continue
                }
                if runStart == nil { runStart = finding }
                runCount += 1
                if runCount >= rule.forPeriods {
                    current = Episode(
                        rule: rule.id, series: series, start: runStart!.period, fired: finding.period,
                        firingFinding: finding, latest: finding, peakSeverity: finding.severity)
                    runStart = nil
                    runCount = 0
                }
            case .clear:
                if var episode = current {
                    episode.resolved = finding.period
                    episode.resolvingFinding = finding
                    episodes.append(episode)
                    current = nil
                }
                runStart = nil
                runCount = 0
            case .hold:
                continue
            }
        }
        if let current { episodes.append(current) }
        guard let runStart, current == nil else { return (episodes, nil) }
        return (
            episodes,
            PendingAlert(
                rule: rule.id, series: series, since: runStart.period, count: runCount, needed: rule.forPeriods,
                finding: findings.last { $0.status == .breach } ?? runStart)
        )
    }

    @Test func tracksEveryRunAsThePlainFoldDoes() throws {
        var random = SplitMix64(seed: 1013)
        let series = SeriesKey(indicator: "t.count")
        let statuses: [Finding.Status] = [.breach, .breach, .clear, .hold]
        let severities: [Severity] = [.info, .warning, .critical]
        var episodesSeen = 0
        var pendingSeen = 0
        for forPeriods in 1...3 {
            let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}}", forPeriods: forPeriods)
            for _ in 0..<200 {
                let count = Int(random.next() % 40)
                let findings = (0..<count).map { i in
                    let status = statuses[Int(random.next() % 4)]
                    return Finding(
                        period: .month(2013 + i / 12, i % 12 + 1), status: status, value: Double(i),
                        severity: severities[Int(random.next() % 3)], explanation: "finding \(i) (\(status))")
                }
                let (episodes, pending) = EpisodeTracker.track(rule: rule, series: series, findings: findings)
                let (expectedEpisodes, expectedPending) = reference(rule, series, findings)
                #expect(episodes == expectedEpisodes)
                #expect(pending == expectedPending)
                episodesSeen += episodes.count
                pendingSeen += pending == nil ? 0 : 1
            }
        }
        // The runs exercised firing, resolving and pending alike.
        #expect(episodesSeen > 500)
        #expect(pendingSeen > 50)
    }

    @Test func anEpisodeKeepsItsFiringFindingAndItsWorstSeverity() throws {
        let rule = try Fixtures.rule("threshold", params: "{above: {warning: 10}}", forPeriods: 2)
        func finding(_ month: Int, _ status: Finding.Status, _ severity: Severity = .warning) -> Finding {
            Finding(period: .month(2013, month), status: status, severity: severity, explanation: "m\(month)")
        }
        let findings = [
            finding(1, .breach), finding(2, .hold), finding(3, .breach, .info), finding(4, .breach, .critical),
            finding(5, .breach, .info), finding(6, .clear), finding(7, .breach),
        ]
        let (episodes, pending) = EpisodeTracker.track(rule: rule, series: SeriesKey(indicator: "t.count"), findings: findings)
        #expect(episodes.count == 1)
        #expect("\(episodes[0].start) \(episodes[0].fired) \(episodes[0].latest.period)" == "2013-01 2013-03 2013-05")
        #expect(episodes[0].firingFinding.severity == .info)
        #expect(episodes[0].peakSeverity == .critical)
        #expect(episodes[0].resolved == .month(2013, 6))
        #expect(pending.map { "\($0.since) \($0.count)/\($0.needed)" } == "2013-07 1/2")
    }
}
