import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where the command line finds `vigil.yaml` when `--config` is not given: `VIGIL_CONFIG`, then
/// `config/vigil.yaml` when run in a checkout the caller can trust, then the installed
/// `/etc/vigil/vigil.yaml`.
///
/// A checkout's configuration is whatever the current folder holds: root running `vigil digest`
/// in a folder a partner could write once read the partner's `config/vigil.yaml`, and wrote the
/// board's digest where the partner reads (review helper-21). So it is used only when the current
/// folder and everything under `config` belong to the caller or to root, and no one else, group
/// included, may write them (`verdict`).
public enum ConfigurationSearch {
    /// The installed configuration (the Debian package's conffile).
    public static let installed = "/etc/vigil/vigil.yaml"
    /// The configuration of a checkout, relative to the current folder.
    public static let checkout = "config/vigil.yaml"
    /// The environment variable that names a configuration.
    public static let variable = "VIGIL_CONFIG"

    /// What the current folder's `config/vigil.yaml` is to the caller.
    public enum Checkout: Equatable, Sendable {
        /// There is none.
        case absent
        /// It may be used.
        case usable
        /// It is there but others could have written it: why.
        case ignored(String)
    }

    /// The configuration to load. Pure: the environment and the file test are passed in
    /// (`usable` says whether a path may be read as the configuration).
    public static func path(given: String?, environment: [String: String], usable: (String) -> Bool) -> String {
        if let given, !given.isEmpty { return given }
        if let named = environment[variable], !named.isEmpty { return named }
        if usable(checkout) { return checkout }
        return installed
    }

    /// Whether the current folder's `config/vigil.yaml` may be used by a caller of `euid`:
    /// the current folder and everything under `config/` (what the configuration names: the
    /// catalogue, rules, record feeds) must be the caller's or root's, no link, and writable by
    /// no one else, group included (review helper-22: a shared sticky folder let another user
    /// make the folders the configuration's relative paths write to, and a group of all users
    /// is no one's own). `lstat` reads an entry without following links (nil when there is
    /// none); `list` names a folder's entries.
    public static func verdict(
        euid: uid_t, lstat: (String) -> stat?, list: (String) -> [String]?, limit: Int = 20_000
    ) -> Checkout {
        guard lstat(checkout) != nil else { return .absent }
        let typeMask: mode_t = 0o170000
        let link: mode_t = 0o120000
        let folder: mode_t = 0o040000
        var queue = [".", "config"]
        var seen = 0
        while let path = queue.popLast() {
            seen += 1
            if seen > limit { return .ignored("config holds more than \(limit) entries") }
            guard let info = lstat(path) else { return .ignored("\(path) changed while it was checked") }
            let type = info.st_mode & typeMask
            if type == link { return .ignored("\(path) is a link") }
            if info.st_uid != euid && info.st_uid != 0 { return .ignored("\(path) is owned by uid \(info.st_uid)") }
            let mode = info.st_mode & 0o7777
            let mode8 = String(mode, radix: 8)
            if mode & 0o002 != 0 { return .ignored("\(path) may be written by others (mode \(mode8))") }
            if mode & 0o020 != 0 { return .ignored("\(path) may be written by group \(info.st_gid) (mode \(mode8))") }
            if type == folder && path != "." {
                guard let names = list(path) else { return .ignored("\(path) cannot be read") }
                queue += names.sorted(by: >).map { path + "/" + $0 }
            }
        }
        return .usable
    }

    /// `verdict` for this process, on the file system.
    public static func verdict() -> Checkout {
        verdict(
            euid: geteuid(),
            lstat: { path in
                var info = stat()
                return Glibc.lstat(path, &info) == 0 ? info : nil
            },
            list: { try? FileManager.default.contentsOfDirectory(atPath: $0) })
    }
}
