import Foundation
import VigilCore

/// Finds feed files under given paths and reads them (the file-system side of ingestion).
public enum FeedFiles {
    /// Marks an entry whose name is not UTF-8 in what `collect` returns: a NUL, which no real path
    /// can hold, before the entry's display path, its name already escaped from its raw bytes
    /// (`\xff`, as vigild's receipt shows it). `read` refuses it unread, as vigild refuses such a
    /// name, and never opens it: a valid name spelt with U+FFFD may be another file beside it
    /// (review helper-38, helper-39).
    static let notUTF8Mark = "\u{0}"

    /// Files in order: each path as given; folders recursively (read as raw names, so a name
    /// that is not UTF-8 is known as such), sorted, names ending `.csv` or `.json` in any case
    /// (`BAD.CSV` too), dot-files skipped, symbolic links to folders not followed. A path whose
    /// index is in `namesNotUTF8` (typed with bytes that are not UTF-8; the value is its display
    /// path), and a file or folder found whose name is not UTF-8, is returned marked
    /// (`notUTF8Mark`) for `read` to refuse.
    ///
    /// - Throws: `VigilError` (`file.unreadable`) naming a path that does not exist, a folder with
    ///   no feed file in it, a folder that cannot be read, or one more than 32 folders deep: a
    ///   check that passed over them would pass files it never saw (review helper-39).
    public static func collect(_ paths: [String], namesNotUTF8: [Int: String] = [:]) throws -> [String] {
        var files: [String] = []
        for (index, path) in paths.enumerated() {
            if let shown = namesNotUTF8[index] {
                files.append(notUTF8Mark + shown)
                continue
            }
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
            var found: [String] = []
            try walk(path, depth: 0, into: &found)
            guard !found.isEmpty else {
                // Review helper-37: a folder of `BAD.TXT` files said nothing and exited 0, a pass.
                throw VigilError(
                    code: .unreadable, message: "no feed files (.csv or .json) in this folder",
                    location: SourceLocation(file: UntrustedText.line(path)))
            }
            files += found.sorted { unmarked($0) < unmarked($1) }
        }
        return files
    }

    /// Adds the feed files under `folder` to `found`, reading raw names (`readdir`): a file or
    /// folder whose name is not UTF-8 is added marked, unopened.
    private static func walk(_ folder: String, depth: Int, into found: inout [String]) throws {
        guard depth < 32 else {
            throw VigilError(
                code: .unreadable, message: "more than 32 folders deep; check the folders nearer the top",
                location: SourceLocation(file: UntrustedText.line(folder)))
        }
        guard let dir = opendir(folder) else {
            throw VigilError(
                code: .unreadable, message: "cannot read this folder (\(String(cString: strerror(errno))))",
                location: SourceLocation(file: UntrustedText.line(folder)))
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { Array($0.prefix { $0 != 0 }) }
            if bytes.first == UInt8(ascii: ".") { continue }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                found.append(notUTF8Mark + UntrustedText.line(folder) + "/" + UntrustedText.line(bytes: bytes))
                continue
            }
            let path = (folder as NSString).appendingPathComponent(name)
            var type = entry.pointee.d_type
            if type == UInt8(DT_UNKNOWN) {
                var info = stat()
                guard lstat(path, &info) == 0 else { continue }
                type = info.st_mode & S_IFMT == S_IFDIR ? UInt8(DT_DIR) : UInt8(DT_REG)
            }
            if type == UInt8(DT_DIR) {
                try walk(path, depth: depth + 1, into: &found)
                continue
            }
            let lower = name.lowercased()
            if lower.hasSuffix(".csv") || lower.hasSuffix(".json") { found.append(path) }
        }
    }

    /// The path of a file `collect` returned, without its mark if it has one.
    static func unmarked(_ file: String) -> String { file.hasPrefix(notUTF8Mark) ? String(file.dropFirst()) : file }

    /// The partner a file comes from: the one given, else its folder's name when that is a partner.
    public static func partner(for file: String, given: String?, catalogue: Catalogue) -> String? {
        if let given { return given }
        let folder = ((unmarked(file) as NSString).deletingLastPathComponent as NSString).lastPathComponent
        return catalogue.partner(folder) != nil ? folder : nil
    }

    /// How errors, receipts and the store name a file: `partner/name`, as vigild names a dropped
    /// one, when its partner is known; the path as given otherwise. Escaped, the partner too: a
    /// path is the partner's text (IT may check a drop folder), and `--partner` is typed.
    public static func label(_ file: String, partner: String?) -> String {
        // A marked entry's display path is escaped already.
        let marked = file.hasPrefix(notUTF8Mark)
        let path = unmarked(file)
        guard let partner else { return marked ? path : UntrustedText.line(path) }
        let name = (path as NSString).lastPathComponent
        return UntrustedText.line(partner) + "/" + (marked ? name : UntrustedText.line(name))
    }
}
