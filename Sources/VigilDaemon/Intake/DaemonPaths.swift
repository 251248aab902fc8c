import CSystemd
import Foundation
import VigilConfiguration
import VigilCore
import VigilService
import VigilStore
import VigilSystemd

/// Where vigild keeps everything, resolved from the configuration.
public struct DaemonPaths: Sendable, Equatable {
    /// Drop tree root: one folder per partner.
    public var drop: String
    /// Receipts root: one folder per partner.
    public var receipts: String
    /// Alert files folder.
    public var alerts: String
    /// State folder: the store, processing, archive and rejected folders.
    public var state: String

    /// Resolves the configured paths.
    public init(_ loaded: LoadedConfiguration) {
        drop = loaded.resolve(loaded.config.dropPath)
        receipts = loaded.resolve(loaded.config.receiptsPath)
        alerts = loaded.resolve(loaded.config.alertsPath)
        state = loaded.resolve(loaded.config.statePath)
    }

    /// Paths given directly.
    public init(drop: String, receipts: String, alerts: String, state: String) {
        self.drop = drop
        self.receipts = receipts
        self.alerts = alerts
        self.state = state
    }

    /// The SQLite store.
    public var store: String { state + "/vigil.sqlite" }
    /// Claimed files being processed.
    public var processing: String { state + "/processing" }
    /// Processed files, by partner and date.
    public var archive: String { state + "/archive" }
    /// Record-level extracts processed, by partner and date (kept `retention.record_files` days).
    public var recordArchive: String { state + "/archive-records" }
    /// Rejected and refused files, by partner and date.
    public var rejected: String { state + "/rejected" }

    /// A partner's drop folder.
    public func drop(_ partner: String) -> String { drop + "/" + partner }

    /// Creates every folder vigild writes to (the drop tree's own folders are normally made by
    /// systemd-tmpfiles with the partners' groups; this covers a checkout run without root).
    public func create(partners: [String]) throws {
        let fm = FileManager.default
        for folder in [state, alerts, drop, receipts] {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        // The copies of partners' files are the service's alone, whatever group the state folder
        // gives (vigil-readers may read the store, never the files).
        // One made otherwise (by hand, or before it was checked) is made private if the service
        // owns it; `problems` refuses one it cannot.
        for folder in [processing, archive, recordArchive, rejected] {
            try fm.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            var info = stat()
            if lstat(folder, &info) == 0, vigil_s_isdir(info.st_mode) != 0, info.st_uid == geteuid(),
                info.st_mode & 0o077 != 0
            {
                _ = chmod(folder, 0o700)
            }
        }
        for partner in partners {
            try fm.createDirectory(atPath: drop(partner), withIntermediateDirectories: true)
            try fm.createDirectory(atPath: receipts + "/" + partner, withIntermediateDirectories: true)
        }
    }

    /// The partners whose drop folder no partner group can write: a warning, not a refusal (a
    /// checkout's folders are the developer's). Review helper-33: IT's partner group was never
    /// created, vigild made the folder `0750 vigil:vigil` itself, and the partner's drops failed
    /// with nothing logged. Each names the folder, its mode and group, and what to check.
    public func closedDropFolders(partners: [String], serviceGroup: gid_t = getegid()) -> [String] {
        partners.compactMap { partner in
            var info = stat()
            let folder = drop(partner)
            guard lstat(folder, &info) == 0 else { return nil }
            let mode = info.st_mode & 0o7777
            guard mode & 0o020 == 0 || info.st_gid == serviceGroup else { return nil }
            let group = getgrgid(info.st_gid).map { String(cString: $0.pointee.gr_name) } ?? "\(info.st_gid)"
            return
                "\(folder): partner \(partner) cannot drop files: the folder is mode \(String(mode, radix: 8)), group \(group), not writable by a partner group (vigil.tmpfiles makes it 3730 vigil vigil-\(partner); check that the group exists: getent group vigil-\(partner))"
        }
    }

    /// What is wrong with the tree for a service that trusts no partner: every problem found,
    /// each naming the path, what it is and what it must be. Checked at start (and reload).
    ///
    /// - drop, receipts, state and alerts are four separate folders, none inside another;
    /// - the state folders and alert files' folder are the service's and writable by it alone;
    /// - the folders of copies of partners' files (processing, archives, rejected) are open to
    ///   no one else (`0700`);
    /// - each partner's receipts folder is the service's and not writable by the partner;
    /// - each partner's drop folder is a real folder (not a link) owned by the service, so it
    ///   can take files out of it even when the folder is sticky.
    public func problems(partners: [String], owner: uid_t = geteuid()) -> [String] {
        var problems: [String] = []
        let roots = [("drop", drop), ("receipts", receipts), ("state", state), ("alerts", alerts)]
        for (i, a) in roots.enumerated() {
            for b in roots[(i + 1)...] {
                let x = DaemonPaths.normalised(a.1)
                let y = DaemonPaths.normalised(b.1)
                if x == y || x.hasPrefix(y + "/") || y.hasPrefix(x + "/") {
                    problems.append(
                        "\(a.1): the \(a.0) folder and the \(b.0) folder (\(b.1)) overlap; they must be separate folders")
                }
            }
        }
        func check(_ path: String, what: String, groupWritable: Bool = false, isPrivate: Bool = false) {
            var info = stat()
            guard lstat(path, &info) == 0 else {
                problems.append("\(path): the \(what) does not exist")
                return
            }
            if vigil_s_isdir(info.st_mode) == 0 {
                problems.append("\(path): the \(what) is not a folder (links are not followed)")
                return
            }
            if info.st_uid != owner {
                problems.append(
                    "\(path): the \(what) is owned by uid \(info.st_uid); it must be owned by the service's user (uid \(owner))")
            }
            let mode = info.st_mode & 0o7777
            if isPrivate && mode & 0o077 != 0 {
                problems.append(
                    "\(path): the \(what) is open to \(mode & 0o007 != 0 ? "everyone" : "its group") (mode \(String(mode, radix: 8))); it holds copies of partners' files and must be 700"
                )
            } else if mode & 0o002 != 0 || (!groupWritable && mode & 0o020 != 0) {
                problems.append(
                    "\(path): the \(what) is writable by \(mode & 0o002 != 0 ? "everyone" : "its group") (mode \(String(mode, radix: 8))); see vigil.tmpfiles for its mode"
                )
            }
        }
        check(state, what: "state folder")
        // The copies of partners' files: the state folder's group (vigil-readers) reads the
        // store, never these (`create` makes them 700; one made otherwise is refused).
        for (folder, what) in [
            (processing, "processing folder"), (archive, "archive"), (recordArchive, "record-level archive"),
            (rejected, "rejected folder"),
        ] {
            check(folder, what: what, isPrivate: true)
        }
        check(alerts, what: "alerts folder")
        for partner in partners {
            check(receipts + "/" + partner, what: "receipts folder of \(partner)")
            check(drop(partner), what: "drop folder of \(partner)", groupWritable: true)
        }
        return problems
    }

    static func normalised(_ path: String) -> String {
        var p = (path as NSString).standardizingPath
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }
}
