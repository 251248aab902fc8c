import Foundation
import VigilCore

/// Finds feed files under given paths and reads them (the file-system side of ingestion).
public enum FeedFiles {
    /// Files in order: each path as given; folders recursively, sorted, `.csv` and `.json` only, dot-files skipped.
    ///
    /// - Throws: `VigilError` (`file.unreadable`) naming a path that does not exist.
    public static func collect(_ paths: [String]) throws -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
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
                if name.hasSuffix(".csv") || name.hasSuffix(".json") {
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

    /// Reads and parses a file.
    ///
    /// The file is streamed in 1 MiB chunks, so a large record-level extract is never held whole.
    /// `feed` names a record-level extract explicitly instead of recognising it by its header;
    /// `label` is the name errors and receipts give the file (default: its path).
    public static func parse(
        _ file: String, partner: String?, parser: FeedParser, feed: String? = nil, label: String? = nil
    ) -> ParsedFeed {
        // A path is the partner's text too (IT may check a drop folder): shown escaped.
        let name = label ?? UntrustedText.line(file)
        guard let chunks = FileChunks(path: file) else {
            return ParsedFeed(
                file: name, sha256: "", partner: partner, observations: [],
                errors: [VigilError(code: .unreadable, message: "cannot read the file", location: SourceLocation(file: name))],
                rows: 0)
        }
        return parser.parse(file: name, partner: partner, feed: feed, next: chunks.next)
    }
}
