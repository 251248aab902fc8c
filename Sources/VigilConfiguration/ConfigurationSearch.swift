/// Where the command line finds `vigil.yaml` when `--config` is not given: `VIGIL_CONFIG`, then
/// `config/vigil.yaml` when run in a checkout, then the installed `/etc/vigil/vigil.yaml`.
public enum ConfigurationSearch {
    /// The installed configuration (the Debian package's conffile).
    public static let installed = "/etc/vigil/vigil.yaml"
    /// The configuration of a checkout, relative to the current folder.
    public static let checkout = "config/vigil.yaml"
    /// The environment variable that names a configuration.
    public static let variable = "VIGIL_CONFIG"

    /// The configuration to load. Pure: the environment and the file test are passed in.
    public static func path(given: String?, environment: [String: String], exists: (String) -> Bool) -> String {
        if let given, !given.isEmpty { return given }
        if let named = environment[variable], !named.isEmpty { return named }
        if exists(checkout) { return checkout }
        return installed
    }
}
