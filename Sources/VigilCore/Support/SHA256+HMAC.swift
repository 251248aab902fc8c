extension SHA256 {
    /// HMAC-SHA256 (RFC 2104) of `message` under `key`: what Vigil publishes as a record-level
    /// extract's identity, so that a reader of the journal cannot confirm a guess at a tiny
    /// extract's rows by hashing it (an unkeyed SHA-256 would let them; review helper-17).
    public static func hmac(key: [UInt8], message: [UInt8]) -> [UInt8] {
        let blockSize = 64
        var block =
            key.count > blockSize
            ? {
                var h = SHA256()
                h.update(key)
                return h.finalize()
            }() : key
        block += [UInt8](repeating: 0, count: blockSize - block.count)
        var inner = SHA256()
        inner.update(block.map { $0 ^ 0x36 })
        inner.update(message)
        var outer = SHA256()
        outer.update(block.map { $0 ^ 0x5c })
        outer.update(inner.finalize())
        return outer.finalize()
    }
}
