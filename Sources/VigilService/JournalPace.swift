import Foundation

/// How many journal entries vigild sends in a window, kept below journald's rate limit.
///
/// journald drops a unit's messages past its rate limit (`LogRateLimitBurst=` per
/// `LogRateLimitIntervalSec=`; 10,000 per 30 s by default) and the sender is not told:
/// `sd_journal_sendv` still succeeds. One file can cause thousands of alert events (a partner
/// alternating a value for years of days), so without a pace the entries past the limit, other
/// partners' among them, were lost from the journal. Entries past the budget stay in the outbox
/// and go out in the next window. A value type: the caller passes the time.
public struct JournalPace: Sendable, Equatable {
    /// Entries sent per window: half of what the unit allows journald to take from vigild
    /// (`LogRateLimitBurst=20000` per 30 s in `vigild.service`), leaving the rest for its log lines.
    public var budget: Int
    /// The window, in seconds.
    public var interval: Double
    /// When the current window began, and how many entries it has sent.
    private(set) var windowStart: Double = -.infinity
    private(set) var sent = 0

    /// vigild's pace: 10,000 entries per 30 s.
    public init(budget: Int = 10_000, interval: Double = 30) {
        self.budget = budget
        self.interval = interval
    }

    /// Takes one entry's place at `now` (seconds); false when the window's budget is spent.
    public mutating func take(at now: Double) -> Bool {
        if now >= windowStart + interval || now < windowStart {
            windowStart = now
            sent = 0
        }
        guard sent < budget else { return false }
        sent += 1
        return true
    }

    /// When entries can be sent again, if the budget is spent; nil if not.
    public func resumes(after now: Double) -> Double? {
        sent >= budget && now < windowStart + interval ? windowStart + interval : nil
    }
}
