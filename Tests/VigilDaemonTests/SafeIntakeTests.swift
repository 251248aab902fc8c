import Foundation
import Testing

@testable import VigilDaemon
@testable import VigilService
@testable import VigilSystemd

/// The claim on real files, with the partner acting at the worst moment: between the check of its
/// descriptor and the copy (the `record` step), and after the claim with a descriptor kept open.
@Suite struct SafeIntakeTests {
    struct Folders {
        let root = NSTemporaryDirectory() + "vigil-intake-" + UUID().uuidString
        var drop: String { root + "/drop" }
        var processing: String { root + "/processing" }
        var refused: String { root + "/refused" }
        init() throws {
            for folder in [drop, processing, refused] {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
        }
        func remove() { try? FileManager.default.removeItem(atPath: root) }
        func entries(_ folder: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        }
    }

    let text = "indicator,period,value\nmissing.incidents,2013-04,9\n"

    private func claim(_ f: Folders, maxBytes: Int = 1 << 20, during: () -> Void = {}) -> SafeIntake.Outcome {
        SafeIntake(processing: f.processing, maxBytes: maxBytes).claim(
            folder: f.drop, partner: "police", name: "m.csv", claimId: "c1", refusedFolder: f.refused, record: during)
    }

    @Test func theClaimIsVigilsOwnCopyAndAKeptDescriptorCannotReachIt() throws {
        let f = try Folders()
        defer { f.remove() }
        try text.write(toFile: f.drop + "/m.csv", atomically: false, encoding: .utf8)
        let kept = open(f.drop + "/m.csv", O_RDWR)
        #expect(kept >= 0)
        defer { close(kept) }
        guard case .claimed(let file) = claim(f) else {
            Issue.record("not claimed")
            return
        }
        #expect(f.entries(f.drop).isEmpty)
        #expect(f.entries(f.processing) == ["c1"])
        // The partner grows its inode to 3 GiB and rewrites it: Vigil's copy does not change.
        #expect(ftruncate(kept, 3 << 30) == 0)
        #expect(pwrite(kept, "XXXX", 4, 0) == 4)
        var info = stat()
        #expect(stat(file.path, &info) == 0)
        #expect(info.st_size == off_t(text.utf8.count))
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(try String(contentsOfFile: file.path, encoding: .utf8) == text)
        var partners = stat()
        #expect(fstat(kept, &partners) == 0)
        #expect(partners.st_ino != info.st_ino)
        #expect(partners.st_nlink == 0)
    }

    /// Grown to 3 GiB between the check and the copy: the copy stops at the limit plus one byte.
    @Test func aFileGrownAfterTheCheckIsRefusedAtTheLimit() throws {
        let f = try Folders()
        defer { f.remove() }
        try text.write(toFile: f.drop + "/m.csv", atomically: false, encoding: .utf8)
        let kept = open(f.drop + "/m.csv", O_RDWR)
        defer { close(kept) }
        let outcome = claim(f, maxBytes: 1 << 20) { _ = ftruncate(kept, 3 << 30) }
        guard case .refused(let refusal) = outcome else {
            Issue.record("not refused: \(outcome)")
            return
        }
        #expect(refusal == .overLimitWhenRead(limit: 1 << 20))
        // Part of it was read, so the receipt does not say "it was not read" (review helper-39).
        #expect(!refusal.leftUnread)
        #expect(
            refusal.statement
                == "it is over the limit of 1048576 bytes: it grew, or said it was smaller, while it was read; nothing read was used"
        )
        #expect(f.entries(f.processing).isEmpty)
        #expect(f.entries(f.refused) == ["c1"])
        #expect(f.entries(f.drop).isEmpty)
    }

    @Test func aFileWrittenDuringTheClaimIsRefusedAsChanged() throws {
        let f = try Folders()
        defer { f.remove() }
        try text.write(toFile: f.drop + "/m.csv", atomically: false, encoding: .utf8)
        let kept = open(f.drop + "/m.csv", O_RDWR | O_APPEND)
        defer { close(kept) }
        let outcome = claim(f) { _ = write(kept, "missing.incidents,2013-05,1\n", 28) }
        guard case .refused(let refusal) = outcome else {
            Issue.record("not refused: \(outcome)")
            return
        }
        #expect(refusal == .changed)
        #expect(f.entries(f.processing).isEmpty)
    }

