/// The main configuration file (`vigil.yaml`): where the catalogue, rules and data live.
///
/// Paths are relative to the configuration file's folder. Layout: `docs/configuration.md`.
public struct VigilConfig: Hashable, Sendable {
    /// The catalogue file.
    public var catalogue: String
    /// Rule file patterns (`*` matches within a file name).
    public var rules: [String]
    /// Rule unit-test file patterns.
    public var tests: [String]
    /// Record-level extract definitions (file patterns).
    public var records: [String]
    /// Folder for the SQLite store.
    public var statePath: String
    /// Drop tree root (one folder per partner).
    public var dropPath: String
    /// Receipts root (one folder per partner).
    public var receiptsPath: String
    /// Alert files folder (`alerts.jsonl`, `firing.json`).
    public var alertsPath: String
    /// Digest folder.
    public var digestsPath: String
    /// Partners whose drop folders are watched (default: every catalogue partner).
    public var partners: [String]
    /// Largest file accepted, in bytes.
    public var maxFileBytes: Int
    /// Most values a partner may have stored (current values of the indicators it may supply):
    /// the bound on the store, and so on vigild's copy of it in memory.
    public var maxValuesPerPartner: Int = VigilConfig.defaultMaxValuesPerPartner
    /// `max_values_per_partner` when not set: far above a board's returns (66 indicators with
    /// their breakdowns over ten years are about 160,000 values in all), and seven partners at
    /// the limit hold about 1.75 million values (some 400 MB in vigild), inside `MemoryMax=1G`.
    public static let defaultMaxValuesPerPartner = 250_000
    /// Days record-level extracts (archived, rejected or refused) and anything rejected or
    /// refused from a partner that sends them are kept before the service deletes them.
    public var recordFilesRetentionDays: Int = 30
    /// The board's name, e.g. "Peterborough Safeguarding Children Board": the digests' title.
    public var board: String?
    /// Digest delivery (`digest:`): recipients, SMTP server, sender.
    public var digest = DigestDelivery()

    /// Parses `vigil.yaml` text; errors go to `diagnostics`.
    public static func parse(yaml text: String, file: String, diagnostics: Diagnostics) -> VigilConfig? {
        let keys: Set<String> = [
            "catalogue", "rules", "tests", "records", "paths", "partners", "max_file_bytes", "max_values_per_partner",
            "retention",
            "board", "digest",
        ]
        guard let root = YAMLNode.parse(text, file: file, diagnostics: diagnostics),
            let f = YAMLFields(root, "the Vigil configuration", allowed: keys)
        else { return nil }
        var config = VigilConfig(
            catalogue: f.required("catalogue", in: "the Vigil configuration")?.string("catalogue path") ?? "catalogue.yaml",
            rules: f["rules"]?.strings("rule file patterns") ?? ["rules.d/*.yaml"],
            tests: f["tests"]?.strings("test file patterns") ?? [],
            records: f["records"]?.strings("record feed file patterns") ?? [],
            statePath: "var/state", dropPath: "var/drop", receiptsPath: "var/receipts", alertsPath: "var/alerts",
            digestsPath: "var/digests",
            partners: f["partners"]?.strings("partner ids") ?? [],
            maxFileBytes: f["max_file_bytes"]?.int("max_file_bytes") ?? 1 << 30)
        if let paths = f["paths"],
            let p = YAMLFields(paths, "paths", allowed: ["state", "drop", "receipts", "alerts", "digests"])
        {
            config.statePath = p["state"]?.string("state path") ?? config.statePath
            config.dropPath = p["drop"]?.string("drop path") ?? config.dropPath
            config.receiptsPath = p["receipts"]?.string("receipts path") ?? config.receiptsPath
            config.alertsPath = p["alerts"]?.string("alerts path") ?? config.alertsPath
            config.digestsPath = p["digests"]?.string("digests path") ?? config.digestsPath
        }
        if let board = f["board"] {
            if let name = board.string("board name"), name.contains(where: { !$0.isWhitespace }) {
                config.board = name
            } else {
                board.error("board must be the board's name, e.g. 'Peterborough Safeguarding Children Board'")
            }
        }
        if let digest = f["digest"], let delivery = DigestDelivery.parse(digest) { config.digest = delivery }
        if config.maxFileBytes < 1 { f["max_file_bytes"]?.error("max_file_bytes must be positive") }
        if let node = f["max_values_per_partner"], let limit = node.int("max_values_per_partner") {
            if limit < 1 { node.error("max_values_per_partner must be positive") } else { config.maxValuesPerPartner = limit }
        }
        if let retention = f["retention"], let r = YAMLFields(retention, "retention", allowed: ["record_files"]) {
            if let days = r["record_files"]?.int("record_files (days)") {
                if days < 1 || days > 3660 {
                    r["record_files"]?.error("record_files must be a number of days from 1 to 3660")
                } else {
                    config.recordFilesRetentionDays = days
                }
            }
        }
        return config
    }
}
