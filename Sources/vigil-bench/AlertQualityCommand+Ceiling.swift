import Foundation

extension AlertQualityCommand {
    /// The detection no rule can beat at the false-alarm budget, per noise, mean and event, beside
    /// what the ideal rule for that event would reach (see `DetectionCeiling`): on a flat baseline
    /// (no holiday months) whose mean and dispersion are known, with the events planted as in the
    /// main table.
    func ceilings(budget: Double, counts: inout SyntheticCounts) {
        let months = years * 12
        let t = months - 10
        print(
            "\nceilings at \(budget) false alarms per series-year (flat baseline, mean and dispersion known): "
                + "the most powerful test with the onset known / the ideal CUSUM for the event (its h)")
        print("noise | mean | " + Self.events.map(\.name).joined(separator: " | "))
        print("--- | --- | " + Self.events.map { _ in "---" }.joined(separator: " | "))
        for noiseModel in noiseList {
            let model = DetectionCeiling.CountModel(noiseModel)
            for mean in meanList {
                // The ideal CUSUM's interval is set on its own clean series, at least 500.
                let clean = (0..<max(series, 500)).map { _ in
                    (0..<months).map { _ in Int(counts.draw(mean, noiseModel)) }
                }
                var cells: [String] = []
                for event in Self.events {
                    var means = Array(repeating: mean, count: months)
                    event.apply(&means, t)
                    let window = event.window(t)
                    let level = min(1, Double(window.count) * budget / 12)
                    let ceiling =
                        window.count == 1
                        ? DetectionCeiling.onePeriod(model, clean: mean, event: means[t], level: level)
                        : DetectionCeiling.window(
                            model, clean: Array(repeating: mean, count: window.count), event: Array(means[window]),
                            level: level, draws: 20_000, counts: &counts)
                    let extreme = event.sign > 0 ? means[window].max() ?? mean : means[window].min() ?? mean
                    let cusum = DetectionCeiling.IdealCUSUM(model, mean: mean, factor: extreme / mean)
                    let h = cusum.calibrated(clean, budget: budget, from: 12)
                    var caught = 0
                    for _ in 0..<series {
                        let noisy = means.map { Int(counts.draw($0, noiseModel)) }
                        if cusum.alarms(noisy, h: h).contains(where: window.contains) { caught += 1 }
                    }
                    cells.append(
                        String(
                            format: "%.0f%% / %.0f%% (h %.2f)", 100 * ceiling, 100 * Double(caught) / Double(series), h))
                }
                print("\(noiseModel.rawValue) | \(Int(mean)) | " + cells.joined(separator: " | "))
            }
        }
    }
}