    /// A FIFO renamed over the name between the check and the claim is never opened.
    @Test func anEntrySwappedInAfterTheCheckIsRefusedAsReplaced() throws {
        let f = try Folders()
        defer { f.remove() }
        try text.write(toFile: f.drop + "/m.csv", atomically: false, encoding: .utf8)
        #expect(mkfifo(f.root + "/fifo", 0o600) == 0)
        let outcome = claim(f) { _ = rename(f.root + "/fifo", f.drop + "/m.csv") }
        guard case .refused(let refusal) = outcome else {
            Issue.record("not refused: \(outcome)")
            return
        }
        #expect(refusal == .replaced)
        #expect(f.entries(f.processing).isEmpty)
        var info = stat()
        #expect(lstat(f.refused + "/c1", &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }

    /// A folder is refused where it is, never moved into Vigil's tree: its owner keeps every right
    /// over it (a descriptor open inside it, a subfolder swapped for a link), so in `state/` it
    /// could be turned against whatever walks it there.
    @Test func aFolderIsRefusedWithoutEnteringState() throws {
        let f = try Folders()
        defer { f.remove() }
        try FileManager.default.createDirectory(atPath: f.drop + "/m.csv/inner", withIntermediateDirectories: true)
        var info = stat()
        #expect(lstat(f.drop + "/m.csv", &info) == 0)
        let outcome = claim(f)
        guard case .refusedInPlace(let refusal, let identity) = outcome else {
            Issue.record("not refused in place: \(outcome)")
            return
        }
        #expect(refusal == .notRegular(kind: "directory"))
        #expect(identity == RefusedEntries.Identity(info))
        #expect(f.entries(f.drop) == ["m.csv"])
        #expect(f.entries(f.refused).isEmpty)
        #expect(f.entries(f.processing).isEmpty)
    }

    /// A folder renamed over the name between the check and the claim is put back in the
    /// partner's folder under a dot-name (never taken), not kept in Vigil's.
    @Test func aFolderSwappedInAfterTheCheckIsPutBack() throws {
        let f = try Folders()
        defer { f.remove() }
        try text.write(toFile: f.drop + "/m.csv", atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: f.root + "/swap/inner", withIntermediateDirectories: true)
        let outcome = claim(f) {
            // A folder cannot be renamed over a file: the partner unlinks the file first.
            _ = unlink(f.drop + "/m.csv")
            _ = rename(f.root + "/swap", f.drop + "/m.csv")
        }
        guard case .refused(let refusal) = outcome else {
            Issue.record("not refused: \(outcome)")
            return
        }
        #expect(refusal == .replaced)
        #expect(f.entries(f.processing).isEmpty)
        #expect(f.entries(f.refused).isEmpty)
        #expect(f.entries(f.drop) == [".vigil-refused-c1"])
        #expect(f.entries(f.drop + "/.vigil-refused-c1") == ["inner"])
    }

    /// The partner swaps a folder in and, once it is in the processing folder, makes it unwritable
    /// to the service (`fchmod` on a descriptor it kept), so it cannot be renamed to another folder
    /// (its `..` would change). It is set apart under a dot-name, never resumed as a claim, and
    /// returned when it can be (at each start). Before, it stayed as `<claim>.orig` and every start
    /// tried to claim it again.
    @Test func aFolderThatCannotGoBackIsSetApartAndReturnedLater() throws {
        let f = try Folders()
        defer { f.remove() }
        try text.write(toFile: f.drop + "/m.csv", atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: f.root + "/swap/inner", withIntermediateDirectories: true)
        var intake = SafeIntake(processing: f.processing, maxBytes: 1 << 20)
        intake.renameBack = { _, _, _, _ in false }
        let outcome = intake.claim(folder: f.drop, partner: "police", name: "m.csv", claimId: "c1", refusedFolder: f.refused) {
            _ = unlink(f.drop + "/m.csv")
            _ = rename(f.root + "/swap", f.drop + "/m.csv")
        }
        guard case .refused(.replaced) = outcome else {
            Issue.record("not refused as replaced: \(outcome)")
            return
        }
        #expect(f.entries(f.processing) == [".returning.police.c1"])
        #expect(f.entries(f.drop).isEmpty)
        intake.renameBack = SafeIntake.putBack
        let left = intake.returnSetApart(dropFolder: { partner in partner == "police" ? f.drop : nil })
        #expect(left == [])
        #expect(f.entries(f.processing).isEmpty)
        #expect(f.entries(f.drop) == [".vigil-refused-c1"])
        #expect(f.entries(f.drop + "/.vigil-refused-c1") == ["inner"])
    }

    /// The same, with the dot-name taken beforehand by a non-empty folder (claim ids can be
    /// guessed): the folder still goes back, under a name with a random suffix.
    @Test func aFolderSwappedInGoesBackEvenWhenItsNameIsTaken() throws {
        let f = try Folders()
        defer { f.remove() }
        try text.write(toFile: f.drop + "/m.csv", atomically: false, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: f.drop + "/.vigil-refused-c1/taken", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: f.root + "/swap/inner", withIntermediateDirectories: true)
        let outcome = claim(f) {
            _ = unlink(f.drop + "/m.csv")
            _ = rename(f.root + "/swap", f.drop + "/m.csv")
        }
        guard case .refused(.replaced) = outcome else {
            Issue.record("not refused as replaced: \(outcome)")
            return
        }
        #expect(f.entries(f.processing).isEmpty)
        #expect(f.entries(f.refused).isEmpty)
        let back = f.entries(f.drop).filter { $0.hasPrefix(".vigil-refused-c1-") }
        #expect(back.count == 1)
        #expect(back.first.map { f.entries(f.drop + "/" + $0) } == ["inner"])
    }

    /// When the refused entry cannot be moved aside (here the refused folder cannot be made), it
    /// is refused in place, with its identity, so the caller can tell it once.
    @Test func anEntryThatCannotBeMovedAsideIsRefusedInPlace() throws {
        let f = try Folders()
        defer { f.remove() }
        #expect(mkfifo(f.drop + "/m.csv", 0o600) == 0)
        try "not a folder".write(toFile: f.root + "/blocked", atomically: false, encoding: .utf8)
        let outcome = SafeIntake(processing: f.processing, maxBytes: 1 << 20).claim(
            folder: f.drop, partner: "police", name: "m.csv", claimId: "c1", refusedFolder: f.root + "/blocked/day",
            record: {})
        guard case .refusedInPlace(let refusal, _) = outcome else {
            Issue.record("not refused in place: \(outcome)")
            return
        }
        #expect(refusal == .notRegular(kind: "FIFO"))
        #expect(f.entries(f.drop) == ["m.csv"])
    }

    /// A crash after the entry left the drop folder and before the copy was made: the copy is
    /// made again from the moved entry, which must pass the same checks.
    @Test func aClaimInterruptedBeforeItsCopyIsResumed() throws {
        let f = try Folders()
        defer { f.remove() }
        try text.write(toFile: f.processing + "/c1.orig", atomically: false, encoding: .utf8)
        try "partial".write(toFile: f.processing + "/c1.part", atomically: false, encoding: .utf8)
        let outcome = SafeIntake(processing: f.processing, maxBytes: 1 << 20).resumeCopy(
            claimId: "c1", partner: "police", name: "m.csv", folder: f.drop, refusedFolder: f.refused)
        guard case .claimed(let file) = outcome else {
            Issue.record("not claimed: \(outcome)")
            return
        }
        #expect(f.entries(f.processing) == ["c1"])
        #expect(try String(contentsOfFile: file.path, encoding: .utf8) == text)
    }

    /// Over the limit at the first look: moved aside unread (not a byte copied).
    @Test func anOversizedFileIsRefusedUnread() throws {
        let f = try Folders()
        defer { f.remove() }
        try text.write(toFile: f.drop + "/m.csv", atomically: false, encoding: .utf8)
        let outcome = claim(f, maxBytes: 10)
        guard case .refused(let refusal) = outcome else {
            Issue.record("not refused: \(outcome)")
            return
        }
        #expect(refusal == .oversized(size: text.utf8.count, limit: 10))
        #expect(refusal.leftUnread)
        #expect(f.entries(f.processing).isEmpty)
        #expect(f.entries(f.refused) == ["c1"])
    }

    /// 64 MiB long with one block written: refused unread, so a partner's quota (which counts
    /// blocks) bounds the disk its drops make Vigil use. Nothing is copied.
    @Test func aSparseFileIsRefusedUnread() throws {
        let f = try Folders()
        defer { f.remove() }
        try text.write(toFile: f.drop + "/m.csv", atomically: false, encoding: .utf8)
        #expect(truncate(f.drop + "/m.csv", 64 << 20) == 0)
        let outcome = claim(f, maxBytes: 1 << 30)
        guard case .refused(let refusal) = outcome else {
            Issue.record("not refused: \(outcome)")
            return
        }
        #expect(refusal == .sparse)
        #expect(
            refusal.description == "it is a sparse file (it has holes); write the file out in full and drop it again")
        #expect(refusal.leftUnread)
        #expect(f.entries(f.processing).isEmpty)
        #expect(f.entries(f.refused) == ["c1"])
    }
}
