import Foundation
import Testing

/// Renders the 2012/13 digest with a real headless browser (Chromium) to PNG and PDF.
@Suite(.serialized) struct DigestRenderTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    private func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        return p.terminationStatus
    }

    @Test(.enabled(if: chromium != nil, "needs Chromium (scripts/install-deps installs it)"))
    func theReplayDigestRendersToPNGAndPDF() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let html = folder + "/digest.html"
        let result = try VigilBinary.run([
            "digest", "--replay", "config/examples/peterborough-2012-13", "--at", "2013-04-30", "--period", "2012/13",
            "--title", "Peterborough Safeguarding Children Board", "--format", "html", "--output", html,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(
            page.contains("<h2>Priority 2: Children at risk of significant harm are effectively identified and protected</h2>"))
        #expect(!page.contains("<script"))
        #expect(!page.contains("<link") && !page.contains("src=\"http"))
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=\(folder)/profile"]
        #expect(
            try run(Self.chromium!, common + ["--window-size=900,1400", "--screenshot=\(folder)/digest.png", "file://\(html)"])
                == 0)
        #expect(
            try run(Self.chromium!, common + ["--no-pdf-header-footer", "--print-to-pdf=\(folder)/digest.pdf", "file://\(html)"])
                == 0)
        let png = try #require(FileManager.default.contents(atPath: folder + "/digest.png"))
        let pdf = try #require(FileManager.default.contents(atPath: folder + "/digest.pdf"))
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 50_000, "a blank page compresses to a few KB; the digest's text and charts do not")
        #expect(pdf.starts(with: Array("%PDF".utf8)))
        let text = String(decoding: pdf, as: UTF8.self)
        #expect(text.contains("/Type /Page") || text.contains("/Type/Page"))
        #expect(pdf.count > 50_000)
    }
}
