import Foundation

extension DetectionCeiling {
    /// Page's CUSUM on the log-likelihood ratio of mean `factor` × m against the known mean m,
    /// for counts of `model` (the ideal rule for a change of that size when m is known).
    struct IdealCUSUM {
        var model: CountModel
        var mean: Double
        var factor: Double
        /// The ratio for each count up to the model's support, looked up rather than recomputed.
        private var table: [Double]

        /// The CUSUM for a change from `mean` to `factor` × `mean`.
        init(_ model: CountModel, mean: Double, factor: Double) {
            self.model = model
            self.mean = mean
            self.factor = factor
            let n = model.support(mean, mean * factor)
            table = (0...n).map { model.logPMF($0, mean: mean * factor) - model.logPMF($0, mean: mean) }
        }

        /// The log-likelihood ratio of one count.
        func ratio(_ x: Int) -> Double {
            x < table.count ? table[x] : model.logPMF(x, mean: mean * factor) - model.logPMF(x, mean: mean)
        }

        /// The periods in which the sum reaches `h` and is positive (it restarts from 0 after each).
        func alarms(_ counts: [Int], h: Double) -> [Int] {
            var s = 0.0
            var found: [Int] = []
            for (i, x) in counts.enumerated() {
                s = max(0, s + ratio(x))
                if s >= h && s > 0 {
                    found.append(i)
                    s = 0
                }
            }
            return found
        }

        /// Alarms from period `from` on, per series-year of those periods. Every alarm counts, even
        /// one the period after another: the sum restarted from 0 and reached `h` again.
        func falseAlarmRate(_ series: [[Int]], h: Double, from: Int) -> Double {
            let found = series.reduce(0) { $0 + alarms($1, h: h).filter { $0 >= from }.count }
            let years = Double(series.reduce(0) { $0 + max(0, $1.count - from) }) / 12
            return Double(found) / max(years, 1)
        }

        /// The smallest decision interval (to 0.001) whose false alarms on `clean` series stay
        /// within `budget` per series-year, found by bisection on the same series throughout.
        func calibrated(_ clean: [[Int]], budget: Double, from: Int) -> Double {
            var high = 1.0
            while falseAlarmRate(clean, h: high, from: from) > budget && high < 1000 { high *= 2 }
            var low = 0.0
            while high - low > 0.001 {
                let middle = (low + high) / 2
                if falseAlarmRate(clean, h: middle, from: from) > budget { low = middle } else { high = middle }
            }
            return high
        }
    }
}
