import Foundation
import Testing
import VigilTestSupport

/// vigild's notifications to systemd, read from a real `NOTIFY_SOCKET` the test listens on: a
/// partner's file name can never add a line (systemd splits a notification on newlines, so a
/// name holding `\nWATCHDOG=trigger\n` would have systemd kill the service).
@Suite(.serialized) struct NotifySocketTests {
    /// Datagrams received on a socket bound at `path`, until `condition` holds or time runs out.
    private final class Listener {
        let fd: Int32
        var datagrams: [String] = []

        init(_ path: String) {
            fd = Journald.boundDatagramSocket(path)
            var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        deinit { close(fd) }

        func receive(until condition: ([String]) -> Bool, seconds: Double = 15) {
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 65536)
            while !condition(datagrams) && Date() < deadline {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n > 0 { datagrams.append(String(decoding: buffer[0..<n], as: UTF8.self)) }
            }
        }
    }

    /// An upgrade whose migrations copy whole tables (seconds per million observations) must not
    /// be killed by `TimeoutStartSec=` midway, which would roll it back and start it again at
    /// every restart: vigild asks systemd to wait, before it migrates, and only when it must.
    @Test func anUpgradeAsksSystemdToWaitForTheStoresMigrations() throws {
        let root = try VigilBinary.deployment()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/state", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: VigilBinary.root + "/Tests/Fixtures/store-v5-2012-13.sqlite", toPath: root + "/state/vigil.sqlite")
        for run in 1...2 {
            let listener = Listener(root + "/notify\(run).sock")
            #expect(listener.fd >= 0)
            let daemon = try VigilBinary.startDaemon(root: root, environment: ["NOTIFY_SOCKET": root + "/notify\(run).sock"])
            listener.receive(until: { $0.contains { $0.hasPrefix("READY=1") } })
            kill(daemon.processIdentifier, SIGTERM)
            daemon.waitUntilExit()
            let ready = try #require(listener.datagrams.firstIndex { $0.hasPrefix("READY=1") })
            let extend = listener.datagrams.firstIndex { $0.hasPrefix("EXTEND_TIMEOUT_USEC=") }
            // Reading the store's copies before READY=1 is said in the status line.
            let reading = listener.datagrams.firstIndex(of: "STATUS=starting: reading the store")
            #expect(reading.map { $0 < ready } == true)
            if run == 1 {
                // The v5 store needs v6 to v16.
                #expect(
                    extend.map { listener.datagrams[$0] }
                        == "EXTEND_TIMEOUT_USEC=1800000000\nSTATUS=migrating the store (11 migrations)")
                #expect(extend.map { $0 < ready } == true)
            } else {
                #expect(extend == nil, "a current store needs no extension")
            }
        }
    }

    @Test func aFileNameCannotAddANotificationLine() throws {
        let root = try VigilBinary.deployment()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = root + "/notify.sock"
        let fd = Journald.boundDatagramSocket(path)
        #expect(fd >= 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var datagrams: [String] = []
        func receive(until condition: () -> Bool, seconds: Double = 15) {
            let deadline = Date().addingTimeInterval(seconds)
            var buffer = [UInt8](repeating: 0, count: 65536)
            while !condition() && Date() < deadline {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n > 0 { datagrams.append(String(decoding: buffer[0..<n], as: UTF8.self)) }
            }
        }

        let daemon = try VigilBinary.startDaemon(root: root, environment: ["NOTIFY_SOCKET": path])
        receive(until: { datagrams.contains { $0.hasPrefix("READY=1") } })
        #expect(datagrams.contains { $0.hasPrefix("READY=1") })
        let name = "x\nWATCHDOG=trigger\nSTOPPING=1\nSTATUS=forged\ny.csv"
        try VigilBinary.drop(
            root: root, partner: "police", name: name, contents: "indicator,period,value\nmissing.incidents,2013-04,9\n")
        receive(until: { datagrams.contains { $0.contains("last file: from police, accepted") } })
        #expect(daemon.isRunning)
        let beforeStop = datagrams.count
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        receive(until: { datagrams.contains("STOPPING=1") }, seconds: 2)

        // The status line names the partner, never the file: any local user can read it.
        #expect(datagrams.contains { $0.hasPrefix("STATUS=") && $0.contains("last file: from police, accepted at ") })
        #expect(!datagrams.contains { $0.contains("forged") || $0.contains("y.csv") })
        let allowed = try Regex(
            #"^(READY=1|STOPPING=1|WATCHDOG=1|RELOADING=1|MONOTONIC_USEC=[0-9]+|ERRNO=[0-9]+|STATUS=[^\n]*)$"#)
        for datagram in datagrams {
            let lines = datagram.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.allSatisfy { $0.wholeMatch(of: allowed) != nil }, "\(datagram)")
            #expect(lines.filter { $0.hasPrefix("STATUS=") }.count <= 1, "\(datagram)")
        }
        #expect(!datagrams.joined(separator: "\n").split(separator: "\n").contains("WATCHDOG=trigger"))
        #expect(datagrams[..<beforeStop].allSatisfy { !$0.split(separator: "\n").contains("STOPPING=1") })
        #expect(datagrams.filter { $0 == "STOPPING=1" }.count == 1)
    }
}
