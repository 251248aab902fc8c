import VigilCore
import VigilStore

/// The alert episodes a digest shows, chosen from records' summaries offered one at a time (pure): each
/// record's status in the window and, of each alert (rule and series, within a priority), the live episodes first,
/// then the latest closed ones, `Digest.episodesShown` in all, the first shown counting the rest.
///
/// What it holds follows what the digest shows, not the store's history: a partner alternating a
/// value across a rule's level for years leaves one alert with thousands of episodes, and a
/// digest that read every record (and every event) into memory took 17.9 s and 1.8 GB on a store
/// of 124,801 records. The caller decodes only the records of the chosen episodes.
public struct EpisodeSelection: Sendable {
    /// One chosen episode.
    public struct Entry: Sendable {
        /// The alert record's summary.
        public var summary: AlertRecordSummary
        /// Where it sits in the window.
        public var status: Digest.Status
        /// How many earlier episodes of the same alert it counts (on the first shown only).
        public var earlier: Int
        /// The order it was offered in (the digest keeps the store's key order).
        var order: Int
    }

    /// The window the statuses are for.
    public let window: DigestWindow
    /// Each alert's shown entries (ranked: live first, then the latest start) and its count.
    private var groups: [String: (shown: [Entry], count: Int)] = [:]
    /// Every firing record's summary, whatever the window (the overdue counts and feeds' lateness).
    public private(set) var firing: [AlertRecordSummary] = []
    /// The rules that have any record.
    public private(set) var rules: Set<String> = []
    private var offered = 0

    /// Creates an empty selection for a window.
    public init(window: DigestWindow) { self.window = window }

    /// Chooses from records in one go (what `consider` does one at a time), their events'
    /// positions in the event log taken from `eventSeqs` (by event id).
    public init(window: DigestWindow, records: some Sequence<AlertRecord>, eventSeqs: [String: Int64]) {
        self.init(window: window)
        for record in records { consider(AlertRecordSummary(record, eventSeqs: eventSeqs)) }
    }

    /// Offers a record: kept when the window concerns it and it is among its alert's shown
    /// episodes so far; counted either way.
    public mutating func consider(_ record: AlertRecordSummary) {
        defer { offered += 1 }
        rules.insert(record.rule)
        if record.state == .firing { firing.append(record) }
        guard let status = Digest.status(of: record, window: window) else { return }
        let entry = Entry(summary: record, status: status, earlier: 0, order: offered)
        // Within a priority, as the digest's sections are (a rule's priority may have changed:
        // its older episodes keep theirs; review helper-20).
        let group = "\(record.priority)\u{0}\(record.rule)\u{0}\(record.indicator)\u{0}\(record.breakdown)"
        var (shown, count) = groups[group] ?? ([], 0)
        count += 1
        let at = shown.firstIndex { Self.ranksBefore(entry, $0) } ?? shown.endIndex
        if at < Digest.episodesShown {
            shown.insert(entry, at: at)
            if shown.count > Digest.episodesShown { shown.removeLast() }
        }
        groups[group] = (shown, count)
    }

    /// The chosen episodes in the order offered; the first shown of each alert counts the
    /// episodes left out.
    public var chosen: [Entry] {
        var all: [Entry] = []
        for (_, group) in groups {
            for (i, var entry) in group.shown.enumerated() {
                if i == 0 { entry.earlier = max(0, group.count - Digest.episodesShown) }
                all.append(entry)
            }
        }
        return all.sorted { $0.order < $1.order }
    }

    /// Live before closed, then the later start; among equals, the one offered first.
    static func ranksBefore(_ a: Entry, _ b: Entry) -> Bool {
        let live = { (e: Entry) in e.summary.state == .firing ? 0 : 1 }
        if live(a) != live(b) { return live(a) < live(b) }
        if a.summary.start != b.summary.start { return a.summary.start > b.summary.start }
        return a.order < b.order
    }
}
