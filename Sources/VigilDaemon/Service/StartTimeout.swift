/// How long vigild asks systemd to wait while it reads the store's copies before READY=1.
///
/// The unit's `TimeoutStartSec=` (90 s by default) covers an ordinary start. Reading the copies
/// takes about 1.5 s per 100,000 values and records on a 2-core machine with the store in the page
/// cache, and several times that from a cold disk; with every partner at its value quota (seven
/// partners × 250,000) a cold start could pass 90 s, and a start killed midway is started again,
/// forever. So a start that will read much asks for more time first (`EXTEND_TIMEOUT_USEC=`),
/// sized to the store, and an ordinary one asks for nothing.
public struct StartTimeout: Sendable {
    /// Microseconds allowed per value or record read (100: about seven times the warm rate).
    public var microsecondsPerRow: UInt64
    /// Below this estimate (µs), the unit's own start timeout is ample and nothing is asked; it
    /// is also added to the estimate as a margin.
    public var threshold: UInt64

    /// A policy.
    public init(microsecondsPerRow: UInt64 = 100, threshold: UInt64 = 30_000_000) {
        self.microsecondsPerRow = microsecondsPerRow
        self.threshold = threshold
    }

    /// The extension, in microseconds, for reading `values` current values and `records` alert
    /// records; nil when the unit's own timeout is ample.
    public func microseconds(values: Int, records: Int) -> UInt64? {
        let rows = UInt64(max(0, values)) + UInt64(max(0, records))
        let (estimate, overflow) = rows.multipliedReportingOverflow(by: microsecondsPerRow)
        if overflow { return UInt64.max / 2 }
        guard estimate > threshold else { return nil }
        return estimate + threshold
    }
}
