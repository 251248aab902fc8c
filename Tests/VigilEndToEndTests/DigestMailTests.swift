import Foundation
import Testing

/// The digest by email: `vigil digest --send` hands one MIME message per recipient list to an SMTP
/// server (here a sink the test starts), and Python's email package parses what was delivered.
@Suite(.serialized) struct DigestMailTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].contains {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    private func freePort() -> Int { 20_000 + Int(getpid() % 20_000) }

    private func summary(_ file: String) throws -> [String: Any] {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: VigilBinary.root + "/tests/mail/mime-summary")
        p.arguments = [file]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test(.enabled(if: chromium, "the PDF attachment needs Chromium (scripts/install-deps installs it)"))
    func eachRecipientListGetsItsDigestAsTextHTMLAndPDF() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let port = freePort()
        let sink = Process()
        sink.executableURL = URL(fileURLWithPath: VigilBinary.root + "/tests/mail/smtp-sink")
        sink.arguments = ["127.0.0.1", String(port), folder + "/mail"]
        let ready = Pipe()
        sink.standardOutput = ready
        sink.standardError = FileHandle.nullDevice
        try sink.run()
        defer {
            kill(sink.processIdentifier, SIGKILL)
            sink.waitUntilExit()
        }
        _ = ready.fileHandleForReading.availableData  // "ready"

        // The repository's configuration with two recipient lists.
        let fm = FileManager.default
        for item in ["catalogue.yaml", "rules.d", "records.d"] {
            try fm.copyItem(atPath: VigilBinary.root + "/config/" + item, toPath: folder + "/" + item)
        }
        try """
        catalogue: catalogue.yaml
        rules: [rules.d/*.yaml]
        records: [records.d/*.yaml]
        board: "Peterborough Safeguarding Children Board"
        digest:
          from: vigil@council.example
          smtp: 127.0.0.1:\(port)
          recipients:
            - {name: Whole board, to: [chair@council.example, manager@council.example]}
            - {name: CSE and missing, to: [cse@council.example], priorities: [7]}
            - {name: Partners' leads, to: [leads@council.example], suppress_small: true}
        """.write(toFile: folder + "/vigil.yaml", atomically: true, encoding: .utf8)

        let result = try VigilBinary.run([
            "digest", "--config", folder + "/vigil.yaml", "--replay", "config/examples/peterborough-2012-13", "--at",
            "2013-04-30", "--period", "2012/13", "--output", folder + "/d.html", "--send",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("sent to chair@council.example, manager@council.example\n"))
        #expect(result.stdout.contains("sent to cse@council.example\n"))

        let board = try summary(folder + "/mail/1.eml")
        #expect(board["sinkTo"] as? String == "<chair@council.example>,<manager@council.example>")
        #expect(board["from"] as? String == "vigil@council.example")
        #expect(board["subject"] as? String == "Peterborough Safeguarding Children Board: alert digest, April 2012 to March 2013")
        #expect(board["type"] as? String == "multipart/mixed")
        let types = (board["parts"] as? [[String: Any]])?.map { $0["type"] as? String ?? "" }
        #expect(types == ["text/plain", "text/html", "application/pdf"])
        #expect(board["pdf"] as? Bool == true)
        let text = board["text"] as? String ?? ""
        #expect(text.hasPrefix("PETERBOROUGH SAFEGUARDING CHILDREN BOARD\nAlert digest for April 2012 to March 2013."))
        #expect(text.contains("PRIORITY 2:"))
        #expect((board["htmlTitle"] as? String)?.contains("Peterborough Safeguarding Children Board") == true)

        // The sub-group's digest holds its priority only.
        let cse = try summary(folder + "/mail/2.eml")
        #expect(cse["sinkTo"] as? String == "<cse@council.example>")
        let cseText = cse["text"] as? String ?? ""
        #expect(cseText.contains("PRIORITY 7:"))
        #expect(!cseText.contains("PRIORITY 2:"))

        // A list beyond the board gets counts of 1 to 5 as `c` (review helper-54); the board's
        // own list does not.
        #expect(result.stdout.contains("sent to leads@council.example\n"))
        let leads = try summary(folder + "/mail/3.eml")
        #expect(leads["sinkTo"] as? String == "<leads@council.example>")
        #expect((leads["text"] as? String ?? "").contains("counts of 1 to 5 suppressed (c)"))
        #expect(!text.contains("counts of 1 to 5 suppressed (c)"))
    }

    @Test func aRefusingServerIsAClearErrorAndTheDigestIsStillWritten() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Nothing listens on this port.
        let result = try VigilBinary.run([
            "digest", "--replay", "config/examples/peterborough-2012-13", "--at", "2013-04-30", "--output", folder + "/d.txt",
            "--format", "text", "--mail-to", "chair@council.example",
        ])
        #expect(result.status == 1)
        #expect(FileManager.default.fileExists(atPath: folder + "/d.txt"))
        #expect(
            result.stderr.hasSuffix(
                "error: the digest was not sent to chair@council.example: cannot connect to the mail server at localhost:25: Connection refused\n"
            ), "\(result.stderr)")
    }
}
