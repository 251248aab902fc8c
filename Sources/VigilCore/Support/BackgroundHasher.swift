import Dispatch

/// SHA-256 computed on a serial background queue, so hashing a large file overlaps parsing it.
final class BackgroundHasher: @unchecked Sendable {
    private let queue = DispatchQueue(label: "vigil.sha256")
    private var hash = SHA256()
    /// At most this many chunks wait to be hashed: when the parser outruns the hasher (a file
    /// whose parsing stopped at its first error), reading waits instead of queueing the whole file.
    private let inFlight = DispatchSemaphore(value: 4)

    /// Queues a chunk (chunks are hashed in the order given); waits while four are queued.
    func update(_ chunk: [UInt8]) {
        inFlight.wait()
        queue.async {
            chunk.withUnsafeBytes { self.hash.update($0) }
            self.inFlight.signal()
        }
    }

    /// Waits for every queued chunk and returns the lowercase hex digest.
    func finalize() -> String {
        queue.sync { hash.finalize().hexString }
    }
}
