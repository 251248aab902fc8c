import Foundation
import VigilCore

/// Finds feed files under given paths and reads them (the file-system side of ingestion).
public enum FeedFiles {
    /// Files in order: each path as given; folders recursively, sorted, names ending `.csv` or
    /// `.json` in any case (`BAD.CSV` too), dot-files skipped. A path given whose name is not
    /// UTF-8 (U+FFFD in place of its bytes) is kept, for `read` to refuse as vigild does.
    ///
    /// - Throws: `VigilError` (`file.unreadable`) naming a path that does not exist.
    public static func collect(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                if path.contains("\u{FFFD}") {
                    files.append(path)
                    continue
                }
                throw VigilError(
                    code: .unreadable, message: "no such file or folder", location: SourceLocation(file: UntrustedText.line(path))
                )
            }
            if !isDirectory.boolValue {
                files.append(path)
                continue
            }
            let enumerator = FileManager.default.enumerator(atPath: path)
            var found: [String] = []
            while let entry = enumerator?.nextObject() as? String {
                let name = (entry as NSString).lastPathComponent
                if name.hasPrefix(".") { continue }
                let lower = name.lowercased()
                if lower.hasSuffix(".csv") || lower.hasSuffix(".json") {
                    found.append((path as NSString).appendingPathComponent(entry))
                }
            }
            files += found.sorted()
        }
        return files
    }

    /// The partner a file comes from: the one given, else its folder's name when that is a partner.
    public static func partner(for file: String, given: String?, catalogue: Catalogue) -> String? {
        if let given { return given }
        let folder = ((file as NSString).deletingLastPathComponent as NSString).lastPathComponent
        return catalogue.partner(folder) != nil ? folder : nil
    }

    /// How errors, receipts and the store name a file: `partner/name`, as vigild names a dropped
    /// one, when its partner is known; the path as given otherwise. Escaped: a path is the
    /// partner's text too (IT may check a drop folder).
    public static func label(_ file: String, partner: String?) -> String {
        guard let partner else { return UntrustedText.line(file) }
        return partner + "/" + UntrustedText.line((file as NSString).lastPathComponent)
    }

    /// What the command line makes of a file: its parse, or the refusal vigild would give it
    /// before reading a byte.
    public enum Reading: Sendable {
        /// Read and parsed (a file that could not be opened is a parse with one error).
        case parsed(ParsedFeed)
        /// Refused unread, as vigild refuses a dropped file (`IntakeRefusal.check`), or a name
        /// that is not UTF-8; `label` names it as receipts do.
        case refused(IntakeRefusal, label: String)
    }

    /// Reads and parses a file with the checks vigild makes before it copies a dropped one: a
    /// regular file, within `maxBytes` (`max_file_bytes`), not sparse; a name that is not UTF-8
    /// (given on the command line, or found in a folder, it reaches here with U+FFFD in place of
    /// its bytes and cannot be opened) is refused as vigild refuses it. Links are followed and
    /// may have several names: the file a partner checks is not yet in the drop folder.
    ///
    /// The file is streamed in 1 MiB chunks, so a large record-level extract is never held whole.
    /// `feed` names a record-level extract explicitly instead of recognising it by its header.
    public static func read(_ file: String, partner: String?, parser: FeedParser, feed: String? = nil, maxBytes: Int)
        -> Reading
    {
        let name = label(file, partner: partner)
        // Non-blocking, so a FIFO given by mistake is refused rather than waited on.
        let fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT && file.contains("\u{FFFD}") { return .refused(.nameNotUTF8, label: name) }
            return .parsed(unreadable(name, partner))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            close(fd)
            return .parsed(unreadable(name, partner))
        }
        if let refusal = IntakeRefusal.check(fd, info, maxBytes: maxBytes, links: false) {
            close(fd)
            return .refused(refusal, label: name)
        }
        let chunks = FileChunks(descriptor: fd)
        return .parsed(parser.parse(file: name, partner: partner, feed: feed, next: chunks.next))
    }

    /// A file that could not be opened or read.
    private static func unreadable(_ name: String, _ partner: String?) -> ParsedFeed {
        ParsedFeed(
            file: name, sha256: "", partner: partner, observations: [],
            errors: [VigilError(code: .unreadable, message: "cannot read the file", location: SourceLocation(file: name))],
            rows: 0)
    }
}
