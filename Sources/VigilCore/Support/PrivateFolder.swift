import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A new folder only its creator can enter, made in one step (`mkdtemp`, mode `0700` whatever the
/// umask): a folder made with the default mode and tightened after is open to others between the
/// two, and a file written into it before the change can be read by them.
public enum PrivateFolder {
    /// Makes `<parent>/<prefix>XXXXXX` (the six characters random) and returns its path.
    public static func make(in parent: String, prefix: String) throws -> String {
        let base = parent.hasSuffix("/") ? parent : parent + "/"
        var template = Array((base + prefix + "XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard made != nil else {
            throw VigilError(
                code: .store, message: "cannot make a private temporary folder", location: SourceLocation(file: parent),
                cause: String(cString: strerror(errno)))
        }
        return String(cString: template)
    }
}
