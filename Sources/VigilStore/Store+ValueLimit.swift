import GRDB
import VigilCore

/// The bound on what a partner can store (`max_values_per_partner`).
///
/// Without it a partner could fill the store with values of ever-earlier periods or every
/// cross-tabulation of its breakdowns, and vigild, which keeps a copy of every current value in
/// memory, would pass its memory limit, and again after each restart. The store counts current
/// values per indicator (`value_counts`, kept in every ingest's transaction), and a partner's
/// count is the sum over the indicators it may supply. Revisions and unchanged values are free.
extension Store {
    /// The refusal of `feed` if storing it would give its partner more than `limit` values, or nil.
    /// Checked before anything of the file is written, so a refusal changes neither the store nor
    /// the in-memory copy. The file's new keys are counted only when it could pass the limit.
    func valueLimitRefusal(
        _ db: Database, _ feed: ParsedFeed, partner: String, limit: Int, catalogue: Catalogue, copyIsCurrent: Bool
    )
        throws -> VigilError?
    {
        let own = catalogue.indicators.filter { $0.partners.contains(partner) }.map { "\"\($0.id)\"" }
        let stored =
            try Int.fetchOne(
                db, sql: "SELECT COALESCE(SUM(n), 0) FROM value_counts WHERE indicator IN (SELECT value FROM json_each(?))",
                arguments: ["[" + own.joined(separator: ",") + "]"]) ?? 0
        guard stored + feed.observations.count > limit else { return nil }
        let lookup = try RowStatement(
            db, sql: "SELECT 1 FROM current_values WHERE indicator = ? AND breakdown = ? AND period = ?")
        var new = 0
        for observation in feed.observations {
            let isStored: Bool
            if copyIsCurrent {
                isStored = cache.dataset?.point(Store.storedSeries(observation.series), observation.period) != nil
            } else {
                try lookup.bind(1, observation.series.indicator)
                try lookup.bind(2, observation.series.breakdown.key)
                try lookup.bind(3, "\(observation.period)")
                isStored = try lookup.firstRow { _ in true } ?? false
            }
            if !isStored { new += 1 }
        }
        guard stored + new > limit else { return nil }
        return VigilError(
            code: .quota,
            message: "this file's \(new) new values would give \(partner) \(stored + new) stored values, more than its limit of"
                + " \(limit) (max_values_per_partner in vigil.yaml, set by IT); nothing from this file was stored",
            location: SourceLocation(file: feed.file))
    }

    /// Adds a file's new values to their indicators' counts.
    func countNewValues(_ db: Database, _ added: [String: Int]) throws {
        for (indicator, n) in added.sorted(by: { $0.key < $1.key }) {
            try db.execute(
                sql: "INSERT INTO value_counts VALUES (?, ?) ON CONFLICT (indicator) DO UPDATE SET n = n + excluded.n",
                arguments: [indicator, n])
        }
    }

    /// The series as `dataset(db)` reads it back, the key the in-memory copy holds: the parsed
    /// series itself unless a name or value holds a comma or an equals sign, which its stored
    /// text cannot carry.
    static func storedSeries(_ series: SeriesKey) -> SeriesKey {
        series.breakdown.pairs.allSatisfy { !breaksKey($0.dimension) && !breaksKey($0.value) }
            ? series : SeriesKey(indicator: series.indicator, breakdown: Breakdown(key: series.breakdown.key))
    }
}
