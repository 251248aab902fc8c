import Foundation
import VigilSystemd

/// A real systemd-journald for the tests: the running one, or one started for the tests (as root)
/// when none listens. A socket file left behind by a stopped journald does not count as running.
public enum Journald {
    /// journald's native socket.
    public static let socket = "/run/systemd/journal/socket"

    /// Whether a journald listens, after starting one if none did and the tests run as root.
    /// Evaluated once per test process, so two suites never start two journalds.
    public static let available: Bool = {
        if Journal.isReachable(socket: socket) { return true }
        guard getuid() == 0, FileManager.default.fileExists(atPath: "/lib/systemd/systemd-journald") else { return false }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
        process.arguments = ["/lib/systemd/systemd-journald"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if Journal.isReachable(socket: socket) { return true }
            usleep(20_000)
        }
        return Journal.isReachable(socket: socket)
    }()

    /// Entries matching `FIELD=value`, as JSON objects, after asking journald to write out what it holds.
    public static func entries(_ match: String) -> [[String: Any]] {
        let sync = Process()
        sync.executableURL = URL(fileURLWithPath: "/bin/journalctl")
        sync.arguments = ["--sync"]
        sync.standardError = FileHandle.nullDevice
        try? sync.run()
        sync.waitUntilExit()
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/bin/journalctl")
        process.arguments = ["-o", "json", "--no-pager", match]
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return [] }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data.split(separator: UInt8(ascii: "\n")).compactMap {
            try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]
        }
    }

    /// Every entry matching `FIELD=value` in journald's export format (all fields, binary-safe).
    public static func export(_ match: String) -> String {
        let sync = Process()
        sync.executableURL = URL(fileURLWithPath: "/bin/journalctl")
        sync.arguments = ["--sync"]
        sync.standardError = FileHandle.nullDevice
        try? sync.run()
        sync.waitUntilExit()
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: "/bin/journalctl")
        process.arguments = ["-o", "export", "--no-pager", match]
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return "" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
