import Dispatch

/// SHA-256 computed on a serial background queue, so hashing a large file overlaps parsing it.
final class BackgroundHasher: @unchecked Sendable {
    private let queue = DispatchQueue(label: "vigil.sha256")
    private var hash = SHA256()

    /// Queues a chunk (chunks are hashed in the order given).
    func update(_ chunk: [UInt8]) {
        queue.async { chunk.withUnsafeBytes { self.hash.update($0) } }
    }

    /// Waits for every queued chunk and returns the lowercase hex digest.
    func finalize() -> String {
        queue.sync { hash.finalize().hexString }
    }
}
