import CSystemd
import Foundation
import VigilCore

/// Deletes a folder and everything in it without ever following a link, even one swapped in
/// while it runs.
///
/// Each folder is opened relative to its parent's descriptor with `O_NOFOLLOW|O_DIRECTORY`, and
/// each entry is unlinked relative to the descriptor of the folder that holds it, so a name
/// replaced by a symbolic link mid-walk is unlinked as a link, never entered: nothing outside the
/// tree can be reached, whatever happens to the names in it (a path-based walk such as
/// `FileManager.removeItem` re-resolves paths and has no such guarantee).
struct TreeRemoval {
    /// Test seam: called with a folder's path just before it is opened.
    var willEnter: (String) -> Void = { _ in }

    /// Called after every `progressEvery` entries deleted (the service pings its watchdog: a
    /// partner's flood can leave a million files in one day's folder).
    var progress: () -> Void = {}

    /// How many entries are deleted between two `progress` calls.
    static let progressEvery = 1_000

    private var removed = 0

    private mutating func deleted() -> Bool {
        removed += 1
        if removed % TreeRemoval.progressEvery == 0 { progress() }
        return true
    }

    /// What could not be deleted, with the reason; empty when the tree is gone. An entry below
    /// the folder given to `remove(_:in:)` is named by its depth, never by its name: below a day
    /// folder, names come from partners (review helper-30: a folder left in `state/` would have had
    /// a name from inside it logged).
    private(set) var failures: [String] = []

    /// The folder `remove(_:in:)` was given, as failures name it.
    private var top = ""

    /// Deletes `name` (a folder or any other entry) in the folder `parent`. Returns whether it is gone.
    @discardableResult
    mutating func remove(_ name: String, in parent: String) -> Bool {
        top = parent + "/" + name
        let fd = open(parent, O_RDONLY | vigil_o_directory() | vigil_o_nofollow() | vigil_o_cloexec())
        guard fd >= 0 else {
            failures.append("\(parent): \(String(cString: strerror(errno)))")
            return false
        }
        defer { close(fd) }
        return remove(name, at: fd, path: top, depth: 0)
    }

    /// Deep enough for any tree Vigil writes; deeper ones are left (and reported), not recursed into.
    static let maxDepth = 32

    private mutating func remove(_ name: String, at parent: Int32, path: String, depth: Int) -> Bool {
        remove(Array(name.utf8).map { CChar(bitPattern: $0) } + [0], at: parent, path: path, depth: depth)
    }

    /// `name` is NUL-terminated bytes: names that are not UTF-8 are removed too.
    private mutating func remove(_ name: [CChar], at parent: Int32, path: String, depth: Int) -> Bool {
        // A name that is not a folder (or a link to one) goes at once: unlinkat never follows.
        if unlinkat(parent, name, 0) == 0 { return deleted() }
        if errno == ENOENT { return true }
        guard errno == EISDIR else { return failed(depth, errno) }
        guard depth < TreeRemoval.maxDepth else {
            failures.append("\(named(depth)): deeper than \(TreeRemoval.maxDepth) folders")
            return false
        }
        willEnter(path)
        let fd = openat(parent, name, O_RDONLY | vigil_o_directory() | vigil_o_nofollow() | vigil_o_cloexec())
        guard fd >= 0 else {
            let code = errno
            if code == ENOENT { return true }
            // Swapped for a link or a file since the unlink was tried: unlink that, never what it points to.
            if code == ELOOP || code == ENOTDIR {
                return unlinkat(parent, name, 0) == 0 || errno == ENOENT ? true : failed(depth, errno)
            }
            return failed(depth, code)
        }
        // From here fdopendir owns the descriptor; closedir closes it.
        guard let dir = fdopendir(fd) else {
            let code = errno
            close(fd)
            return failed(depth, code)
        }
        defer { closedir(dir) }
        var children: [[CChar]] = []
        while let entry = readdir(dir) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] { continue }
            children.append(bytes.map { CChar(bitPattern: $0) } + [0])
        }
        var ok = true
        for child in children {
            let shown = UntrustedText.line(bytes: child.dropLast().map { UInt8(bitPattern: $0) })
            if !remove(child, at: dirfd(dir), path: path + "/" + shown, depth: depth + 1) { ok = false }
        }
        guard ok else { return false }
        if unlinkat(parent, name, AT_REMOVEDIR) == 0 { return deleted() }
        return errno == ENOENT ? true : failed(depth, errno)
    }

    /// The given folder, or an entry `depth` folders down in it.
    private func named(_ depth: Int) -> String {
        depth == 0 ? top : "\(top): an entry \(depth) folder\(depth == 1 ? "" : "s") down"
    }

    private mutating func failed(_ depth: Int, _ code: Int32) -> Bool {
        failures.append("\(named(depth)): \(String(cString: strerror(code)))")
        return false
    }
}
