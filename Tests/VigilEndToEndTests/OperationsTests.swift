import Foundation
import Testing

/// What IT does on a server, through the built binaries: versions, backup while vigild runs,
/// a restore that refuses while it runs and succeeds once it is stopped.
@Suite(.serialized) struct OperationsTests {
    @Test func bothBinariesNameTheirReleaseAndCommit() throws {
        let vigil = try VigilBinary.run(["--version"])
        #expect(vigil.status == 0)
        #expect(
            vigil.stdout.range(of: #"^\d+\.\d+\.\d+ \(commit [0-9a-z]+\)\n$"#, options: .regularExpression) != nil,
            "\(vigil.stdout)")
        let daemon = Process()
        daemon.executableURL = URL(fileURLWithPath: (VigilBinary.path as NSString).deletingLastPathComponent + "/vigild")
        daemon.arguments = ["--version"]
        let out = Pipe()
        daemon.standardOutput = out
        try daemon.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        #expect(text == vigil.stdout)
    }

    @Test func backupWhileRunningRestoreOnlyWhenStopped() throws {
        let root = try VigilBinary.deployment()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let config = root + "/etc/vigil.yaml"
        let daemon = try VigilBinary.startDaemon(root: root)
        defer { if daemon.isRunning { daemon.terminate() } }
        let csv = try String(
            contentsOfFile: VigilBinary.root + "/config/examples/peterborough-2012-13/police/missing-incidents.csv",
            encoding: .utf8)
        try VigilBinary.drop(root: root, partner: "police", name: "missing.csv", contents: csv)
        func receipts() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: root + "/receipts/police")) ?? []).filter {
                $0.hasSuffix(".receipt.txt")
            }
        }
        let deadline = Date().addingTimeInterval(20)
        while receipts().isEmpty && Date() < deadline { usleep(20_000) }
        #expect(receipts().count == 1, "vigild took the file")

        let backup = try VigilBinary.run(["backup", "--config", config, root + "/backup.sqlite"])
        #expect(backup.status == 0, "\(backup.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: root + "/backup.sqlite")
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "a backup is as private as the store")

        let refused = try VigilBinary.run(["restore", "--config", config, root + "/backup.sqlite"])
        #expect(refused.status == 75)
        #expect(
            refused.stderr
                == "\(root)/etc/../state/vigil.sqlite: error[store.locked]: the store is in use: vigild (or another restore) holds its lock; stop the service first (systemctl stop vigild)\n"
        )

        daemon.terminate()
        daemon.waitUntilExit()
        try FileManager.default.removeItem(atPath: root + "/state/vigil.sqlite")
        let restored = try VigilBinary.run(["restore", "--config", config, root + "/backup.sqlite"])
        #expect(restored.status == 0, "\(restored.stderr)")
        let history = try VigilBinary.run(["history", "--config", config, "missing.incidents"])
        #expect(history.status == 0)
        #expect(history.stdout.contains("2013-03"), "the restored store holds the file's values: \(history.stdout)")
    }

    /// systemd restarts vigild after a failure unless it exits 78 (`RestartPreventExitStatus=`):
    /// 78 must mean that only IT can mend it (the configuration or the tree), and a store another
    /// process holds must not be 78, or whoever holds its lock at one start keeps the service down
    /// for good (review helper-21). A tree problem exited 1 and was retried every 5 s.
    @Test func vigildSaysWhetherARestartCanHelp() throws {
        let root = try VigilBinary.deployment()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let daemon = try VigilBinary.startDaemon(root: root)
        defer { if daemon.isRunning { daemon.terminate() } }
        let csv = "indicator,period,value\nmissing.incidents,2013-03,40\n"
        try VigilBinary.drop(root: root, partner: "police", name: "missing.csv", contents: csv)
        let deadline = Date().addingTimeInterval(20)
        func receipts() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: root + "/receipts/police")) ?? [] }
        while receipts().isEmpty && Date() < deadline { usleep(20_000) }
        #expect(!receipts().isEmpty, "the first vigild is running")

        // A second vigild on the same store: the store is busy, and a restart may find it free.
        let busy = try VigilBinary.runDaemon(root: root)
        #expect(busy.status == 75, "\(busy.stderr)")
        #expect(busy.stderr.contains("error[store.locked]"))
        daemon.terminate()
        daemon.waitUntilExit()

        // A receipts folder its partner may write: only IT can mend the tree.
        #expect(chmod(root + "/receipts/police", 0o770) == 0)
        let tree = try VigilBinary.runDaemon(root: root)
        #expect(tree.status == 78, "\(tree.stderr)")
        #expect(tree.stderr.contains("the receipts folder of police is writable by its group (mode 770)"))
        #expect(chmod(root + "/receipts/police", 0o750) == 0)

        // An invalid configuration.
        try "catalogue: catalogue.yaml\nrules: [\n".write(toFile: root + "/etc/vigil.yaml", atomically: true, encoding: .utf8)
        let config = try VigilBinary.runDaemon(root: root)
        #expect(config.status == 78, "\(config.stderr)")
        // No configuration file at all (review helper-22: it exited 75 and restarted for ever).
        try FileManager.default.removeItem(atPath: root + "/etc/vigil.yaml")
        let missing = try VigilBinary.runDaemon(root: root)
        #expect(missing.status == 78, "\(missing.stderr)")
    }
}
