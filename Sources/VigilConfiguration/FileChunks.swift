import Foundation
import VigilCore

/// A file read to its end in chunks from a `ChunkPool`: the one read loop vigild's intake (its
/// own copy of a dropped file) and the command line (`vigil check`, `evaluate`) share.
///
/// It owns its descriptor and closes it at the end of the file, on a failed read, or when
/// released. A read interrupted by a signal is retried; any other failure is thrown once as a
/// `ReadError`, and the reader is then at its end. The pool's buffers are sized from `fstat`
/// (a hint only: a file that grows while read just comes in more chunks).
public final class FileChunks {
    /// A read(2) that failed.
    public struct ReadError: Error, Equatable, CustomStringConvertible {
        /// The `errno` it failed with.
        public var code: Int32
        /// Creates the error for an `errno`.
        public init(code: Int32) { self.code = code }
        /// `read failed: <strerror>`.
        public var description: String { "read failed: " + String(cString: strerror(code)) }
    }

    private var descriptor: Int32
    private var pool: ChunkPool

    /// Reads an open descriptor, which it now owns.
    public init(descriptor: Int32, chunkSize: Int = 1 << 20) {
        self.descriptor = descriptor
        var status = stat()
        pool = ChunkPool(chunkSize: chunkSize, fileSize: fstat(descriptor, &status) == 0 ? Int(status.st_size) : nil)
    }

    /// Opens `path` for reading (close-on-exec; with `followLinks: false`, refusing a symbolic
    /// link as the last component); nil when it cannot be opened.
    public convenience init?(path: String, chunkSize: Int = 1 << 20, followLinks: Bool = true) {
        // Non-blocking: a FIFO gives a read error instead of waiting for a writer for ever.
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | (followLinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { return nil }
        self.init(descriptor: fd, chunkSize: chunkSize)
    }

    deinit { close() }

    /// The most bytes a chunk holds (no more than the file needs, when its size was known).
    public var chunkSize: Int { pool.chunkSize }

    /// Whether the descriptor is closed (the end was reached, a read failed, or `close()`).
    public var isClosed: Bool { descriptor < 0 }

    /// The next chunk, nil at the end.
    ///
    /// - Throws: `ReadError` when read(2) fails (other than by EINTR).
    public func next() throws -> [UInt8]? {
        guard descriptor >= 0 else { return nil }
        let fd = descriptor
        do {
            let chunk = try pool.fill { buffer in
                while true {
                    let n = read(fd, buffer.baseAddress, buffer.count)
                    if n >= 0 { return n }
                    if errno != EINTR { throw ReadError(code: errno) }
                }
            }
            if chunk == nil { close() }
            return chunk
        } catch {
            close()
            throw error
        }
    }

    /// Closes the descriptor now (reading on gives nil).
    public func close() {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
        descriptor = -1
    }
}
