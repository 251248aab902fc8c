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
    /// the partner's folder (review helper-21). A checkout's configuration is used only when it,
    /// its folder and the current folder are the caller's (or root's) and no one else may write them.
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
            ConfigurationSearch.verdict(euid: 1000, egid: 1000) { entries[$0] }
        }
        let mine = [
            ".": info(uid: 1000, mode: folder | 0o755), "config": info(uid: 1000, mode: folder | 0o755),
            "config/vigil.yaml": info(uid: 1000, mode: file | 0o644),
        ]
        #expect(verdict(mine) == .usable)
        #expect(verdict(mine.filter { $0.key != "config/vigil.yaml" }) == .absent)
        // Root's files, and the caller's own group writing (a user private group), are fine.
        var fine = mine
        fine["config"] = info(uid: 0, mode: folder | 0o755)
        fine["config/vigil.yaml"] = info(uid: 1000, gid: 1000, mode: file | 0o664)
        #expect(verdict(fine) == .usable)
        // A sticky shared folder (/tmp) cannot have the caller's config folder swapped.
        var sticky = mine
        sticky["."] = info(uid: 0, mode: folder | 0o1777)
        #expect(verdict(sticky) == .usable)
        var planted = sticky
        planted["config"] = info(uid: 4321, mode: folder | 0o755)
        #expect(verdict(planted) == .ignored("config is owned by uid 4321"))
        var writable = mine
        writable["config/vigil.yaml"] = info(uid: 1000, mode: file | 0o666)
        #expect(verdict(writable) == .ignored("config/vigil.yaml may be written by others (mode 666)"))
        var group = mine
        group["."] = info(uid: 1000, gid: 50, mode: folder | 0o775)
        #expect(verdict(group) == .ignored(". may be written by group 50 (mode 775)"))
        var link = mine
        link["config/vigil.yaml"] = info(uid: 1000, mode: 0o120000 | 0o777)
        #expect(verdict(link) == .ignored("config/vigil.yaml is a link"))
        // Ignored, the search goes on to the installed configuration.
        #expect(
            ConfigurationSearch.path(given: nil, environment: [:], usable: { _ in false })
                == "/etc/vigil/vigil.yaml")
    }

    @Test func theVersionNamesTheReleaseAndCommit() {
        #expect(VigilVersion.description.hasPrefix(VigilVersion.release + " (commit "))
        #expect(!VigilVersion.commit.isEmpty)
    }
}
