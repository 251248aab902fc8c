import Foundation
import VigilCore
import VigilStore

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

    /// The SQLite store.
    public var store: String { state + "/vigil.sqlite" }
    /// Claimed files being processed.
    public var processing: String { state + "/processing" }
    /// Processed files, by partner and date.
    public var archive: String { state + "/archive" }
    /// Rejected and refused files, by partner and date.
    public var rejected: String { state + "/rejected" }

    /// A partner's drop folder.
    public func drop(_ partner: String) -> String { drop + "/" + partner }

    /// Creates every folder vigild writes to (the drop tree's own folders are normally made by
    /// systemd-tmpfiles with the partners' groups; this covers a checkout run without root).
    public func create(partners: [String]) throws {
        let fm = FileManager.default
        for folder in [state, processing, archive, rejected, alerts, drop, receipts] {
            try fm.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        for partner in partners {
            try fm.createDirectory(atPath: drop(partner), withIntermediateDirectories: true)
            try fm.createDirectory(atPath: receipts + "/" + partner, withIntermediateDirectories: true)
        }
    }
}
