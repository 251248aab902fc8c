import CSystemd
import Foundation

/// File writes that survive a crash: fsync'd appends and atomic replacement.
public enum DurableFile {
    /// Appends bytes to a file and fsyncs it. A file it creates (the first line, or the first
    /// after logrotate moved the old one aside) is 0640, and its folder is fsync'd too, so the
    /// new name survives a crash with the lines in it.
    public static func append(_ text: String, to path: String) throws {
        let flags = O_WRONLY | O_APPEND | vigil_o_nofollow() | vigil_o_cloexec()
        var fd = open(path, flags)
        var created = false
        if fd < 0 && errno == ENOENT {
            fd = open(path, flags | O_CREAT | vigil_o_excl(), 0o640)
            created = fd >= 0
            // Another writer created it in between: append to theirs.
            if fd < 0 && errno == EEXIST { fd = open(path, flags) }
        }
        guard fd >= 0 else { throw posixError("open \(path)") }
        defer { close(fd) }
        try writeAll(fd, Array(text.utf8), path)
        guard fsync(fd) == 0 else { throw posixError("fsync \(path)") }
        if created { syncFolder((path as NSString).deletingLastPathComponent) }
    }

    /// Replaces a file atomically: a temporary file in the same folder, fsync, rename, fsync the folder.
    public static func replace(_ path: String, with text: String, mode: mode_t = 0o640) throws {
        let folder = (path as NSString).deletingLastPathComponent
        // A fresh name, created exclusively and never through a link someone left there.
        let temporary = (folder as NSString).appendingPathComponent(
            ".\((path as NSString).lastPathComponent).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp")
        let fd = open(temporary, O_WRONLY | O_CREAT | vigil_o_excl() | vigil_o_nofollow() | vigil_o_cloexec(), mode)
        guard fd >= 0 else { throw posixError("open \(temporary)") }
        do {
            try writeAll(fd, Array(text.utf8), temporary)
            guard fsync(fd) == 0 else { throw posixError("fsync \(temporary)") }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        close(fd)
        guard rename(temporary, path) == 0 else { throw posixError("rename \(temporary)") }
        syncFolder(folder)
    }

    /// fsyncs a folder so a rename in it is durable.
    public static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | vigil_o_directory() | vigil_o_cloexec())
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw posixError("write \(path)")
            }
            offset += n
        }
    }

    /// An error naming what failed and `errno`'s text.
    public static func posixError(_ what: String) -> NSError {
        NSError(
            domain: "vigild", code: Int(errno),
            userInfo: [NSLocalizedDescriptionKey: "\(what): \(String(cString: strerror(errno)))"])
    }
}
