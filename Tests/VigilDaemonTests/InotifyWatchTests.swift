import Foundation
import Testing

@testable import VigilDaemon

/// The watches themselves, on a real inotify instance and real folders.
@Suite struct InotifyWatchTests {
    /// A reload watches every partner's folder again: a file renamed in just before must still be
    /// reported for that partner (its event was queued under the watch the reload renewed).
    @Test func aRenewedWatchKeepsTheEventsQueuedBeforeIt() throws {
        let folder = NSTemporaryDirectory() + "inotify-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let inotify = try Inotify()
        try inotify.watch(folder, key: "police")
        try "x".write(toFile: folder + "/.part", atomically: false, encoding: .utf8)
        #expect(rename(folder + "/.part", folder + "/a.csv") == 0)
        try inotify.watch(folder, key: "police")
        let renamed = inotify.read().filter { $0.mask & UInt32(IN_MOVED_TO) != 0 }
        #expect(renamed.map(\.name) == ["a.csv"])
        #expect(renamed.map { inotify.key($0.wd) } == ["police"])
    }

    /// A partner whose folder changed (a new configuration) is watched on the new folder only.
    @Test func aMovedFolderIsWatchedInsteadOfTheOld() throws {
        let base = NSTemporaryDirectory() + "inotify-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: base + "/old", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: base + "/new", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: base) }
        let inotify = try Inotify()
        try inotify.watch(base + "/old", key: "police")
        try inotify.watch(base + "/new", key: "police")
        _ = inotify.read()
        try "x".write(toFile: base + "/old/a.csv", atomically: false, encoding: .utf8)
        try "y".write(toFile: base + "/new/b.csv", atomically: false, encoding: .utf8)
        let names = inotify.read().filter { inotify.key($0.wd) == "police" }.compactMap(\.name)
        #expect(Set(names) == ["b.csv"])
    }
}
