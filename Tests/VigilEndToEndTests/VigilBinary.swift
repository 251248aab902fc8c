import Foundation

/// Runs the built `vigil` executable, as a user would.
enum VigilBinary {
    /// The repository root.
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// `vigil` beside the test bundle in the build folder.
    static let path: String = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return (exe as NSString).deletingLastPathComponent + "/vigil"
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `vigil` with arguments in the repository root (or `directory`).
    static func run(_ arguments: [String], stdin: String? = nil, in directory: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory ?? root)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes before waiting so a full pipe cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    /// A fresh temporary folder.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "vigil-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A throw-away deployment for `vigild`: the repository's catalogue, rules and record
    /// feeds, every path under a fresh temporary folder; returns the folder.
    static func deployment() throws -> String {
        let root = try temporaryDirectory()
        let fm = FileManager.default
        try fm.createDirectory(atPath: root + "/etc", withIntermediateDirectories: true)
        for item in ["catalogue.yaml", "rules.d", "records.d"] {
            try fm.copyItem(atPath: VigilBinary.root + "/config/" + item, toPath: root + "/etc/" + item)
        }
        try """
        catalogue: catalogue.yaml
        rules: [rules.d/*.yaml]
        records: [records.d/*.yaml]
        paths: {state: ../state, drop: ../drop, receipts: ../receipts, alerts: ../alerts, digests: ../digests}
        """.write(toFile: root + "/etc/vigil.yaml", atomically: true, encoding: .utf8)
        return root
    }

    /// Starts the built `vigild` on a deployment, with extra environment variables.
    static func startDaemon(root: String, environment: [String: String] = [:], logLevel: String = "error") throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: (path as NSString).deletingLastPathComponent + "/vigild")
        p.arguments = ["--config", root + "/etc/vigil.yaml", "--settle", "0.1", "--log-level", logLevel]
        p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Runs the built `vigild` on a deployment until it exits (it is stopped after `seconds`):
    /// for starts that must fail.
    static func runDaemon(root: String, seconds: Double = 30) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: (path as NSString).deletingLastPathComponent + "/vigild")
        p.arguments = ["--config", root + "/etc/vigil.yaml", "--log-level", "error"]
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        try p.run()
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning { p.terminate() }
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, stdout: "", stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Drops a file as a partner should: written under a dot-name, then renamed in.
    static func drop(root: String, partner: String, name: String, contents: String) throws {
        let folder = root + "/drop/" + partner
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let part = folder + "/.part-" + UUID().uuidString
        try contents.write(toFile: part, atomically: false, encoding: .utf8)
        guard rename(part, folder + "/" + name) == 0 else { throw CocoaError(.fileWriteUnknown) }
    }
}
