import Foundation
import Testing

@testable import VigilDaemon
@testable import VigilService
@testable import VigilSystemd

/// The start-up check of the drop tree: every problem, each with its path and what it must be.
@Suite struct DaemonPathsTests {
    @Test func aSoundTreeHasNoProblems() throws {
        let root = NSTemporaryDirectory() + "vigil-paths-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let paths = DaemonPaths(
            drop: root + "/drop", receipts: root + "/receipts", alerts: root + "/alerts", state: root + "/state")
        try paths.create(partners: ["police"])
        #expect(chmod(root + "/drop/police", 0o3730) == 0)
        #expect(paths.problems(partners: ["police"]) == [])
    }

    @Test func everyProblemIsNamed() throws {
        let root = NSTemporaryDirectory() + "vigil-paths-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Receipts inside the drop tree; a receipts folder the partner can write; a drop folder
        // that is a link; a processing folder someone else owns; an archive open to its group.
        let paths = DaemonPaths(
            drop: root + "/drop", receipts: root + "/drop/receipts", alerts: root + "/alerts", state: root + "/state")
        try paths.create(partners: ["health"])
        #expect(chmod(root + "/drop/receipts/health", 0o2770) == 0)
        try FileManager.default.createDirectory(atPath: root + "/elsewhere", withIntermediateDirectories: true)
        try FileManager.default.removeItem(atPath: root + "/drop/health")
        try FileManager.default.createSymbolicLink(atPath: root + "/drop/health", withDestinationPath: root + "/elsewhere")
        let owner = geteuid()
        #expect(chown(root + "/state/processing", owner + 4321, getegid()) == 0)
        // An archive its group may read: under the state folder's group (vigil-readers) it
        // would show partners' files, extracts with child references among them (helper-21).
        #expect(chmod(root + "/state/archive-records", 0o750) == 0)
        #expect(
            paths.problems(partners: ["health"]) == [
                "\(root)/drop: the drop folder and the receipts folder (\(root)/drop/receipts) overlap; they must be separate folders",
                "\(root)/state/processing: the processing folder is owned by uid \(owner + 4321); it must be owned by the service's user (uid \(owner))",
                "\(root)/state/archive-records: the record-level archive is open to its group (mode 750); it holds copies of partners' files and must be 700",
                "\(root)/drop/receipts/health: the receipts folder of health is writable by its group (mode 2770); see vigil.tmpfiles for its mode",
                "\(root)/drop/health: the drop folder of health is not a folder (links are not followed)",
            ])
    }

    /// Review helper-33: IT's partner group was never created, vigild made the drop folder
    /// itself, and the partner's drops failed with nothing logged. A drop folder no partner group
    /// can write is a warning at start and reload (not a refusal: a checkout's are the developer's).
    @Test func aDropFolderNoPartnerGroupCanWriteIsNamed() throws {
        let root = NSTemporaryDirectory() + "vigil-paths-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        let paths = DaemonPaths(
            drop: root + "/drop", receipts: root + "/receipts", alerts: root + "/alerts", state: root + "/state")
        try paths.create(partners: ["police", "health", "education"])
        // police: as vigil.tmpfiles makes it (a partner group, 3730); health: group-writable but
        // the service's own group; education: as vigild makes it, 0750.
        #expect(chown(root + "/drop/police", geteuid(), 4242) == 0 && chmod(root + "/drop/police", 0o3730) == 0)
        #expect(chmod(root + "/drop/health", 0o3730) == 0)
        #expect(chmod(root + "/drop/education", 0o750) == 0)
        let own = getgrgid(getegid()).map { String(cString: $0.pointee.gr_name) } ?? ""
        #expect(
            paths.closedDropFolders(partners: ["police", "health", "education"]) == [
                "\(root)/drop/health: partner health cannot drop files: the folder is mode 3730, group \(own), not writable by a partner group (vigil.tmpfiles makes it 3730 vigil vigil-health; check that the group exists: getent group vigil-health)",
                "\(root)/drop/education: partner education cannot drop files: the folder is mode 750, group \(own), not writable by a partner group (vigil.tmpfiles makes it 3730 vigil vigil-education; check that the group exists: getent group vigil-education)",
            ])
        #expect(paths.problems(partners: ["police", "health", "education"]) == [])
    }

}
