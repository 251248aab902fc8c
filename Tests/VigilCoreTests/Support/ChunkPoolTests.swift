import Testing

@testable import VigilCore

@Suite struct ChunkPoolTests {
    /// A "file" read through a pool: each fill copies the next bytes of `source`.
    private func reader(_ source: [UInt8], chunkSize: Int, count: Int) -> () -> [UInt8]? {
        var pool = ChunkPool(chunkSize: chunkSize, count: count)
        var offset = 0
        return {
            pool.fill { buffer in
                let n = min(buffer.count, source.count - offset)
                source.withUnsafeBytes { bytes in
                    buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]))
                }
                offset += n
                return n
            }
        }
    }

    @Test func chunksHoldTheFileInOrderWithAShortLastOne() {
        let source = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let next = reader(source, chunkSize: 64, count: 3)
        var chunks: [[UInt8]] = []
        while let chunk = next() { chunks.append(chunk) }
        #expect(chunks.map(\.count) == Array(repeating: 64, count: 15) + [40])
        #expect(Array(chunks.joined()) == source)
    }

    @Test func aChunkStillHeldNeverChangesWhenItsBufferComesRoundAgain() {
        let source = (0..<4096).map { UInt8(truncatingIfNeeded: $0 / 3) }
        let next = reader(source, chunkSize: 100, count: 2)
        // Every chunk is kept: each buffer's second turn must copy rather than overwrite.
        var kept: [[UInt8]] = []
        while let chunk = next() { kept.append(chunk) }
        #expect(kept.count == 41)
        #expect(Array(kept.joined()) == source)
    }

    @Test func aReleasedChunksStorageIsFilledAgainInPlace() {
        let source = [UInt8](repeating: 1, count: 64 * 6)
        let next = reader(source, chunkSize: 64, count: 2)
        let first = next()!.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        _ = next()
        let third = next()!.withUnsafeBytes { UInt(bitPattern: $0.baseAddress) }
        #expect(first == third)
    }

    @Test func theEndLeavesThePoolUsable() {
        var pool = ChunkPool(chunkSize: 8, count: 1)
        #expect(pool.fill { _ in 0 } == nil)
        #expect(
            pool.fill { buffer in
                buffer.storeBytes(of: 0x41, toByteOffset: 0, as: UInt8.self)
                return 1
            } == [0x41])
    }

    @Test func aSizeHintBoundsTheBuffersAndTheFileIsStillReadWhole() {
        #expect(ChunkPool(chunkSize: 1 << 20, fileSize: 10_000).chunkSize == 10_001)
        #expect(ChunkPool(chunkSize: 1 << 20, fileSize: 10).chunkSize == ChunkPool.smallest)
        #expect(ChunkPool(chunkSize: 1 << 20, fileSize: 5 << 20).chunkSize == 1 << 20)
        // A hint that is wrong (the file grew) only makes the chunks smaller.
        var pool = ChunkPool(chunkSize: 1 << 20, fileSize: 5000)
        let source = (0..<20_000).map { UInt8(truncatingIfNeeded: $0) }
        var offset = 0
        var read: [UInt8] = []
        while let chunk = pool.fill({ buffer in
            let n = min(buffer.count, source.count - offset)
            source.withUnsafeBytes { buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + n)])) }
            offset += n
            return n
        }) {
            #expect(chunk.count <= 5001)
            read += chunk
        }
        #expect(read == source)
    }
}
