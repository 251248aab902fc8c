import Foundation
import VigilCore

extension FeedFiles {
    /// What the command line makes of a file: its parse, or the refusal vigild would give it.
    public enum Reading: Sendable {
        /// Read and parsed (a file that could not be opened is a parse with one error).
        case parsed(ParsedFeed)
        /// Refused, as vigild refuses a dropped file (`IntakeRefusal`); `label` names it as
        /// receipts do.
        case refused(IntakeRefusal, label: String)
    }

    /// Reads and parses a file with the checks vigild makes when it takes a dropped one: a name
    /// that is UTF-8 (`collect` marks one that is not), a regular file (known before it is
    /// opened, so no device or socket is opened), within `maxBytes` (`max_file_bytes`) and not
    /// sparse; reading stops past `maxBytes` (a file that says it is small, as /proc's do, is
    /// refused as over the limit when read), and a file whose size or modification time moved while it was read
    /// is refused as changed, as vigild's copy is (review helper-38). Links are followed and may
    /// have several names: the file a partner checks is not yet in the drop folder.
    ///
    /// The file is streamed in 1 MiB chunks, so a large record-level extract is never held whole.
    /// `feed` names a record-level extract explicitly instead of recognising it by its header.
    public static func read(_ file: String, partner: String?, parser: FeedParser, feed: String? = nil, maxBytes: Int)
        -> Reading
    {
        let name = label(file, partner: partner)
        if file.hasPrefix(notUTF8Mark) { return .refused(.nameNotUTF8, label: name) }
        var first = stat()
        guard stat(file, &first) == 0 else { return .parsed(unreadable(name, partner)) }
        if first.st_mode & S_IFMT != S_IFREG {
            return .refused(.notRegular(kind: IntakeRefusal.kind(first.st_mode)), label: name)
        }
        // Non-blocking, should the entry have been swapped for a FIFO since; never a terminal's.
        let fd = open(file, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { return .parsed(unreadable(name, partner)) }
        var before = stat()
        guard fstat(fd, &before) == 0 else {
            close(fd)
            return .parsed(unreadable(name, partner))
        }
        if let refusal = IntakeRefusal.check(fd, before, maxBytes: maxBytes, links: false) {
            close(fd)
            return .refused(refusal, label: name)
        }
        // FileChunks closes its descriptor at the end; a second one is kept to look again after.
        let watch = dup(fd)
        defer { if watch >= 0 { close(watch) } }
        let chunks = FileChunks(descriptor: fd)
        var total = 0
        var over = false
        var ended = false
        let parsed = parser.parse(file: name, partner: partner, feed: feed) {
            guard !over else { return nil }
            guard let chunk = try chunks.next() else {
                ended = true
                return nil
            }
            total += chunk.count
            if total > maxBytes {
                over = true
                return nil
            }
            return chunk
        }
        chunks.close()
        if over { return .refused(.overLimitWhenRead(limit: maxBytes), label: name) }
        // Read to its end (not stopped by a read error or an unknown partner): it must still be
        // the file that was checked.
        var after = stat()
        if ended
            && (watch < 0 || fstat(watch, &after) != 0 || after.st_size != before.st_size
                || after.st_mtim.tv_sec != before.st_mtim.tv_sec || after.st_mtim.tv_nsec != before.st_mtim.tv_nsec
                || total != Int(before.st_size))
        {
            return .refused(.changed, label: name)
        }
        return .parsed(parsed)
    }

    /// A file that could not be opened or read.
    static func unreadable(_ name: String, _ partner: String?) -> ParsedFeed {
        ParsedFeed(
            file: name, sha256: "", partner: partner, observations: [],
            errors: [VigilError(code: .unreadable, message: "cannot read the file", location: SourceLocation(file: name))],
            rows: 0)
    }
}
