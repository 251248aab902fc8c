import CSystemd
import VigilCore

/// sd_notify: readiness, status, reloading, stopping and watchdog pings to systemd.
///
/// Outside systemd (no `NOTIFY_SOCKET`) every call is a harmless no-op. systemd splits a
/// notification on newlines, and a status line carries a partner's file name: `ready(status:)`
/// and `status(_:)` escape their text to one line (`UntrustedText.line`), so no name can add a
/// `WATCHDOG=trigger`, `STOPPING=1` or second `STATUS=` of its own.
public struct Notifier: Sendable {
    private let send: @Sendable (String) -> Void
    private let interval: @Sendable () -> UInt64?

    /// Creates a notifier that speaks to systemd (`NOTIFY_SOCKET`, `WATCHDOG_USEC`).
    public init() {
        send = { _ = sd_notify(0, $0) }
        interval = {
            var usec: UInt64 = 0
            return sd_watchdog_enabled(0, &usec) > 0 ? usec : nil
        }
    }

    /// Creates a notifier that hands each notification to `send` and reports
    /// `watchdogMicroseconds` as the watchdog interval: for embedding vigild's loop, and for tests
    /// that must see which notifications the loop sends and in what order.
    public init(watchdogMicroseconds: UInt64?, send: @escaping @Sendable (String) -> Void) {
        self.send = send
        interval = { watchdogMicroseconds }
    }

    /// Sends a raw notification (e.g. `READY=1\nSTATUS=…`).
    public func notify(_ state: String) { send(state) }

    /// `READY=1` with a status line.
    public func ready(status: String) { notify("READY=1\nSTATUS=\(UntrustedText.line(status))") }

    /// A status line.
    public func status(_ text: String) { notify("STATUS=\(UntrustedText.line(text))") }

    /// `RELOADING=1` with the monotonic timestamp systemd expects.
    public func reloading() { notify("RELOADING=1\nMONOTONIC_USEC=\(vigil_monotonic_usec())") }

    /// `STOPPING=1`.
    public func stopping() { notify("STOPPING=1") }

    /// `WATCHDOG=1`.
    public func watchdog() { notify("WATCHDOG=1") }

    /// The watchdog interval in microseconds, or nil when the watchdog is off.
    public func watchdogInterval() -> UInt64? { interval() }
}
