import Foundation
import Testing

@testable import VigilDaemon

/// Deleting what a partner may have shaped: no link is ever followed, even one swapped in while
/// the walk runs, and what cannot be deleted is reported.
@Suite struct TreeRemovalTests {
    struct Tree {
        let root = NSTemporaryDirectory() + "vigil-removal-" + UUID().uuidString
        var outside: String { root + "/outside" }
        var day: String { root + "/rejected/2013-05-01" }
        init() throws {
            let fm = FileManager.default
            try fm.createDirectory(atPath: outside, withIntermediateDirectories: true)
            try "the store".write(toFile: outside + "/vigil.sqlite", atomically: false, encoding: .utf8)
            try fm.createDirectory(atPath: day + "/claim/sub", withIntermediateDirectories: true)
            try "x".write(toFile: day + "/claim/sub/file", atomically: false, encoding: .utf8)
            try "y".write(toFile: day + "/claim/top", atomically: false, encoding: .utf8)
        }
        func remove() { try? FileManager.default.removeItem(atPath: root) }
        var outsideIntact: Bool {
            (try? String(contentsOfFile: outside + "/vigil.sqlite", encoding: .utf8)) == "the store"
        }
    }

    /// A subfolder replaced by a link to another folder just before it is entered: the link is
    /// deleted, never what it points to.
    @Test func aFolderSwappedForALinkMidWalkIsNeverFollowed() throws {
        let t = try Tree()
        defer { t.remove() }
        var removal = TreeRemoval()
        removal.willEnter = { path in
            guard path.hasSuffix("/claim/sub") else { return }
            try? FileManager.default.removeItem(atPath: path)
            try? FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: t.outside)
        }
        let removed = removal.remove("2013-05-01", in: t.root + "/rejected")
        #expect(removed)
        #expect(removal.failures.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: t.day))
        #expect(t.outsideIntact)
    }

    /// Links, FIFOs and names that are not UTF-8 are deleted as themselves.
    @Test func everyKindOfEntryIsDeletedAsItself() throws {
        let t = try Tree()
        defer { t.remove() }
        try FileManager.default.createSymbolicLink(atPath: t.day + "/claim/link", withDestinationPath: t.outside)
        #expect(mkfifo(t.day + "/claim/pipe", 0o600) == 0)
        let raw: [UInt8] = Array((t.day + "/claim/bad").utf8) + [0xFF]
        let fd = open(raw.map { CChar(bitPattern: $0) } + [0], O_WRONLY | O_CREAT | O_EXCL, 0o600)
        #expect(fd >= 0)
        close(fd)
        var removal = TreeRemoval()
        let removed = removal.remove("2013-05-01", in: t.root + "/rejected")
        #expect(removed)
        #expect(removal.failures.isEmpty)
        #expect((try FileManager.default.contentsOfDirectory(atPath: t.root + "/rejected")).isEmpty)
        #expect(t.outsideIntact)
    }

    /// A tree deeper than any Vigil writes is left, and said so, rather than walked without end.
    @Test func aTreeTooDeepIsReportedNotWalked() throws {
        let t = try Tree()
        defer { t.remove() }
        let deep = t.day + "/claim/" + Array(repeating: "d", count: 40).joined(separator: "/")
        try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
        var removal = TreeRemoval()
        let removed = removal.remove("2013-05-01", in: t.root + "/rejected")
        #expect(!removed)
        #expect(removal.failures.count == 1)
        #expect(removal.failures.first?.hasSuffix(": deeper than 32 folders") == true)
        #expect(FileManager.default.fileExists(atPath: t.day))
    }

    /// Review helper-30: below a day folder names come from partners (a stored file's name holds
    /// the partner's, escaped; a folder swapped in holds anything), so a failure names an entry by
    /// its depth, never by its name.
    @Test func aFailureNeverNamesAnEntryBelowTheFolderGiven() throws {
        let t = try Tree()
        defer { t.remove() }
        let deep =
            t.day + "/claim-Jane Smith CHILD-REF-601/" + Array(repeating: "CHILD-REF-602", count: 40).joined(separator: "/")
        try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
        var removal = TreeRemoval()
        let removed = removal.remove("2013-05-01", in: t.root + "/rejected")
        #expect(!removed)
        #expect(removal.failures == [t.root + "/rejected/2013-05-01: an entry 32 folders down: deeper than 32 folders"])
        #expect(!removal.failures.joined().contains("CHILD-REF"))
    }

    /// A partner's flood can leave a million files in one day's folder: the walk reports its
    /// progress every `progressEvery` entries, so the service pings the watchdog while it runs.
    @Test func aLongWalkReportsItsProgress() throws {
        let t = try Tree()
        defer { t.remove() }
        for n in 0..<2_500 { #expect(FileManager.default.createFile(atPath: t.day + "/claim/f\(n)", contents: nil)) }
        var reports = 0
        var removal = TreeRemoval()
        removal.progress = { reports += 1 }
        let gone = removal.remove("2013-05-01", in: t.root + "/rejected")
        #expect(gone)
        // 2,500 files, the two above and three folders: 2,505 entries.
        #expect(reports == 2_505 / TreeRemoval.progressEvery)
    }
}
