import VigilCore

/// What a digest needs of an alert record to decide whether to show it: where the episode sits
/// and its two events' ids, periods and kinds, without the events themselves. The store reads
/// these with SQL (`Store.forEachAlertRecordSummary`), so choosing among years of a partner's
/// episodes decodes only the records shown.
public struct AlertRecordSummary: Sendable, Hashable {
    /// The store's key (`AlertKey.description`).
    public var key: String
    /// Rule id.
    public var rule: String
    /// Indicator id.
    public var indicator: String
    /// Breakdown key, empty for totals.
    public var breakdown: String
    /// Episode start period.
    public var start: String
    /// Current state.
    public var state: AlertRecord.State
    /// The firing event's id.
    public var firingID: String
    /// The firing event's period.
    public var firingPeriod: String
    /// The rule's kind (`overdue`, `spike`, ...), as the firing event says.
    public var firingKind: String
    /// The firing event's board priority.
    public var priority: Int
    /// The latest event's id.
    public var lastID: String
    /// The latest event's period.
    public var lastPeriod: String
    /// The latest event's kind.
    public var lastEvent: AlertEvent.Kind
    /// The firing event's position in the event log (`alert_events.seq`), if it is there.
    public var firingEventSeq: Int64?
    /// The latest event's position in the event log, if it is there.
    public var lastEventSeq: Int64?

    /// Creates one.
    public init(
        key: String, rule: String, indicator: String, breakdown: String, start: String, state: AlertRecord.State,
        firingID: String, firingPeriod: String, firingKind: String, priority: Int, lastID: String, lastPeriod: String,
        lastEvent: AlertEvent.Kind, firingEventSeq: Int64?, lastEventSeq: Int64?
    ) {
        self.key = key
        self.rule = rule
        self.indicator = indicator
        self.breakdown = breakdown
        self.start = start
        self.state = state
        self.firingID = firingID
        self.firingPeriod = firingPeriod
        self.firingKind = firingKind
        self.priority = priority
        self.lastID = lastID
        self.lastPeriod = lastPeriod
        self.lastEvent = lastEvent
        self.firingEventSeq = firingEventSeq
        self.lastEventSeq = lastEventSeq
    }

    /// A record's summary (its key as the store writes it), its events' positions in the event
    /// log taken from `eventSeqs` (by event id).
    public init(_ record: AlertRecord, eventSeqs: [String: Int64] = [:]) {
        self.init(
            key: record.key?.description ?? "\(record.rule)/\(record.indicator){\(record.breakdown)}@\(record.start)",
            rule: record.rule, indicator: record.indicator, breakdown: record.breakdown, start: record.start,
            state: record.state, firingID: record.firingEvent.id, firingPeriod: record.firingEvent.period,
            firingKind: record.firingEvent.kind, priority: record.firingEvent.priority, lastID: record.lastEvent.id,
            lastPeriod: record.lastEvent.period, lastEvent: record.lastEvent.event,
            firingEventSeq: eventSeqs[record.firingEvent.id], lastEventSeq: eventSeqs[record.lastEvent.id])
    }
}
