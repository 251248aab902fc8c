import Foundation
import VigilCore

extension IntakeRefusal {
    /// lseek's `SEEK_HOLE` (Linux 3.1; glibc declares it only under `_GNU_SOURCE`).
    private static let seekHole: Int32 = 4

    /// The refusal for a file open as `fd` with `info` its `fstat`, or nil when it may be read:
    /// the checks vigild makes before it copies a dropped file, and `vigil check` and `vigil
    /// evaluate` before they read one, so a partner's check predicts the service's answer. A
    /// regular file must be within `maxBytes` and have no hole before its end (a sparse file's
    /// length is not on the partner's disk quota, but Vigil's copy of it would be); with `links`,
    /// it must also have one name (the drop folder's rule; a file checked at a terminal may have
    /// several). A file system without hole reporting reports none. The offset is left at 0.
    public static func check(_ fd: Int32, _ info: stat, maxBytes: Int, links: Bool = true) -> IntakeRefusal? {
        if info.st_mode & S_IFMT != S_IFREG { return .notRegular(kind: kind(info.st_mode)) }
        if links && info.st_nlink != 1 { return .hardLink(links: Int(info.st_nlink)) }
        if Int(info.st_size) > maxBytes { return .oversized(size: Int(info.st_size), limit: maxBytes) }
        let hole = info.st_size > 0 ? lseek(fd, 0, seekHole) : -1
        // SEEK_HOLE moves the offset (to the end, for a file without holes): back to the start,
        // for a caller that reads on from it.
        lseek(fd, 0, SEEK_SET)
        return hole >= 0 && hole < info.st_size ? .sparse : nil
    }

    /// What kind of entry a mode that is not a regular file's describes.
    public static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "FIFO"
        case S_IFCHR: return "character device"
        case S_IFBLK: return "block device"
        case S_IFSOCK: return "socket"
        case S_IFDIR: return "directory"
        default: return "special file"
        }
    }

    /// The receipt's text for an entry refused: `REJECTED label: reason`, with whether it was left
    /// unread and whether it stays in the drop folder. vigild's receipts and journal entries and
    /// the command line's answer are this one text.
    public func receiptText(label: String, leftInPlace: Bool = false) -> String {
        "REJECTED \(label): \(statement)"
            + (leftInPlace ? "; it is left in the folder and not reported again: remove it" : "")
    }

    /// Why, and whether the content was left unread: the receipt's words after the label, and
    /// `vigil evaluate`'s error for the file.
    public var statement: String { description + (leftUnread ? "; it was not read" : "") }

    /// The receipt's JSON for an entry refused: `{"file","status":"rejected","reason"}`.
    public func receiptJSON(label: String) -> String {
        var j = JSONWriter()
        j.string("file", label)
        j.string("status", "rejected")
        j.string("reason", description)
        return j.finish()
    }
}
