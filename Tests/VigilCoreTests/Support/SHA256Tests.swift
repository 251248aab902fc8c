import Testing

@testable import VigilCore

@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func knownVectors(input: String, digest: String) {
        #expect(SHA256.hex(input) == digest)
    }

    @Test func incrementalEqualsOneShot() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        for split in [0, 1, 63, 64, 65, 500, 999] {
            var hash = SHA256()
            bytes[..<split].withUnsafeBytes { hash.update($0) }
            bytes[split...].withUnsafeBytes { hash.update($0) }
            #expect(hash.finalize().hexString == SHA256.hex(bytes))
        }
    }

    /// FIPS 180-4's long vector (a million 'a's) through the buffer path, in 1000-byte pieces: on a
    /// processor with the SHA extensions this is the hardware path.
    @Test func aMillionAsThroughTheBufferPath() {
        let piece = [UInt8](repeating: 0x61, count: 1000)
        var hash = SHA256()
        for _ in 0..<1000 { piece.withUnsafeBytes { hash.update($0) } }
        #expect(hash.finalize().hexString == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The SHA extensions and the Swift rounds give the same digest for every length and split
    /// (where the processor has no SHA extensions, both runs are the Swift rounds).
    @Test func hardwareAndSoftwareAgree() {
        var rng = SplitMix64(seed: 256)
        for length in [0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 1000, 4096, 70_001] {
            let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            var digests: Set<String> = []
            for hardware in [false, true] {
                var hash = SHA256()
                hash.usesHardware = hardware && SHA256.hardware
                let split = length / 3
                bytes[..<split].withUnsafeBytes { hash.update($0) }
                bytes[split...].withUnsafeBytes { hash.update($0) }
                digests.insert(hash.finalize().hexString)
            }
            #expect(digests == [SHA256.hex(bytes)], "length \(length)")
        }
    }
}
