import Foundation
import VigilConfiguration

/// A file safely claimed for processing: Vigil's own copy (mode 0600) in the private processing
/// folder, which the partner can neither change nor replace; it is read from there in chunks
/// (`read(chunkSize:)`), never whole.
public struct ClaimedFile: Sendable {
    /// The claim id: the processing file's name (never the partner's file name).
    public var claim: String
    /// The supplying partner.
    public var partner: String
    /// The name the partner gave it.
    public var name: String
    /// Its path in the processing folder.
    public var path: String

    /// Creates a claimed file.
    public init(claim: String, partner: String, name: String, path: String) {
        self.claim = claim
        self.partner = partner
        self.name = name
        self.path = path
    }

    /// A chunk reader over the copy (nil at the end), opened without following links; nil when
    /// the copy cannot be opened.
    public func read(chunkSize: Int = 1 << 20) -> (() throws -> [UInt8]?)? {
        FileChunks(path: path, chunkSize: chunkSize, followLinks: false)?.next
    }
}
