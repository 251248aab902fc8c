/// Seams the intake offers to whoever embeds it: today, a fault injected before a claimed file is
/// ingested (tests prove with it that a file that crashes or stalls processing ends after
/// `DaemonRuntime.maxAttempts` attempts). The default does nothing.
public struct IntakePolicy: Sendable {
    /// Called with (partner, file name) after the attempt was counted and before the file is
    /// parsed; a thrown error fails the attempt as a crash in the parser would.
    public var beforeIngest: @Sendable (String, String) throws -> Void

    /// Creates a policy.
    public init(beforeIngest: @escaping @Sendable (String, String) throws -> Void = { _, _ in }) {
        self.beforeIngest = beforeIngest
    }
}
