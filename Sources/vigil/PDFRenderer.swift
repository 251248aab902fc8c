import Foundation
import VigilCore

/// Prints an HTML digest to PDF with headless Chromium (A4, as the page's `@page` says).
enum PDFRenderer {
    static let candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]

    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    /// The PDF's bytes. Throws when no Chromium is installed or it fails.
    static func render(html: String) throws -> [UInt8] {
        guard let chromium = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw Unavailable(
                description:
                    "a PDF needs Chromium (apt install chromium); none of \(candidates.joined(separator: ", ")) is installed")
        }
        // The digest is the board's, unsuppressed: its folder is the caller's alone, made so
        // atomically (it was 0755 under the usual umask, and another user read digest.html
        // while root printed it; review helper-21).
        let folder = try PrivateFolder.make(in: NSTemporaryDirectory(), prefix: "vigil-pdf-")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try html.write(toFile: folder + "/digest.html", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: chromium)
        // The page has no scripts, and its Content-Security-Policy lets none run (Chromium's own
        // `--blink-settings=scriptEnabled=false` stops headless printing: no PDF is written); the
        // JIT is off (which works where writable-executable memory is denied).
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--js-flags=--jitless", "--no-pdf-header-footer",
            "--user-data-dir=\(folder)/profile", "--print-to-pdf=\(folder)/digest.pdf", "file://\(folder)/digest.html",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.environment = ["HOME": folder, "PATH": "/usr/bin:/bin"]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: folder + "/digest.pdf"),
            data.starts(with: Array("%PDF".utf8))
        else {
            throw Unavailable(description: "Chromium could not print the digest (exit \(process.terminationStatus))")
        }
        return [UInt8](data)
    }
}
