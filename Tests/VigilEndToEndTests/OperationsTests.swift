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
}
