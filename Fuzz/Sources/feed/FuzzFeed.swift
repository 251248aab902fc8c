import Foundation
import VigilCore

/// The repository's catalogue and record-level feeds, loaded once.
let shipped: (Catalogue, [RecordFeed]) = {
    var root = URL(fileURLWithPath: #filePath)
    for _ in 0..<4 { root.deleteLastPathComponent() }
    let config = root.appendingPathComponent("config")
    let catalogueText = try! String(contentsOf: config.appendingPathComponent("catalogue.yaml"), encoding: .utf8)
    let catalogue = try! Catalogue.parse(yaml: catalogueText, file: "catalogue.yaml")
    var feeds: [RecordFeed] = []
    let folder = config.appendingPathComponent("records.d")
    for name in try! FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() where name.hasSuffix(".yaml") {
        let text = try! String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        feeds += RecordFeed.parse(yaml: text, file: name, catalogue: catalogue, diagnostics: Diagnostics())
    }
    return (catalogue, feeds)
}()

/// The feed parser (aggregate CSV and JSON, record-level extracts) as a partner would reach it:
/// never crashes, and the result depends neither on how the file is cut into chunks nor on
/// whether a record-level extract is read on one core or two (cut into small segments here).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    var parser = FeedParser(catalogue: shipped.0, recordFeeds: shipped.1)
    parser.evaluationDate = CivilDate(year: 2013, month: 4, day: 30)
    let partners = ["police", "health", "childrens-services"]
    let partner = partners[size == 0 ? 0 : Int(bytes[size - 1]) % partners.count]
    func run(_ cut: Int, segment: Int? = nil) -> String {
        var parser = parser
        parser.parallelRecords = segment != nil
        parser.recordSegmentBytes = segment ?? 1
        var chunks = cut == 0 ? [bytes] : [Array(bytes[..<cut]), Array(bytes[cut...])]
        let feed = parser.parse(file: "f.csv", partner: partner) { chunks.isEmpty ? nil : chunks.removeFirst() }
        return feed.errors.map(\.description).joined(separator: "\n") + "|\(feed.rows)|\(feed.errorCount)|"
            + feed.observations.map { "\($0.series)@\($0.period)=\($0.value)" }.joined(separator: ",")
    }
    let whole = run(0)
    let split = run(size == 0 ? 0 : Int(bytes[0]) % (size + 1))
    precondition(whole == split, "chunking changed the parse")
    let lanes = run(size == 0 ? 0 : Int(bytes[0]) % (size + 1), segment: size < 2 ? 1 : 1 + Int(bytes[1]) % 64)
    precondition(whole == lanes, "reading on two cores changed the parse")
    return 0
}
