import Testing

@testable import VigilDaemon

/// `struct inotify_event` records decoded by hand, without a kernel.
struct InotifyDecodeTests {
    /// wd, mask, cookie, len (little-endian), then the name padded with NULs to `len`.
    private func record(wd: Int32, mask: UInt32, name: [UInt8], padTo length: Int) -> [UInt8] {
        func le(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }
        return le(UInt32(bitPattern: wd)) + le(mask) + le(0) + le(UInt32(length)) + name
            + Array(repeating: 0, count: length - name.count)
    }

    @Test func recordsWithPaddedNamesAndRawBytes() {
        let bytes =
            record(wd: 3, mask: 0x80, name: Array("missing.csv".utf8), padTo: 16)
            + record(wd: 4, mask: 0x100, name: [0x62, 0xFF], padTo: 16) + record(wd: 3, mask: 0x4000, name: [], padTo: 0)
        let events = Inotify.decode(bytes)
        #expect(events.count == 3)
        #expect(events[0] == Inotify.Event(wd: 3, mask: 0x80, rawName: Array("missing.csv".utf8)))
        #expect(events[0].name == "missing.csv")
        #expect(events[1].rawName == [0x62, 0xFF])
        #expect(events[1].name == nil)  // not UTF-8: refused with a receipt by the loop
        #expect(events[2].rawName.isEmpty)
    }

    @Test func aTruncatedLastRecordIsDropped() {
        let whole = record(wd: 1, mask: 0x80, name: Array("a.csv".utf8), padTo: 16)
        let cut = whole + Array(record(wd: 1, mask: 0x80, name: Array("b.csv".utf8), padTo: 16).prefix(20))
        #expect(Inotify.decode(cut).map(\.name) == ["a.csv"])
        #expect(Inotify.decode(Array(whole.prefix(10))).isEmpty)
    }
}
