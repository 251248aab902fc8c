import Foundation
import Testing

/// The outputs people read, pinned whole: the demo (text and JSON), a rejected file's check, and
/// the replay's Markdown digest. A change to any of them shows as a diff to review. Regenerate
/// with `VIGIL_REGENERATE_GOLDEN=1 swift test --filter GoldenTests` and review `git diff Tests/Golden`.
@Suite(.serialized) struct GoldenTests {
    static let folder = VigilBinary.root + "/Tests/Golden"

    private func golden(_ name: String, _ actual: String) throws {
        let path = Self.folder + "/" + name
        if ProcessInfo.processInfo.environment["VIGIL_REGENERATE_GOLDEN"] == "1" {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(actual == expected, "\(name) differs from its golden file; regenerate only if the change is intended")
    }

    @Test func demoText() throws {
        let result = try VigilBinary.run(["demo"])
        #expect(result.status == 0)
        try golden("demo.txt", result.stdout)
    }

    @Test func demoJSON() throws {
        let result = try VigilBinary.run(["demo", "--format", "json"])
        #expect(result.status == 0)
        try golden("demo.jsonl", result.stdout)
    }

    @Test func aRejectedFilesCheck() throws {
        let result = try VigilBinary.run(["check", "Tests/Golden/police/broken.csv"])
        #expect(result.status == 1)
        try golden("check-broken.txt", result.stdout)
        let json = try VigilBinary.run(["check", "--format", "json", "Tests/Golden/police/broken.csv"])
        try golden("check-broken.json", json.stdout)
    }

    @Test func replayDigestMarkdown() throws {
        let result = try VigilBinary.run([
            "digest", "--ephemeral", "--replay", "config/examples/peterborough-2012-13", "--at", "2013-04-30", "--period",
            "2012/13", "--format", "markdown", "--title", "Peterborough Safeguarding Children Board", "--output", "-",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        // The generation time and the replay's receipt times are the only parts that change
        // from run to run.
        let stable = result.stdout.replacingOccurrences(
            of:
                #"\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4} at \d\d:\d\d UTC"#,
            with: "<time>", options: .regularExpression)
        #expect(stable.contains("Generated <time>."))
        #expect(stable.contains("Cambridgeshire Constabulary: last file <time>; latest data March 2013"))
        try golden("digest-2012-13.md", stable)
    }
}
