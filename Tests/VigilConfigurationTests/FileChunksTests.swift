import Foundation
import Testing
import VigilConfiguration
import VigilCore

/// The one reader vigild's intake and the command line share: a file in pooled chunks, read to
/// the end exactly once, its descriptor closed at the end, and a failed read named plainly.
@Suite struct FileChunksTests {
    private func temporaryFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "vigil-chunks-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func aFileIsReadWholeInChunksOfTheGivenSize() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bytes = (0..<(3 * 4096 + 17)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        try Data(bytes).write(to: URL(fileURLWithPath: folder + "/f.csv"))
        let chunks = try #require(FileChunks(path: folder + "/f.csv", chunkSize: 4096))
        var sizes: [Int] = []
        var read: [UInt8] = []
        while let chunk = try chunks.next() {
            sizes.append(chunk.count)
            read += chunk
        }
        #expect(sizes == [4096, 4096, 4096, 17])
        #expect(read == bytes)
        // At the end the descriptor is closed, and asking again stays at the end.
        #expect(chunks.isClosed)
        #expect(try chunks.next() == nil)
    }

    @Test func aSmallFileGetsABufferSizedToIt() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("caf.registered,2013-04,5\n".utf8).write(to: URL(fileURLWithPath: folder + "/f.csv"))
        let chunks = try #require(FileChunks(path: folder + "/f.csv"))
        #expect(chunks.chunkSize == 4096)
        #expect(try chunks.next() == Array("caf.registered,2013-04,5\n".utf8))
        #expect(try chunks.next() == nil)
    }

    @Test func aLinkIsRefusedWhenLinksMustNotBeFollowed() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try Data("x".utf8).write(to: URL(fileURLWithPath: folder + "/f.csv"))
        try FileManager.default.createSymbolicLink(atPath: folder + "/link.csv", withDestinationPath: folder + "/f.csv")
        #expect(FileChunks(path: folder + "/link.csv", followLinks: false) == nil)
        #expect(try FileChunks(path: folder + "/link.csv")?.next() == Array("x".utf8))
        #expect(FileChunks(path: folder + "/absent.csv") == nil)
    }

    @Test func aFailedReadIsNamedPlainly() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A folder opens for reading, and read(2) then fails with EISDIR.
        let chunks = try #require(FileChunks(path: folder))
        #expect(throws: FileChunks.ReadError(code: EISDIR)) { try chunks.next() }
        #expect("\(FileChunks.ReadError(code: EISDIR))" == "read failed: Is a directory")
        #expect(chunks.isClosed)
    }

    @Test func theCommandLineReportsAFailedReadWithTheFileName() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var root = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let loaded = try ConfigurationLoader.load(path: root.path + "/config/vigil.yaml")
        let feed = loaded.parser.parse(file: "police/a.csv", partner: "police") { throw FileChunks.ReadError(code: EIO) }
        #expect(feed.errors.map(\.message) == ["the file could not be read to the end (read failed: Input/output error)"])
        #expect(feed.errors.map { $0.location?.file } == ["police/a.csv"])
        // A folder given as a file is refused before it is read, as vigild refuses one.
        guard
            case .refused(let refusal, let label) = FeedFiles.read(
                folder, partner: "police", parser: loaded.parser, maxBytes: 1 << 30)
        else {
            Issue.record("a folder was read")
            return
        }
        #expect(refusal == .notRegular(kind: "directory"))
        #expect(label == "police/" + (folder as NSString).lastPathComponent)
    }
}
