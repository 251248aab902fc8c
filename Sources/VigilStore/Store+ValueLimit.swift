import GRDB
import VigilCore

/// The bound on what a partner can store (`max_values_per_partner`).
///
/// Without it a partner could fill the store with values of ever-earlier periods or every
/// cross-tabulation of its breakdowns, and vigild, which keeps a copy of every current value in
/// memory, would pass its memory limit, and again after each restart. The store counts the current
/// values each partner's files stored, per indicator (`value_counts`, kept in every ingest's
/// transaction): values count against the partner that stored them, never against another that
/// may supply the same indicator. Revisions and unchanged values are free: a file that adds
/// nothing is never refused, even from a partner over its limit.
extension Store {
    /// The refusal of `feed` if storing it would give its partner more than `limit` values, or nil.
    /// Checked before anything of the file is written, so a refusal changes neither the store nor
    /// the in-memory copy. The file's new keys are counted only when it could pass the limit.
    func valueLimitRefusal(_ db: Database, _ feed: ParsedFeed, partner: String, limit: Int, copyIsCurrent: Bool) throws
        -> VigilError?
    {
        let stored =
            try Int.fetchOne(
                db.cachedStatement(sql: "SELECT COALESCE(SUM(n), 0) FROM value_counts WHERE partner = ?"), arguments: [partner])
            ?? 0
        guard stored + feed.observations.count > limit else { return nil }
        let lookup = try RowStatement(
            db, sql: Store.storedValueSQL)
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
        guard new > 0, stored + new > limit else { return nil }
        return VigilError(
            code: .quota,
            message: "this file's \(new) new values would give \(partner) \(stored + new) stored values, more than its limit of"
                + " \(limit) (max_values_per_partner in vigil.yaml, set by IT); nothing from this file was stored",
            location: SourceLocation(file: feed.file))
    }

    /// One key's stored value and revision: the ingest's lookup and the limit's count of new keys
    /// share it (and so one prepared statement).
    static let storedValueSQL =
        "SELECT number, marker, revision FROM current_values WHERE indicator = ? AND breakdown = ? AND period = ?"

    /// Adds a file's new values to its partner's counts ('' for a file with no partner). The
    /// statement is prepared once per connection: compiled for each indicator of each file, it
    /// cost a monthly file about 5% of its drop-to-journal time.
    func countNewValues(_ db: Database, partner: String, _ added: [String: Int]) throws {
        guard !added.isEmpty else { return }
        let upsert = try db.cachedStatement(
            sql: "INSERT INTO value_counts VALUES (?, ?, ?) ON CONFLICT (partner, indicator) DO UPDATE SET n = n + excluded.n")
        for (indicator, n) in added.sorted(by: { $0.key < $1.key }) {
            try upsert.execute(arguments: [partner, indicator, n])
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
