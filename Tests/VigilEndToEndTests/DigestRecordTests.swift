import Foundation
import Testing

/// "Since last" moves only for a recorded digest: previews (to standard output, for a period, for a
/// sub-group) leave it where it was, so the next scheduled digest leaves nothing out.
@Suite(.serialized) struct DigestRecordTests {
    /// A store holding the 2012/13 replay, evaluated at the end of April 2013.
    private func replayStore(in folder: String) throws -> String {
        let store = folder + "/vigil.sqlite"
        let replay = try VigilBinary.run([
            "evaluate", "--store", store, "--at", "2013-04-30", "config/examples/peterborough-2012-13",
        ])
        #expect(replay.status == 1, "the replay holds rejected files by design: \(replay.stderr)")
        return store
    }

    @Test func previewsNeverMoveSinceLastAndARecordedDigestDoes() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try replayStore(in: folder)
        func preview(_ extra: [String] = []) throws -> String {
            let r = try VigilBinary.run(
                ["digest", "--store", store, "--at", "2013-04-30", "--format", "text", "--output", "-"] + extra)
            #expect(r.status == 0, "\(r.stderr)")
            return r.stdout
        }
        let first = try preview()
        #expect(first.contains("Alert digest of every alert so far (the first digest)."))
        #expect(first.hasPrefix("PETERBOROUGH SAFEGUARDING CHILDREN BOARD\n"), "the title comes from `board` in vigil.yaml")
        _ = try preview(["--period", "2012/13"])
        _ = try preview(["--priority", "7"])
        // The generation time is the one line that may differ (a minute can turn between previews).
        func stable(_ text: String) -> String {
            text.replacingOccurrences(of: #"Generated [^.]* UTC\."#, with: "Generated (time).", options: .regularExpression)
        }
        #expect(stable(try preview()) == stable(first), "previews left 'since last' where it was")

        let refused = try VigilBinary.run(["digest", "--store", store, "--record", "--output", "-"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--record writes the digest to a file; --output - is a preview"))

        let recorded = try VigilBinary.run([
            "digest", "--store", store, "--at", "2013-04-30", "--record", "--format", "text", "--output", folder + "/d.txt",
        ])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let after = try preview()
        #expect(after.contains("Alert digest of alerts since the last digest ("))
        #expect(after.contains("Since the last digest: none raised, none resolved, none retracted (the last digest was written "))
    }

    /// A digest that could not be emailed is not recorded: "since last" stays where it was, so
    /// the next digest holds what this one would have told (review helper-21: it was recorded
    /// before the sends, and a mail server down for the night lost that month's email).
    @Test func aDigestNotSentIsNotRecorded() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = try replayStore(in: folder)
        // Nothing listens on localhost:25 here.
        let unsent = try VigilBinary.run([
            "digest", "--store", store, "--at", "2013-04-30", "--record", "--format", "text", "--output", folder + "/d.txt",
            "--mail-to", "chair@council.example",
        ])
        #expect(unsent.status == 1, "\(unsent.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/d.txt"), "the file is still written")
        #expect(unsent.stderr.contains("not recorded: the next digest starts where this one did"), "\(unsent.stderr)")
        let preview = try VigilBinary.run([
            "digest", "--store", store, "--at", "2013-04-30", "--format", "text", "--output", "-",
        ])
        #expect(preview.stdout.contains("Alert digest of every alert so far (the first digest)."))
    }
}
