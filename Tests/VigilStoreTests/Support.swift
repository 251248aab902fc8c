import Foundation
import VigilConfiguration
import VigilCore
import VigilStore

/// Paths and helpers shared by store and replay tests.
enum Repo {
    /// The repository root (three levels above this file).
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var config: String { root + "/config/vigil.yaml" }
    static var example: String { root + "/config/examples/peterborough-2012-13" }

    /// A fresh temporary folder.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "vigil-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// A one-indicator catalogue (monthly missing incidents from the police) for store tests.
enum MissingCatalogue {
    static let catalogue = try! Catalogue.parse(
        yaml: """
            priorities: [{id: 1, title: One}]
            partners: [{id: police, name: Police}]
            indicators:
              - {id: m.count, title: Missing incidents, unit: count, periodicity: month, polarity: higher_is_worse, partners: [police], priorities: [1]}
            """, file: "c.yaml")
}

/// Replays the bundled example into a store.
struct Replay {
    let loaded: LoadedConfiguration
    let store: Store
    let engine: Engine
    var outcomes: [(file: String, outcome: IngestOutcome)] = []
    var events: [AlertEvent] = []

    init(store: Store? = nil, date: CivilDate = CivilDate(year: 2013, month: 4, day: 30)!) throws {
        loaded = try ConfigurationLoader.load(path: Repo.config)
        self.store = try store ?? Store.inMemory()
        engine = Engine(catalogue: loaded.catalogue, rules: loaded.rules)
        let parser = loaded.parser
        for file in try FeedFiles.collect([Repo.example]) {
            let feed = try FeedFiles.parsed(file, loaded, parser: parser)
            let outcome = try self.store.ingest(feed, receivedAt: "\(date)", engine: engine, date: date)
            outcomes.append((file, outcome))
            events += outcome.events
        }
    }
}

extension FeedFiles {
    /// A repository file read as the command line reads it, its partner named by its folder.
    static func parsed(_ file: String, _ loaded: LoadedConfiguration, parser: FeedParser? = nil) throws -> ParsedFeed {
        let partner = FeedFiles.partner(for: file, given: nil, catalogue: loaded.catalogue)
        guard case .parsed(let feed) = FeedFiles.read(file, partner: partner, parser: parser ?? loaded.parser, maxBytes: 1 << 30)
        else { throw VigilError(code: .unreadable, message: "refused", location: SourceLocation(file: file)) }
        return feed
    }
}
