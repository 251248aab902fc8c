/// SipHash (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012) of a byte buffer
/// under a 128-bit key: the keyed hash of record-level identifiers.
///
/// Swift's `Hasher` computes SipHash-1-3 too, but through a general streaming interface (a tail
/// buffer, a seed read at every `init`) that cost about 7 % of a record-level ingest for two hashes
/// a row. This is the same function written for one buffer at a time. `RecordBytes.hash` uses
/// SipHash-1-3 under a key drawn at random once per process, so a partner cannot choose
/// identifiers whose hashes collide; the rounds are parameters so that the function can be
/// checked against the published SipHash-2-4 test vectors.
enum SipHash {
    /// The process's key, drawn from the system's random source on first use.
    static let processKey: (UInt64, UInt64) = {
        var generator = SystemRandomNumberGenerator()
        return (generator.next(), generator.next())
    }()

    /// SipHash-1-3 of `bytes` under the process's key.
    @inline(__always)
    static func hash13(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        hash(bytes, key: processKey, compressionRounds: 1, finalizationRounds: 3)
    }

    /// SipHash-c-d of `bytes` under `key` (k0, k1: the key's first and last 8 bytes, little-endian).
    @inline(__always)
    static func hash(
        _ bytes: UnsafeRawBufferPointer, key: (UInt64, UInt64), compressionRounds: Int, finalizationRounds: Int
    ) -> UInt64 {
        var state = State(key: key)
        let count = bytes.count
        var offset = 0
        while offset &+ 8 <= count {
            state.compress(UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self)), compressionRounds)
            offset &+= 8
        }
        // The last block: the remaining bytes, and the length's low byte in the top byte.
        var last = UInt64(truncatingIfNeeded: count) &<< 56
        var shift: UInt64 = 0
        while offset < count {
            last |= UInt64(bytes[offset]) &<< shift
            shift &+= 8
            offset &+= 1
        }
        state.compress(last, compressionRounds)
        return state.finalize(finalizationRounds)
    }

    /// The four words of SipHash's internal state.
    private struct State {
        var v0: UInt64
        var v1: UInt64
        var v2: UInt64
        var v3: UInt64

        @inline(__always)
        init(key: (UInt64, UInt64)) {
            v0 = key.0 ^ 0x736f_6d65_7073_6575
            v1 = key.1 ^ 0x646f_7261_6e64_6f6d
            v2 = key.0 ^ 0x6c79_6765_6e65_7261
            v3 = key.1 ^ 0x7465_6462_7974_6573
        }

        @inline(__always)
        mutating func compress(_ m: UInt64, _ rounds: Int) {
            v3 ^= m
            for _ in 0..<rounds { round() }
            v0 ^= m
        }

        @inline(__always)
        mutating func finalize(_ rounds: Int) -> UInt64 {
            v2 ^= 0xff
            for _ in 0..<rounds { round() }
            return v0 ^ v1 ^ v2 ^ v3
        }

        /// One SipRound.
        @inline(__always)
        private mutating func round() {
            v0 &+= v1
            v1 = rotate(v1, 13)
            v1 ^= v0
            v0 = rotate(v0, 32)
            v2 &+= v3
            v3 = rotate(v3, 16)
            v3 ^= v2
            v0 &+= v3
            v3 = rotate(v3, 21)
            v3 ^= v0
            v2 &+= v1
            v1 = rotate(v1, 17)
            v1 ^= v2
            v2 = rotate(v2, 32)
        }

        @inline(__always)
        private func rotate(_ x: UInt64, _ n: UInt64) -> UInt64 { (x &<< n) | (x &>> (64 &- n)) }
    }
}
