extension RuleEvaluator {
    /// The lag-1 autocorrelation r of `values`, when it exceeds z standard errors (z ÷ √n); nil
    /// for fewer than 3 values, a flat run, or r within chance of 0. The values' order only needs
    /// to be consistent: r is the same read forwards or backwards. Shared by `cusum` and `spc`
    /// (`autocorrelation_z`), which widen their scales by different factors.
    static func significantAutocorrelation(_ values: some Collection<Double>, z: Double) -> Double? {
        let n = values.count
        guard n >= 3 else { return nil }
        let mean = values.reduce(0, +) / Double(n)
        var squares = 0.0
        var products = 0.0
        var previous: Double?
        for value in values {
            let d = value - mean
            squares += d * d
            if let previous { products += previous * d }
            previous = d
        }
        guard squares > 0 else { return nil }
        let r = products / squares
        return r > z / Double(n).squareRoot() ? r : nil
    }
}
