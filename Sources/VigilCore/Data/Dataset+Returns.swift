/// A return as a whole: the periods an indicator was sent for, by its total row or any category.
extension Dataset {
    /// One point for each period any series of the indicator has a value for, oldest first: the
    /// first series' point in key order (the total's, when it was sent). A return sent only by
    /// category was still sent (review helper-23), so `overdue` on a return's total judges these.
    public func returnPoints(indicator: String) -> [SeriesPoint] {
        let keys = keys(indicator: indicator)
        if keys.count == 1 { return points(keys[0]) }
        var byPeriod: [Period: SeriesPoint] = [:]
        for key in keys {
            for point in points(key) where byPeriod[point.period] == nil { byPeriod[point.period] = point }
        }
        return byPeriod.values.sorted { $0.period < $1.period }
    }
}
