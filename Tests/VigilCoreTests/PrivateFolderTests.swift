import Foundation
import Testing
import VigilCore

#if canImport(Glibc)
    import Glibc
#endif

/// `vigil digest --format pdf` wrote the board's digest into a `0755` folder in `/tmp`, where any
/// local user could read it while Chromium printed it (review helper-21).
@Suite struct PrivateFolderTests {
    /// (The umask is the process's, shared by tests running at once, so it is left as it is:
    /// `0022` here, under which a folder made the usual way is `0755`.)
    @Test func aPrivateFolderIsTheCreatorsAlone() throws {
        let a = try PrivateFolder.make(in: NSTemporaryDirectory(), prefix: "vigil-private-")
        let b = try PrivateFolder.make(in: NSTemporaryDirectory(), prefix: "vigil-private-")
        defer {
            rmdir(a)
            rmdir(b)
        }
        #expect(a != b)
        let parent = NSTemporaryDirectory()
        #expect(a.hasPrefix((parent.hasSuffix("/") ? parent : parent + "/") + "vigil-private-"))
        var info = stat()
        #expect(lstat(a, &info) == 0)
        #expect(info.st_mode & 0o7777 == 0o700)
        #expect(throws: VigilError.self) { _ = try PrivateFolder.make(in: "/nonexistent-folder", prefix: "x-") }
    }
}
