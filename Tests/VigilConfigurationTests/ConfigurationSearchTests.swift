import Foundation
import Testing
import VigilConfiguration

/// Where the command line looks for `vigil.yaml`: `--config`, `VIGIL_CONFIG`, a checkout, `/etc/vigil`.
@Suite struct ConfigurationSearchTests {
    @Test func theGivenPathWinsOverEverything() {
        let path = ConfigurationSearch.path(
            given: "/srv/board/vigil.yaml", environment: ["VIGIL_CONFIG": "/elsewhere.yaml"], usable: { _ in true })
        #expect(path == "/srv/board/vigil.yaml")
    }

    @Test func theEnvironmentComesNext() {
        let path = ConfigurationSearch.path(given: nil, environment: ["VIGIL_CONFIG": "/opt/b.yaml"], usable: { _ in true })
        #expect(path == "/opt/b.yaml")
    }

    @Test func aCheckoutUsesItsOwnConfiguration() {
        let path = ConfigurationSearch.path(given: nil, environment: [:], usable: { $0 == "config/vigil.yaml" })
        #expect(path == "config/vigil.yaml")
    }

    @Test func anInstalledSystemUsesEtcVigil() {
        #expect(ConfigurationSearch.path(given: nil, environment: [:], usable: { _ in false }) == "/etc/vigil/vigil.yaml")
        // An empty variable is no choice.
        #expect(
            ConfigurationSearch.path(given: nil, environment: ["VIGIL_CONFIG": ""], usable: { _ in false })
                == "/etc/vigil/vigil.yaml")
    }

    /// `./config/vigil.yaml` is whatever the current folder holds: root running `vigil digest` in
    /// a folder a partner could write read the partner's file, which sent the board's digest to
    /// the partner's folder (review helper-21). A checkout's configuration is used only when the
    /// current folder and everything under `config` are the caller's (or root's), no link, and
    /// no one else, group included, may write them (review helper-22: a shared sticky folder, a
    /// rules folder others could write, a group of all users).
    @Test func aCheckoutOthersCouldWriteIsNotUsed() {
        func info(uid: uid_t, gid: gid_t = 0, mode: mode_t) -> stat {
            var s = stat()
            s.st_uid = uid
            s.st_gid = gid
            s.st_mode = mode
            return s
        }
        let folder: mode_t = 0o040000
        let file: mode_t = 0o100000
        func verdict(_ entries: [String: stat]) -> ConfigurationSearch.Checkout {
            ConfigurationSearch.verdict(
                euid: 1000, lstat: { entries[$0] },
                list: { path in
                    entries.keys.filter { $0.hasPrefix(path + "/") && !$0.dropFirst(path.count + 1).contains("/") }.map {
                        String($0.dropFirst(path.count + 1))
                    }
                })
        }
        let mine = [
            ".": info(uid: 1000, mode: folder | 0o755), "config": info(uid: 1000, mode: folder | 0o755),
            "config/vigil.yaml": info(uid: 1000, mode: file | 0o644),
            "config/rules.d": info(uid: 1000, mode: folder | 0o755),
            "config/rules.d/a.yaml": info(uid: 0, mode: file | 0o644),
        ]
        #expect(verdict(mine) == .usable)
        #expect(verdict(mine.filter { $0.key != "config/vigil.yaml" }) == .absent)
        // One entry changed from `mine`, and why the checkout is then passed over.
        let cases: [(path: String, entry: stat, why: String)] = [
            ("config", info(uid: 4321, mode: folder | 0o755), "config is owned by uid 4321"),
            ("config/vigil.yaml", info(uid: 1000, mode: file | 0o666), "config/vigil.yaml may be written by others (mode 666)"),
            ("config/rules.d", info(uid: 1000, mode: folder | 0o777), "config/rules.d may be written by others (mode 777)"),
            ("config/rules.d/zz.yaml", info(uid: 1001, mode: file | 0o644), "config/rules.d/zz.yaml is owned by uid 1001"),
            (".", info(uid: 1000, gid: 100, mode: folder | 0o775), ". may be written by group 100 (mode 775)"),
            (".", info(uid: 0, mode: folder | 0o1777), ". may be written by others (mode 1777)"),
            ("config/catalogue.yaml", info(uid: 1000, mode: 0o120000 | 0o777), "config/catalogue.yaml is a link"),
        ]
        for (path, entry, why) in cases {
            var changed = mine
            changed[path] = entry
            #expect(verdict(changed) == .ignored(why))
        }
        #expect(
            ConfigurationSearch.verdict(
                euid: 1000, lstat: { _ in info(uid: 1000, mode: folder | 0o755) }, list: { _ in ["x"] }, limit: 3)
                == .ignored("config holds more than 3 entries"))
        // Ignored, the search does not take it (the command line then stops and says why).
        #expect(ConfigurationSearch.path(given: nil, environment: [:], usable: { _ in false }) == "/etc/vigil/vigil.yaml")
    }

    @Test func theVersionNamesTheReleaseAndCommit() {
        #expect(VigilVersion.description.hasPrefix(VigilVersion.release + " (commit "))
        #expect(!VigilVersion.commit.isEmpty)
    }
}
