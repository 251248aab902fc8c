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

    /// Entries matching every `FIELD=value` given, as JSON objects, after asking journald to write
    /// out what it holds. A journal can hold earlier runs' entries (a persistent journal, or one
    /// kept across sessions): match this run's own `SYSLOG_IDENTIFIER` too, or a value it made up.
    public static func entries(_ matches: String...) -> [[String: Any]] {
        journalctl(["-o", "json", "--no-pager"] + matches).split(separator: UInt8(ascii: "\n")).compactMap {
            try? JSONSerialization.jsonObject(with: Data($0)) as? [String: Any]
        }
    }

    /// Every entry matching `FIELD=value` in journald's export format (all fields, binary-safe).
    public static func export(_ matches: String...) -> String {
        String(decoding: journalctl(["-o", "export", "--no-pager"] + matches), as: UTF8.self)
    }

    /// `journalctl ARGUMENTS`' output, after `journalctl --sync`.
    private static func journalctl(_ arguments: [String]) -> Data {
        for (args, keep) in [(["--sync"], false), (arguments, true)] {
            let process = Process()
            let pipe = Pipe()
            process.executableURL = URL(fileURLWithPath: "/bin/journalctl")
            process.arguments = args
            process.standardOutput = keep ? pipe : FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            guard (try? process.run()) != nil else { return Data() }
            let data = keep ? pipe.fileHandleForReading.readDataToEndOfFile() : Data()
            process.waitUntilExit()
            if keep { return data }
        }
        return Data()
    }

    /// A datagram socket bound to a Unix path (a fake journald or `NOTIFY_SOCKET`), or -1.
    public static func boundDatagramSocket(_ path: String) -> Int32 {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return -1 }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in path.utf8.enumerated() where index < raw.count - 1 { raw[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if bound != 0 {
            close(fd)
            return -1
        }
        return fd
    }
}
