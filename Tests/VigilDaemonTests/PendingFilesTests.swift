import Testing

@testable import VigilDaemon
@testable import VigilService
@testable import VigilSystemd

/// The pending set without I/O: `stat` is a dictionary, time a number.
struct PendingFilesTests {
    typealias Look = PendingFiles.Look

    /// name → look; a missing name has vanished.
    struct Folder {
        var looks: [String: Look] = [:]
        func stat(_ partner: String, _ name: String) -> Look? { looks[partner + "/" + name] }
    }

    @Test func aRenamedFileIsReadyAtOnceAndAFileWrittenInPlaceAfterSettling() {
        var pending = PendingFiles(settle: 1)
        var folder = Folder()
        folder.looks["police/a.csv"] = Look(size: 10, mtime: 1, ctime: 1)
        folder.looks["police/b.csv"] = Look(size: 10, mtime: 2, ctime: 2)
        pending.note(partner: "police", name: "a.csv", immediate: true, now: 0)
        pending.note(partner: "police", name: ".b.csv.part", immediate: true, now: 0)
        #expect(pending.count == 1)
        #expect(pending.ready(now: 0, stat: folder.stat).map(\.name) == ["a.csv"])
        pending.note(partner: "police", name: "b.csv", immediate: false, now: 1)
        #expect(pending.ready(now: 1, stat: folder.stat).isEmpty)  // first look
        #expect(pending.nextDeadline(now: 1.5) == 0.5)
        folder.looks["police/b.csv"] = Look(size: 20, mtime: 3, ctime: 3)  // still being written
        #expect(pending.ready(now: 1.9, stat: folder.stat).isEmpty)
        #expect(pending.ready(now: 2.5, stat: folder.stat).isEmpty)
        #expect(pending.ready(now: 2.9, stat: folder.stat).map(\.name) == ["b.csv"])
        #expect(pending.count == 0)
        #expect(pending.nextDeadline(now: 3) == nil)
    }

    /// Within a partner, arrival order (change time, then name), and a file that is not ready
    /// holds back the later ones; other partners are not held back.
    @Test func filesAreTakenInArrivalOrderAndAnUnsettledFileHoldsBackLaterOnes() {
        var pending = PendingFiles(settle: 1)
        var folder = Folder()
        // z.csv arrived first (found by a scan after a restart); a.csv was renamed in later.
        folder.looks["police/z.csv"] = Look(size: 5, mtime: 100, ctime: 100)
        folder.looks["police/a.csv"] = Look(size: 5, mtime: 50, ctime: 200)
        folder.looks["health/h.csv"] = Look(size: 5, mtime: 300, ctime: 300)
        pending.note(partner: "police", name: "z.csv", immediate: false, now: 0)
        pending.note(partner: "police", name: "a.csv", immediate: true, now: 0)
        pending.note(partner: "health", name: "h.csv", immediate: true, now: 0)
        #expect(pending.ready(now: 0, stat: folder.stat).map { "\($0.partner)/\($0.name)" } == ["health/h.csv"])
        // a.csv waits for z.csv, and the wait is z.csv's deadline, not a busy loop.
        #expect(pending.nextDeadline(now: 0.2) == 0.8)
        #expect(pending.ready(now: 0.5, stat: folder.stat).isEmpty)
        #expect(pending.ready(now: 1.0, stat: folder.stat).map(\.name) == ["z.csv", "a.csv"])
    }

    /// A partner whose journal entries wait for the pace is paused: its files stay noted, in
    /// order, but are not handed out and set no deadline (the loop wakes when the pace's window
    /// ends); other partners' files are handed out as before.
    @Test func aPausedPartnersFilesWaitAndSetNoDeadline() {
        var pending = PendingFiles(settle: 1)
        var folder = Folder()
        folder.looks["police/a.csv"] = Look(size: 5, mtime: 1, ctime: 1)
        folder.looks["police/b.csv"] = Look(size: 5, mtime: 2, ctime: 2)
        folder.looks["health/h.csv"] = Look(size: 5, mtime: 3, ctime: 3)
        pending.note(partner: "police", name: "a.csv", immediate: true, now: 0)
        pending.note(partner: "police", name: "b.csv", immediate: true, now: 0)
        pending.paused = ["police"]
        #expect(pending.nextDeadline(now: 0) == nil)
        pending.note(partner: "health", name: "h.csv", immediate: true, now: 0)
        #expect(pending.ready(now: 0, stat: folder.stat).map { "\($0.partner)/\($0.name)" } == ["health/h.csv"])
        #expect(pending.count == 2)
        #expect(pending.nextDeadline(now: 0.5) == nil)
        pending.paused = []
        #expect(pending.nextDeadline(now: 0.5) == 0)
        #expect(pending.ready(now: 0.5, stat: folder.stat).map(\.name) == ["a.csv", "b.csv"])
    }

