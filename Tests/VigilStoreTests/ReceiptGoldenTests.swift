import Foundation
import Testing
import VigilConfiguration
import VigilCore
import VigilStore

/// The receipts partners read, pinned whole: every file of the 2012/13 replay as text and as
/// JSON, with the values it changed and the alerts it raised, resolved or retracted. Regenerate
/// with `VIGIL_REGENERATE_GOLDEN=1 swift test --filter GoldenTests` and review `git diff Tests/Golden`.
@Suite struct ReceiptGoldenTests {
    @Test func everyReplayReceipt() throws {
        let replay = try Replay()
        var text = ""
        var json = ""
        for (file, outcome) in replay.outcomes {
            let name = String(file.dropFirst(Repo.example.count + 1))
            let feed = try FeedFiles.parsed(file, replay.loaded)
            #expect(feed.file == name)
            #expect(feed.sha256 == outcome.sha256)
            let receipt = Receipt(feed: feed, outcome: outcome)
            text += receipt.text + "\n\n"
            json += receipt.jsonLine + "\n"
        }
        #expect(replay.outcomes.count > 10)
        #expect(!text.contains(Repo.root), "receipts name the file as the partner dropped it, not where it was kept")
        try Golden.check("replay-receipts.txt", text)
        try Golden.check("replay-receipts.jsonl", json)
    }
}

/// Golden files under `Tests/Golden`.
enum Golden {
    /// Compares `actual` with the golden file, or rewrites it when `VIGIL_REGENERATE_GOLDEN=1`.
    static func check(_ name: String, _ actual: String) throws {
        let path = Repo.root + "/Tests/Golden/" + name
        if ProcessInfo.processInfo.environment["VIGIL_REGENERATE_GOLDEN"] == "1" {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(actual == expected, "\(name) differs from its golden file; regenerate only if the change is intended")
    }
}
