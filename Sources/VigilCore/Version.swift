/// Vigil's version.
public enum VigilCoreVersion {
    /// The semantic version.
    public static let string = "0.1.0"
}
