import Testing
import VigilCore

/// `vigil.yaml`: defaults, the retention setting, and every error with its position.
struct VigilConfigTests {
    @Test func retentionDefaultsToThirtyDaysAndIsRead() throws {
        let plain = VigilConfig.parse(yaml: "catalogue: c.yaml\n", file: "v.yaml", diagnostics: Diagnostics())
        #expect(plain?.recordFilesRetentionDays == 30)
        let set = VigilConfig.parse(
            yaml: "catalogue: c.yaml\nretention: {record_files: 7}\n", file: "v.yaml", diagnostics: Diagnostics())
        #expect(set?.recordFilesRetentionDays == 7)
    }

    @Test func everyErrorIsReportedWithItsPosition() {
        let diagnostics = Diagnostics()
        _ = VigilConfig.parse(
            yaml: "catalogue: c.yaml\nmax_file_bytes: 0\nretention: {record_files: 0, archive: 3}\nmax_values_per_partner: -1\n",
            file: "v.yaml", diagnostics: diagnostics)
        #expect(
            diagnostics.errors.map(\.description).sorted() == [
                "v.yaml:2:17: error[config.invalid]: max_file_bytes must be positive",
                "v.yaml:3:27: error[config.invalid]: record_files must be a number of days from 1 to 3660",
                "v.yaml:3:30: error[config.invalid]: unknown key 'archive' in retention; expected one of: record_files",
                "v.yaml:4:25: error[config.invalid]: max_values_per_partner must be positive",
            ])
    }

    /// A partner's stored values are bounded by default (vigild keeps a copy of them in memory).
    @Test func valuesPerPartnerAreBoundedByDefault() {
        let plain = VigilConfig.parse(yaml: "catalogue: c.yaml\n", file: "v.yaml", diagnostics: Diagnostics())
        #expect(plain?.maxValuesPerPartner == 250_000)
        let set = VigilConfig.parse(
            yaml: "catalogue: c.yaml\nmax_values_per_partner: 40\n", file: "v.yaml", diagnostics: Diagnostics())
        #expect(set?.maxValuesPerPartner == 40)
    }

    @Test func theBoardsNameTitlesItsDigests() {
        let named = VigilConfig.parse(
            yaml: "catalogue: c.yaml\nboard: Peterborough Safeguarding Children Board\n", file: "v.yaml",
            diagnostics: Diagnostics())
        #expect(named?.board == "Peterborough Safeguarding Children Board")
        #expect(VigilConfig.parse(yaml: "catalogue: c.yaml\n", file: "v.yaml", diagnostics: Diagnostics())?.board == nil)
        let diagnostics = Diagnostics()
        _ = VigilConfig.parse(yaml: "catalogue: c.yaml\nboard: '  '\n", file: "v.yaml", diagnostics: diagnostics)
        #expect(
            diagnostics.errors.map(\.description) == [
                "v.yaml:2:8: error[config.invalid]: board must be the board's name, e.g. 'Peterborough Safeguarding Children Board'"
            ])
    }
}
