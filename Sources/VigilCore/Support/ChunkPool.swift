/// A few chunk buffers a file is read into, handed out in turn: a buffer is filled again once
/// whoever it was given to (the parser, the hasher's queue) has let it go, so a large file is
/// read without a fresh megabyte (and its page faults) and a copy per chunk.
///
/// Each chunk given out is an ordinary `[UInt8]` sharing the pool's storage. If it is still held
/// when its turn comes round again, filling it copies it first (the array's copy-on-write), so
/// a holder never sees its bytes change: the pool is only ever slower, never wrong.
public struct ChunkPool {
    private var buffers: [[UInt8]]
    private var next = 0
    /// The most bytes a chunk holds.
    public let chunkSize: Int

    /// A pool of `count` buffers of `chunkSize` bytes (allocated as they are first used). For a
    /// file of known size (`fileSize`, a hint) the buffers are no larger than it needs, with a
    /// byte to spare so that its end is seen by the second read: a monthly file of a few
    /// kilobytes is not read through two megabytes of zeroed buffers.
    public init(chunkSize: Int = 1 << 20, count: Int = 8, fileSize: Int? = nil) {
        precondition(chunkSize > 0 && count > 0, "a pool needs buffers of at least one byte")
        self.chunkSize = fileSize.map { min(chunkSize, max(ChunkPool.smallest, $0 + 1)) } ?? chunkSize
        buffers = Array(repeating: [], count: count)
    }

    /// The smallest buffer a size hint gives.
    static let smallest = 4096

    /// The next chunk: `fill` writes up to `chunkSize` bytes into the buffer it is given and
    /// returns how many (0 at the end of the file, when this returns nil).
    public mutating func fill(_ fill: (UnsafeMutableRawBufferPointer) throws -> Int) rethrows -> [UInt8]? {
        let index = next
        // Taken out of the pool while filled, so that the pool's reference does not count.
        var buffer = buffers[index]
        buffers[index] = []
        if buffer.isEmpty {
            buffer = [UInt8](repeating: 0, count: chunkSize)
        } else if buffer.count < chunkSize {
            buffer += [UInt8](repeating: 0, count: chunkSize - buffer.count)
        }
        let n = try buffer.withUnsafeMutableBytes { try fill($0) }
        precondition(n >= 0 && n <= chunkSize, "a chunk holds at most chunkSize bytes")
        guard n > 0 else {
            buffers[index] = buffer
            return nil
        }
        // Shortened in place (the capacity stays), so a short read costs no copy either. The
        // turn moves on only now: the end of a file is read into the buffer that saw it.
        buffer.removeLast(chunkSize - n)
        next = (next + 1) % buffers.count
        buffers[index] = buffer
        return buffer
    }
}
