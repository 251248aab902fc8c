import Foundation
import Testing
import VigilConfiguration
import VigilCore
import VigilStore
import VigilTestSupport

/// Drops a burst of files while killing vigild with SIGKILL at random moments and restarting it;
/// then every file must have been processed exactly once and every alert event written once.
@Suite(.serialized) struct CrashTests {
    @Test func sigkillAtRandomMomentsLosesAndRepeatsNothing() throws {
        // vigild keeps journal entries in its outbox while journald refuses them, so the burst only
        // settles with a journald listening (or none at all); make sure one listens when we can.
        _ = Journald.available
        let seed = UInt64(Date().timeIntervalSince1970)
        var random = SplitMix64(seed: seed)
        let root = try VigilBinary.deployment()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let fm = FileManager.default
        let example = VigilBinary.root + "/config/examples/peterborough-2012-13"
        let files = try FeedFiles.collect([example]).map { path -> (partner: String, name: String, path: String) in
            let partner = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
            return (partner, (path as NSString).lastPathComponent, path)
        }

        func start() throws -> Process { try VigilBinary.startDaemon(root: root) }
        var daemon = try start()
        var kills = 0
        for (index, file) in files.enumerated() {
            let folder = root + "/drop/" + file.partner
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try fm.copyItem(atPath: file.path, toPath: folder + "/." + file.name + ".part")
            rename(folder + "/." + file.name + ".part", folder + "/" + file.name)
            usleep(UInt32.random(in: 0...60_000, using: &random))
            if index % 3 == 2 || Bool.random(using: &random) {
                usleep(UInt32.random(in: 0...40_000, using: &random))
                kill(daemon.processIdentifier, SIGKILL)
                daemon.waitUntilExit()
                kills += 1
                daemon = try start()
            }
        }
        let store = root + "/state/vigil.sqlite"
        func settled() -> Bool {
            let drop = files.allSatisfy { !fm.fileExists(atPath: root + "/drop/\($0.partner)/\($0.name)") }
            let processing = ((try? fm.contentsOfDirectory(atPath: root + "/state/processing")) ?? ["?"]).isEmpty
            guard drop, processing, let s = try? Store.open(path: store), let pending = try? s.pendingOutbox() else {
                return false
            }
            return pending.isEmpty
        }
        let deadline = Date().addingTimeInterval(60)
        while !settled() && Date() < deadline { usleep(100_000) }
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        #expect(settled(), "seed \(seed): the daemon did not finish the burst")

        // Every file processed exactly once.
        let s = try Store.open(path: store)
        let processed = try s.files()
        let distinct = Set(files.map { SHA256.hex(Array(fm.contents(atPath: $0.path)!)) })
        #expect(processed.count == distinct.count, "seed \(seed), kills \(kills)")
        // A rejected file's identity is keyed under the store's key and its partner (review
        // helper-30, helper-51).
        let fileKey = try s.fileKey()
        let published = Set(
            files.map { file in
                let plain = SHA256.hex(Array(fm.contents(atPath: file.path)!))
                return processed.contains { $0.sha256 == plain && $0.outcome != .rejected }
                    ? plain : Store.publishedIdentity(of: plain, partner: file.partner, key: fileKey)
            })
        #expect(Set(processed.map(\.sha256)) == published)
        let archived = (try fm.subpathsOfDirectory(atPath: root + "/state/archive")).filter { $0.hasSuffix(".csv") }
        let rejected = (try fm.subpathsOfDirectory(atPath: root + "/state/rejected")).filter { $0.hasSuffix(".csv") }
        #expect(archived.count + rejected.count == files.count)
        #expect(rejected.count == 2)

        // Every alert event recorded is in the alert file exactly once, and nothing else is.
        let lines = try String(contentsOfFile: root + "/alerts/alerts.jsonl", encoding: .utf8).split(separator: "\n")
        let fileIds = lines.map { String($0.dropFirst(7).prefix(32)) }
        #expect(Set(fileIds).count == fileIds.count, "seed \(seed): an event was written twice")
        #expect(Set(fileIds) == Set(try s.events().map(\.id)), "seed \(seed): the alert file and the store disagree")

        // The same events as an uninterrupted run of the same files.
        let loaded = try ConfigurationLoader.load(path: root + "/etc/vigil.yaml")
        let reference = try Store.inMemory()
        let engine = Engine(catalogue: loaded.catalogue, rules: loaded.rules)
        let parser = loaded.parser
        let today = CivilDate(unixSeconds: Date().timeIntervalSince1970)
        for file in files {
            let feed = parser.parse(
                bytes: Array(fm.contents(atPath: file.path)!), file: "\(file.partner)/\(file.name)", partner: file.partner)
            _ = try reference.ingest(feed, receivedAt: "t", engine: engine, date: today)
        }
        let key = { (e: AlertEvent) in "\(e.event.rawValue) \(e.rule) \(e.indicator) \(e.breakdown) \(e.period)" }
        #expect(Set(try s.events().map(key)) == Set(try reference.events().map(key)), "seed \(seed)")
        #expect(kills > 5)
    }
}
