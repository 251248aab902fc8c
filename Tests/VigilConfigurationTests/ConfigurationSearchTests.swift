import Testing
import VigilConfiguration

/// Where the command line looks for `vigil.yaml`: `--config`, `VIGIL_CONFIG`, a checkout, `/etc/vigil`.
@Suite struct ConfigurationSearchTests {
    @Test func theGivenPathWinsOverEverything() {
        let path = ConfigurationSearch.path(
            given: "/srv/board/vigil.yaml", environment: ["VIGIL_CONFIG": "/elsewhere.yaml"], exists: { _ in true })
        #expect(path == "/srv/board/vigil.yaml")
    }

    @Test func theEnvironmentComesNext() {
        let path = ConfigurationSearch.path(given: nil, environment: ["VIGIL_CONFIG": "/opt/b.yaml"], exists: { _ in true })
        #expect(path == "/opt/b.yaml")
    }

    @Test func aCheckoutUsesItsOwnConfiguration() {
        let path = ConfigurationSearch.path(given: nil, environment: [:], exists: { $0 == "config/vigil.yaml" })
        #expect(path == "config/vigil.yaml")
    }

    @Test func anInstalledSystemUsesEtcVigil() {
        #expect(ConfigurationSearch.path(given: nil, environment: [:], exists: { _ in false }) == "/etc/vigil/vigil.yaml")
        // An empty variable is no choice.
        #expect(
            ConfigurationSearch.path(given: nil, environment: ["VIGIL_CONFIG": ""], exists: { _ in false })
                == "/etc/vigil/vigil.yaml")
    }

    @Test func theVersionNamesTheReleaseAndCommit() {
        #expect(VigilVersion.description.hasPrefix(VigilVersion.release + " (commit "))
        #expect(!VigilVersion.commit.isEmpty)
    }
}
