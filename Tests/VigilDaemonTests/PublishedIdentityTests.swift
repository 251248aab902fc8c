import Foundation
import Testing
import VigilConfiguration
import VigilCore
import VigilService

@testable import VigilStore

/// A record-level extract's SHA-256 went into the journal, its receipt and its values' sources:
/// for a tiny extract whose rows can be guessed, any reader of the journal could confirm a guess
/// (review helper-17). What is published is an HMAC of it under the store's own key.
@Suite struct PublishedIdentityTests {
    /// The shipped configuration, an empty store and the one ingest path over them.
    static func shipped() throws -> (LoadedConfiguration, Store, Ingestor) {
        let loaded = try ConfigurationLoader.load(path: TestDeployment.repo + "/config/vigil.yaml")
        let store = try Store.inMemory()
        let ingestor = Ingestor(
            store: store, engine: Engine(catalogue: loaded.catalogue, rules: loaded.rules), valueLimit: nil,
            vocabulary: FileNameVocabulary(catalogue: loaded.catalogue))
        return (loaded, store, ingestor)
    }

    /// RFC 4231, test cases 1 and 2.
    @Test func hmacGivesTheStandardsVectors() {
        let one = SHA256.hmac(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8)).hexString
        #expect(one == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        let two = SHA256.hmac(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)).hexString
        #expect(two == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // A key longer than a block is hashed first (test case 6).
        let six = SHA256.hmac(
            key: [UInt8](repeating: 0xaa, count: 131),
            message: Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8)
        ).hexString
        #expect(six == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test func aRecordLevelExtractIsPublishedUnderTheStoresKey() throws {
        let loaded = try ConfigurationLoader.load(path: TestDeployment.repo + "/config/vigil.yaml")
        let store = try Store.inMemory()
        let engine = Engine(catalogue: loaded.catalogue, rules: loaded.rules)
        let ingestor = Ingestor(
            store: store, engine: engine, valueLimit: nil, vocabulary: FileNameVocabulary(catalogue: loaded.catalogue))
        let csv =
            "episode_id,child_ref,reported_at,returned_at,in_care,age,sex,locality,source\nE1,CHILD-0042,2012-04-01T10:00:00,,N,14,F,North,police\n"
        let feed = loaded.parser.parse(bytes: Array(csv.utf8), file: "x.csv", partner: "police")
        #expect(feed.recordFeed != nil && feed.errors.isEmpty)
        let plain = SHA256.hex(Array(csv.utf8))
        #expect(feed.sha256 == plain)
        let source = Ingestor.Source(partner: "police", name: "x.csv", label: "police/x.csv", receipt: true)
        let date = CivilDate(year: 2013, month: 5, day: 1)!
        let outcome = try ingestor.ingest(feed, from: source, receivedAt: "2013-05-01T00:00:00Z", date: date)
        #expect(outcome.status == .accepted)
        let keyed = SHA256.hmac(key: try store.fileKey(), message: Array(("police/" + plain).utf8)).hexString
        #expect(outcome.sha256 == keyed)
        // Nowhere in what is published or stored of it: the receipt and journal entries waiting in
        // the outbox, the file's record, its values' sources.
        let (payloads, files, sources) = try store.read { db in
            (
                try String.fetchAll(db, sql: "SELECT payload FROM outbox"),
                try String.fetchAll(db, sql: "SELECT sha256 FROM files"),
                try String.fetchAll(db, sql: "SELECT DISTINCT sources FROM current_values")
            )
        }
        #expect(!payloads.isEmpty && payloads.allSatisfy { !$0.contains(plain) })
        #expect(payloads.contains { $0.contains(keyed) })
        #expect(files == [keyed])
        #expect(sources == [keyed])
        // Within the installation it is the same file: a second copy is a duplicate.
        #expect(try ingestor.ingest(feed, from: source, receivedAt: "2013-05-02T00:00:00Z", date: date).status == .duplicate)
        // Another store has another key.
        #expect(try Store.inMemory().fileKey() != (try store.fileKey()))
        // An aggregate file, which holds no child's identifier, keeps its SHA-256.
        let aggregate = "indicator,period,value\nmissing.incidents,2013-03,12\n"
        let parsed = loaded.parser.parse(bytes: Array(aggregate.utf8), file: "a.csv", partner: "police")
        let kept = try ingestor.ingest(parsed, from: source, receivedAt: "2013-05-03T00:00:00Z", date: date)
        #expect(kept.sha256 == SHA256.hex(Array(aggregate.utf8)))
    }

    /// Review helper-30: an extract the parser did not take as one (no header row, an extra
    /// column, or a police extract dropped by another partner) was rejected with its plain
    /// SHA-256 in the receipt, the journal and the log, so a reader of the journal could confirm
    /// a guess at its rows as before the fix above. Every rejected file is published keyed: a
    /// rejected file may be anything, an extract among them.
    @Test func aRejectedFileIsPublishedUnderTheStoresKey() throws {
        let (loaded, store, ingestor) = try Self.shipped()
        let header = "episode_id,child_ref,reported_at,returned_at,in_care,age,sex,locality,source\n"
        let row = "E1,CHILD-0042,2012-04-01T10:00:00,,N,14,F,North,police\n"
        let shapes = [
            ("police", row + row.replacingOccurrences(of: "E1,CHILD-0042", with: "E2,CHILD-0043")),  // no header
            (
                "police",
                header.replacingOccurrences(of: "source\n", with: "source,note\n")
                    + row.replacingOccurrences(of: "police\n", with: "police,x\n")
            ),
            ("childrens-services", header + row),  // another partner's extract
        ]
        let date = CivilDate(year: 2013, month: 5, day: 1)!
        for (i, (partner, csv)) in shapes.enumerated() {
            let feed = loaded.parser.parse(bytes: Array(csv.utf8), file: "r\(i).csv", partner: partner)
            #expect(!feed.isAccepted)
            let plain = SHA256.hex(Array(csv.utf8))
            let source = Ingestor.Source(partner: partner, name: "r\(i).csv", label: "\(partner)/r\(i).csv", receipt: true)
            let outcome = try ingestor.ingest(feed, from: source, receivedAt: "2013-05-01T00:00:0\(i)Z", date: date)
            #expect(outcome.status == .rejected)
            #expect(outcome.sha256 == Store.publishedIdentity(of: plain, partner: partner, key: try store.fileKey()))
            let payloads = try store.read { db in try String.fetchAll(db, sql: "SELECT payload FROM outbox") }
            #expect(!payloads.isEmpty && payloads.allSatisfy { !$0.contains(plain) && !$0.contains(plain.prefix(12)) })
        }
    }

    /// Review helper-51: under one key for every partner, any partner could learn the published
    /// identity of any bytes (drop them, read the rejected receipt) and so confirm a guess at
    /// another partner's extract from the journal, or from an alert's sources in its own receipt.
    /// The identity is keyed per partner: the same bytes from two partners are two identities.
    @Test func theSameBytesFromAnotherPartnerArePublishedUnderAnotherIdentity() throws {
        let (loaded, store, ingestor) = try Self.shipped()
        let csv =
            "episode_id,child_ref,reported_at,returned_at,in_care,age,sex,locality,source\nE1,CHILD-0042,2012-04-01T10:00:00,,N,14,F,North,police\n"
        let date = CivilDate(year: 2013, month: 5, day: 1)!
        var published: [String: String] = [:]
        for (i, partner) in ["police", "health", "board"].enumerated() {
            let feed = loaded.parser.parse(bytes: Array(csv.utf8), file: "x.csv", partner: partner)
            let source = Ingestor.Source(partner: partner, name: "x.csv", label: "\(partner)/x.csv", receipt: true)
            let outcome = try ingestor.ingest(feed, from: source, receivedAt: "2013-05-01T00:00:0\(i)Z", date: date)
            #expect(outcome.status == (partner == "police" ? .accepted : .rejected))
            published[partner] = outcome.sha256
        }
        #expect(Set(published.values).count == 3)
        let plain = SHA256.hex(Array(csv.utf8))
        #expect(published["police"] == Store.publishedIdentity(of: plain, partner: "police", key: try store.fileKey()))
        #expect(published["health"] == Store.publishedIdentity(of: plain, partner: "health", key: try store.fileKey()))
        // Police's values carry police's identity only.
        let sources = try store.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT sources FROM current_values") }
        #expect(sources == [published["police"]!])
    }

    /// Review helper-32: a rejected file is recorded under its keyed identity and the same bytes,
    /// once accepted, under the plain SHA-256, so the file stayed counted among the rejections. The
    /// acceptance replaces the rejection; a rejection after an acceptance keeps the acceptance.
    @Test func aRejectedFileAcceptedLaterIsOneFile() throws {
        let (loaded, store, ingestor) = try Self.shipped()
        let csv = "indicator,period,value\nmissing.incidents,2013-03,12\n"
        let good = loaded.parser.parse(bytes: Array(csv.utf8), file: "a.csv", partner: "police")
        var bad = good
        bad.errors = [VigilError(code: .header, message: "refused this time", location: nil)]
        let source = Ingestor.Source(partner: "police", name: "a.csv", label: "police/a.csv", receipt: true)
        let date = CivilDate(year: 2013, month: 5, day: 1)!
        func outcomes() throws -> [String] {
            try store.read { db in try String.fetchAll(db, sql: "SELECT outcome FROM files ORDER BY outcome") }
        }
        #expect(try ingestor.ingest(bad, from: source, receivedAt: "2013-05-01T00:00:00Z", date: date).status == .rejected)
        #expect(try outcomes() == ["rejected"])
        #expect(try ingestor.ingest(good, from: source, receivedAt: "2013-05-02T00:00:00Z", date: date).status == .accepted)
        #expect(try outcomes() == ["accepted"])
        #expect(try ingestor.ingest(bad, from: source, receivedAt: "2013-05-03T00:00:00Z", date: date).status == .rejected)
        #expect(try outcomes() == ["accepted"])
    }
}
