/// The fixed journal `MESSAGE_ID` of each kind of event vigild logs.
///
/// Explained for `journalctl -x` by `systemd/vigil.catalog`; never change an id once shipped.
public enum MessageID: String, Sendable, CaseIterable {
    /// An alert started firing.
    case alertFiring = "e639e97e71b3413b8e252059f6088c49"
    /// An alert resolved.
    case alertResolved = "4e7eb51010eb4aee8a452b435154a677"
    /// An alert was retracted after revised data.
    case alertRetracted = "668fcc3410894d19b731bd95e829ca62"
    /// A partner's file was accepted.
    case fileAccepted = "9fb4dda767c043b18bca1d85148f2eea"
    /// A partner's file was rejected.
    case fileRejected = "2eadc4e582dd4ac5b51c6ccd30c1c2b8"
    /// A feed is overdue.
    case feedOverdue = "36562742fe334964b0f593b56aef1074"
    /// A digest was written.
    case digestWritten = "c620487c837a4fd09851f101b450f03a"
    /// The configuration was reloaded.
    case configReloaded = "a42f5929ef7f4eceb80fa8e2a7faa7bf"
    /// A new configuration was rejected; the old one stays in force.
    case configRejected = "4c90b7451bb04aec8b3a1c3c40829df7"
}