    /// A partner paused during a batch has the rest of that batch put back, even if the pace's
    /// window ends before its next file comes up (review: a later revision could then overtake
    /// the one put back); put-back files settle again and come in arrival order.
    @Test func aPartnerPausedDuringABatchHasTheRestOfItPutBack() {
        var pending = PendingFiles(settle: 1)
        var folder = Folder()
        for (n, name) in ["a.csv", "b.csv", "c.csv"].enumerated() {
            folder.looks["police/" + name] = Look(size: 5, mtime: Int64(n), ctime: Int64(n))
            pending.note(partner: "police", name: name, immediate: true, now: 0)
        }
        folder.looks["health/h.csv"] = Look(size: 5, mtime: 9, ctime: 9)
        pending.note(partner: "health", name: "h.csv", immediate: true, now: 0)
        let batch = pending.ready(now: 0, stat: folder.stat).map { "\($0.partner)/\($0.name)" }
        #expect(batch == ["health/h.csv", "police/a.csv", "police/b.csv", "police/c.csv"])
        let first = [
            pending.admits(partner: "health", name: "h.csv", now: 0), pending.admits(partner: "police", name: "a.csv", now: 0),
        ]
        #expect(first == [true, true])
        pending.paused = ["police"]  // a.csv's entries filled the window
        let second = pending.admits(partner: "police", name: "b.csv", now: 0)
        pending.paused = []  // the window ended meanwhile
        let third = pending.admits(partner: "police", name: "c.csv", now: 0)
        #expect([second, third] == [false, false])
        #expect(pending.count == 2)
        #expect(pending.ready(now: 0.5, stat: folder.stat).isEmpty)
        #expect(pending.ready(now: 1.5, stat: folder.stat).map(\.name) == ["b.csv", "c.csv"])
    }

    @Test func aFileThatVanishesIsDroppedAndReleasesTheOnesBehindIt() {
        var pending = PendingFiles(settle: 1)
        var folder = Folder()
        folder.looks["police/early.csv"] = Look(size: 5, mtime: 1, ctime: 1)
        folder.looks["police/late.csv"] = Look(size: 5, mtime: 2, ctime: 2)
        pending.note(partner: "police", name: "early.csv", immediate: false, now: 0)
        pending.note(partner: "police", name: "late.csv", immediate: true, now: 0)
        #expect(pending.ready(now: 0, stat: folder.stat).isEmpty)
        folder.looks["police/early.csv"] = nil
        #expect(pending.ready(now: 0.1, stat: folder.stat).map(\.name) == ["late.csv"])
        #expect(pending.count == 0)
    }

    /// A flood from one partner does not hold back another's file: partners take turns, and one
    /// call hands out at most `batchPerPartner` of a partner's files, so the loop looks at the
    /// folders again between batches.
    @Test func aFloodFromOnePartnerDoesNotDelayAnother() {
        var pending = PendingFiles(settle: 1, batchPerPartner: 32)
        var folder = Folder()
        for i in 0..<1000 {
            let name = "f\(i).csv"
            folder.looks["board/" + name] = Look(size: 5, mtime: Int64(i), ctime: Int64(i))
            pending.note(partner: "board", name: name, immediate: true, now: 0)
        }
        folder.looks["police/m.csv"] = Look(size: 5, mtime: 5000, ctime: 5000)
        pending.note(partner: "police", name: "m.csv", immediate: true, now: 0)
        let first = pending.ready(now: 0, stat: folder.stat)
        let second = pending.ready(now: 0, stat: folder.stat)
        #expect(first.count == 33)
        #expect(first.prefix(2).map { "\($0.partner)/\($0.name)" } == ["board/f0.csv", "police/m.csv"])
        #expect(first.filter { $0.partner == "board" }.map(\.name) == (0..<32).map { "f\($0).csv" })
        // The rest are ready at once, in arrival order, batch after batch.
        #expect(second.map(\.name) == (32..<64).map { "f\($0).csv" })
        #expect(pending.count == 1000 - 64)
    }

    /// At most `maxWaitingPerPartner` names are held for a partner (a million empty files must not
    /// exhaust the service's memory); the rest are noticed by a later scan as these clear.
    @Test func aPartnersWaitingFilesAreCapped() {
        var pending = PendingFiles(settle: 1, maxWaitingPerPartner: 3)
        var noted: [Bool] = []
        for i in 0..<5 { noted.append(pending.note(partner: "board", name: "f\(i).csv", immediate: true, now: 0)) }
        #expect(noted == [true, true, true, false, false])
        // A name already held is noted again (a rename into the folder makes it immediate).
        let again = pending.note(partner: "board", name: "f0.csv", immediate: true, now: 0)
        let police = pending.note(partner: "police", name: "m.csv", immediate: true, now: 0)
        #expect(again && police)
        #expect(pending.count == 4)
        #expect(!pending.hasRoom(partner: "board"))
        #expect(pending.hasRoom(partner: "police"))
    }

    /// A name that is not UTF-8 is held under a key that gives its bytes back, and is no
    /// dot-name; UTF-8 names are held as themselves.
    @Test func aNameThatIsNotUTF8IsHeldUnderAKeyThatGivesItsBytesBack() {
        let raw: [UInt8] = [0x78, 0xFF, 0x0A, 0xC3, 0x28, 0x2E, 0x63]
        let key = PendingFiles.key(rawName: raw)!
        #expect(PendingFiles.isRaw(key))
        #expect(PendingFiles.isCandidate(key))
        #expect(PendingFiles.rawName(of: key) == raw)
        #expect(PendingFiles.key(rawName: Array("a.csv".utf8)) == "a.csv")
        #expect(!PendingFiles.isRaw("a.csv"))
        #expect(PendingFiles.rawName(of: "a.csv") == Array("a.csv".utf8))
        #expect(PendingFiles.key(rawName: [0x2E, 0xFF]) == nil)
        #expect(PendingFiles.key(rawName: []) == nil)
        let all = (0...255).map { UInt8($0) }.filter { $0 != 0 && $0 != 0x2F }
        #expect(PendingFiles.rawName(of: PendingFiles.key(rawName: [0x80] + all)!) == [0x80] + all)
    }
}
