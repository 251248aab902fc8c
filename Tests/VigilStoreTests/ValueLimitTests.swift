import GRDB
import Testing
import VigilConfiguration
import VigilCore

@testable import VigilStore

/// A partner can store at most `max_values_per_partner` values: without a bound, files of
/// ever-earlier periods and cross-tabulations grew vigild's copy of the store past its memory
/// limit, and every restart read it all again (hostile review). Revisions cost nothing; a file
/// that would pass the limit is rejected whole, in the same transaction, and the copy is kept.
@Suite struct ValueLimitTests {
    static let catalogue = try! Catalogue.parse(
        yaml: """
            priorities: [{id: 1, title: One}]
            partners: [{id: police, name: Police}, {id: health, name: Health}]
            indicators:
              - {id: m.count, title: Missing, unit: count, periodicity: month, partners: [police], priorities: [1]}
              - {id: m.other, title: Other, unit: count, periodicity: month, partners: [police], priorities: [1]}
              - {id: h.count, title: Health, unit: count, periodicity: month, partners: [health], priorities: [1]}
              - {id: s.count, title: Shared, unit: count, periodicity: month, partners: [police, health], priorities: [1]}
            """, file: "c.yaml")
    private let engine = Engine(catalogue: Self.catalogue, rules: [])
    private let date = CivilDate(year: 2013, month: 12, day: 1)!

    private func feed(_ rows: [String], partner: String = "police") -> ParsedFeed {
        FeedParser(catalogue: Self.catalogue).parse(
            bytes: Array((["indicator,period,value"] + rows).joined(separator: "\n").utf8), file: "f.csv", partner: partner)
    }

    private func ingest(_ store: Store, _ feed: ParsedFeed, limit: Int?) throws -> IngestOutcome {
        try store.ingest(
            feed, receivedAt: "2013-12-01T10:00:00Z", engine: engine, date: date, effects: { _ in [] }, claim: nil,
            valueLimit: limit)
    }

    @Test(arguments: [false, true]) func aPartnersStoredValuesAreBounded(keepsCopies: Bool) throws {
        let store = try Store.inMemory(keepsCopies: keepsCopies)
        let first = try ingest(store, feed(["m.count,2013-01,1", "m.count,2013-02,2", "m.other,2013-01,3"]), limit: 5)
        #expect(first.status == .accepted && first.added == 3)
        // Three more of police's (over two of its indicators) would make six.
        let over = feed(["m.count,2013-03,1", "m.other,2013-02,2", "m.other,2013-03,3"])
        let refused = try ingest(store, over, limit: 5)
        #expect(refused.status == .rejected)
        #expect(
            refused.errors.map(\.description) == [
                "f.csv: error[feed.quota]: this file's 3 new values would give police 6 stored values, more than its limit of 5 (max_values_per_partner in vigil.yaml, set by IT); nothing from this file was stored"
            ])
        #expect(try store.dataset().keys.count == 2)
        #expect(try store.files().map(\.outcome) == [.accepted, .rejected])
        let receipt = Receipt(feed: over, outcome: refused)
        #expect(
            receipt.text.hasPrefix("REJECTED f.csv: 1 error(s); nothing from this file was stored\n  f.csv: error[feed.quota]"))
        #expect(receipt.jsonLine.contains("\"code\":\"feed.quota\""))
        // Revisions are free: three revised and two new make five.
        let revising = try ingest(
            store,
            feed(["m.count,2013-01,7", "m.count,2013-02,8", "m.other,2013-01,9", "m.count,2013-03,1", "m.count,2013-04,1"]),
            limit: 5)
        #expect(revising.status == .accepted && revising.added == 2 && revising.revised == 3)
        // Another partner has its own count.
        #expect(try ingest(store, feed((1...5).map { "h.count,2013-0\($0),1" }, partner: "health"), limit: 5).added == 5)
        // The refused file, sent again once IT has raised the limit, is judged again.
        let again = try ingest(store, over, limit: 8)
        #expect(again.status == .accepted && again.added == 2 && again.unchanged == 1)
        let data = try store.dataset()
        #expect(data.keys.count == 3)
        #expect(data.keys.map { data.points($0).count }.reduce(0, +) == 12)
    }

    /// Values count against the partner whose file stored them, not against every partner that
    /// may supply the indicator: police filling a shared indicator must not block health
    /// (review: health's corrections were all refused). A file of revisions only is always
    /// taken, even by a partner over its limit (IT lowered it).
    @Test func valuesCountAgainstThePartnerThatStoredThem() throws {
        let store = try Store.inMemory(keepsCopies: true)
        #expect(try ingest(store, feed((1...5).map { "h.count,2013-0\($0),1" }, partner: "health"), limit: 10).added == 5)
        #expect(try ingest(store, feed((1...8).map { "s.count,2013-0\($0),1" }), limit: 10).added == 8)
        // Health: 5 of its own; police's 8 of the shared indicator are police's.
        let health = try ingest(store, feed(["h.count,2013-01,11", "s.count,2013-09,1"], partner: "health"), limit: 10)
        #expect(health.status == .accepted && health.added == 1 && health.revised == 1)
        // Police is at 8; with a limit of 5 it can still correct what it sent, but add nothing.
        let corrections = try ingest(store, feed(["s.count,2013-01,2", "s.count,2013-02,3"]), limit: 5)
        #expect(corrections.status == .accepted && corrections.revised == 2)
        let more = try ingest(store, feed(["s.count,2013-01,4", "s.count,2013-10,1"]), limit: 5)
        #expect(
            more.errors.map(\.description) == [
                "f.csv: error[feed.quota]: this file's 1 new values would give police 9 stored values, more than its limit of 5 (max_values_per_partner in vigil.yaml, set by IT); nothing from this file was stored"
            ])
        let counts = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT partner, indicator, n FROM value_counts ORDER BY partner, indicator").map {
                "\($0["partner"] as String) \($0["indicator"] as String) \($0["n"] as Int)"
            }
        }
        #expect(counts == ["health h.count 5", "health s.count 1", "police s.count 8"])
    }
}
