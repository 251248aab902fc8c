import CVigilBuild
import VigilCore

/// The release and the commit the binaries were built from, for `--version`.
public enum VigilVersion {
    /// The release (semantic version).
    public static var release: String { VigilCoreVersion.string }

    /// The git commit (`make` and the package build pass it; "unknown" in a plain `swift build`).
    public static var commit: String { String(cString: vigil_build_commit()) }

    /// What `--version` prints: `0.2.0 (commit 1a2b3c4)`.
    public static var description: String { "\(release) (commit \(commit))" }
}
