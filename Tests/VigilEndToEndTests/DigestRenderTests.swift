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

    /// Runs Chromium and returns what it prints (the DOM for --dump-dom).
    private func output(_ arguments: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.chromium!)
        p.arguments = arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    private func replayDigest(_ folder: String) throws -> String {
        let html = folder + "/digest.html"
        let result = try VigilBinary.run([
            "digest", "--replay", "config/examples/peterborough-2012-13", "--at", "2013-04-30", "--period", "2012/13",
            "--format", "html", "--output", html,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        return try String(contentsOfFile: html, encoding: .utf8)
    }

    /// Measured in a real browser: every text element of every chart lies inside its SVG, and
    /// every chart whose legend names a target, benchmark, range or level draws it.
    @Test(.enabled(if: chromium != nil, "needs Chromium (scripts/install-deps installs it)"))
    func chartTextNeverOverflowsAndEveryNamedReferenceIsDrawn() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The test's copy only gets a script that measures and writes its findings into the page.
        let probe = """
            <script>
            addEventListener('load', () => {
              const problems = [];
              let charts = 0, texts = 0;
              for (const svg of document.querySelectorAll('svg.chart')) {
                charts++;
                const box = svg.viewBox.baseVal;
                for (const t of svg.querySelectorAll('text')) {
                  texts++;
                  const b = t.getBBox();
                  if (b.x < box.x - 0.5 || b.y < box.y - 0.5 || b.x + b.width > box.x + box.width + 0.5 || b.y + b.height > box.y + box.height + 0.5)
                    problems.push(svg.querySelector('title').textContent + ': "' + t.textContent + '" at ' + [b.x, b.y, b.width, b.height].map(Math.round).join(','));
                }
                const figure = svg.closest('figure');
                for (const key of figure.querySelectorAll('.key')) {
                  const style = [...key.classList].find(c => ['target', 'benchmark', 'england', 'limit', 'mean'].includes(c));
                  if (style && !svg.querySelector('.ref.' + style))
                    problems.push(svg.querySelector('title').textContent + ': legend names "' + key.textContent + '" but draws no ' + style + ' line');
                }
              }
              const out = document.createElement('pre');
              out.id = 'probe';
              out.textContent = JSON.stringify({charts, texts, problems});
              document.body.appendChild(out);
            });
            </script>
            """
        // The probe is a script, which the page's Content-Security-Policy refuses (as it would any
        // script that reached a digest): the policy is taken out of this measuring copy only.
        let digest = try replayDigest(folder)
        let policy = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        #expect(digest.contains(policy))
        let page = digest.replacingOccurrences(of: policy, with: "").replacingOccurrences(
            of: "</body>", with: probe + "</body>")
        try page.write(toFile: folder + "/probe.html", atomically: true, encoding: .utf8)
        let dom = try output([
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(folder)/profile", "--virtual-time-budget=5000",
            "--dump-dom", "file://\(folder)/probe.html",
        ])
        let json = try #require(
            dom.range(of: #"\{"charts":.*\}"#, options: .regularExpression).map { String(dom[$0]) },
            "no findings in \(dom.suffix(300))")
        let found = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        // Every card with two figures or more; those with one say it in words (review helper-54).
        #expect((found["charts"] as? Int ?? 0) == 9)
        #expect((found["texts"] as? Int ?? 0) > 100)
        #expect((found["problems"] as? [String]) == [], "\(found["problems"] ?? "")")
    }

    /// Were an escape ever missed and a script reached the page, Chromium (which prints the PDF
    /// from a `file://` page beside the store) does not run it: the page's Content-Security-Policy
    /// allows nothing but its own inline styles, no script and no frame (review helper-21: with
    /// Chromium's flags alone, a script ran and a frame showed a local file in the PDF).
    @Test(.enabled(if: chromium != nil, "needs Chromium (scripts/install-deps installs it)"))
    func aScriptThatReachedThePageWouldNotRun() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let injected = """
            <script>document.body.appendChild(Object.assign(document.createElement('p'), {id: 'ran', textContent: 'SCRIPT' + '-RAN'}));</script>
            <iframe id="frame" src="file:///etc/hostname"></iframe>
            """
        let page = try replayDigest(folder).replacingOccurrences(of: "</body>", with: injected + "</body>")
        try page.write(toFile: folder + "/attacked.html", atomically: true, encoding: .utf8)
        let args = [
            "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(folder)/profile", "--virtual-time-budget=3000",
            "--dump-dom",
        ]
        let dom = try output(args + ["file://\(folder)/attacked.html"])
        #expect(dom.contains("<iframe id=\"frame\""), "the page was read: \(dom.suffix(200))")
        #expect(!dom.contains("SCRIPT-RAN"))
        // The same page without the policy: the script runs (so the test can see one run; the
        // marker is made by the script, its source never holds it whole).
        let policy = "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        try page.replacingOccurrences(of: policy, with: "").write(
            toFile: folder + "/open.html", atomically: true, encoding: .utf8)
        #expect(try output(args + ["file://\(folder)/open.html"]).contains("SCRIPT-RAN"))
    }

    /// The cover alone prints on one A4 page.
    @Test(.enabled(if: chromium != nil, "needs Chromium (scripts/install-deps installs it)"))
    func theCoverFitsOneA4Page() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let page = try replayDigest(folder)
        let start = try #require(page.range(of: "<section class=\"cover\">"))
        let end = try #require(page.range(of: "</section>", range: start.upperBound..<page.endIndex))
        let cover = String(page[..<end.upperBound]) + "</body></html>"
        #expect(cover.contains("Where the board stands"))
        try cover.write(toFile: folder + "/cover.html", atomically: true, encoding: .utf8)
        #expect(
            try run(
                Self.chromium!,
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=\(folder)/profile", "--no-pdf-header-footer",
                    "--print-to-pdf=\(folder)/cover.pdf", "file://\(folder)/cover.html",
                ]) == 0)
        let pdf = String(decoding: try #require(FileManager.default.contents(atPath: folder + "/cover.pdf")), as: UTF8.self)
        let pages = try NSRegularExpression(pattern: #"/Type\s*/Page[^s]"#).numberOfMatches(
            in: pdf, range: NSRange(pdf.startIndex..., in: pdf))
        #expect(pages == 1, "the cover takes \(pages) pages")
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
