import Testing

@testable import VigilCore

/// SipHash against values that do not come from this code: the SipHash-2-4 vectors of the paper's
/// reference implementation (key 00…0f, message 00…n-1), and SipHash-1-3 under a zero key as
/// CPython 3.11 computes it (`PYTHONHASHSEED=0 python3 -c 'print(hex(hash(b"C123456") & (2**64-1)))'`).
@Suite struct SipHashTests {
    private func hash(_ bytes: [UInt8], key: (UInt64, UInt64), _ c: Int, _ d: Int) -> UInt64 {
        bytes.withUnsafeBytes { SipHash.hash($0, key: key, compressionRounds: c, finalizationRounds: d) }
    }

    /// The reference key 00 01 … 0f, as two little-endian words.
    private let referenceKey: (UInt64, UInt64) = (0x0706_0504_0302_0100, 0x0f0e_0d0c_0b0a_0908)

    @Test(arguments: [
        (0, 0x726f_db47_dd0e_0e31 as UInt64), (1, 0x74f8_39c5_93dc_67fd), (7, 0xab02_00f5_8b01_d137),
        (8, 0x93f5_f579_9a93_2462), (9, 0x9e00_82df_0ba9_e4b0), (15, 0xa129_ca61_49be_45e5),
        (16, 0x3f2a_cc7f_57c2_9bdb), (63, 0x958a_324c_eb06_4572),
    ])
    func sipHash24MatchesTheReferenceVectors(length: Int, expected: UInt64) {
        #expect(hash(Array(0..<UInt8(length)), key: referenceKey, 2, 4) == expected)
    }

    @Test func sipHash13MatchesCPython() {
        #expect(hash(Array("C123456".utf8), key: (0, 0), 1, 3) == 0x5535_3f67_d73a_06fd)
        #expect(hash(Array("SECRET-CHILD-REFERENCE-0001".utf8), key: (0, 0), 1, 3) == 0x5e45_6dd0_7b46_bbaf)
    }

    @Test func identifiersHashUnderOneRandomKeyPerProcess() {
        let a = Array("C123456".utf8)
        let first = a.withUnsafeBufferPointer { RecordBytes.hash($0) }
        #expect(a.withUnsafeBufferPointer { RecordBytes.hash($0) } == first)
        #expect(first == hash(a, key: SipHash.processKey, 1, 3))
        // The key is not the zero key, so the hashes are not CPython's under PYTHONHASHSEED=0.
        #expect(SipHash.processKey != (0, 0))
        #expect(first != 0x5535_3f67_d73a_06fd)
    }
}
