/// What Vigil last said about an alert episode.
public struct AlertRecord: Hashable, Sendable, Codable {
    /// The alert's state.
    public enum State: String, Hashable, Sendable, Codable {
        /// Firing now.
        case firing
        /// Resolved.
        case resolved
        /// Withdrawn: revised or late data, or a changed rule, no longer supports it.
        case retracted
    }

    /// Rule id.
    public var rule: String
    /// Indicator id.
    public var indicator: String
    /// Breakdown key (`category=physical`), empty for totals.
    public var breakdown: String
    /// Episode start period.
    public var start: String
    /// Current state.
    public var state: State
    /// The event that made it fire (its evidence stays the headline after it resolves).
    public var firingEvent: AlertEvent
    /// The latest event about it.
    public var lastEvent: AlertEvent
    /// The latest period with evidence while firing (updated without an event as new periods arrive).
    public var latestPeriod: String
    /// How many times the episode fired again after a retraction or resolution (keeps ids unique).
    public var generation: Int?
    /// The current evidence while firing (updated without an event when values are revised).
    public var current: AlertEvent?

    /// The record as the store keeps it: JSON that `JSONDecoder` reads back as this record,
    /// written directly rather than through `JSONEncoder` (which was a quarter of the store's
    /// evaluation time for a typical monthly file).
    public var storedJSON: String {
        var w = JSONWriter(exactNumbers: true)
        w.string("breakdown", breakdown)
        if let current { w.raw("current", current.exactJSON) }
        w.raw("firingEvent", firingEvent.exactJSON)
        if let generation { w.raw("generation", String(generation)) }
        w.string("indicator", indicator)
        w.raw("lastEvent", lastEvent.exactJSON)
        w.string("latestPeriod", latestPeriod)
        w.string("rule", rule)
        w.string("start", start)
        w.string("state", state.rawValue)
        return w.finish()
    }

    /// The episode key.
    public var key: AlertKey? {
        guard let period = Period(parsing: start) else { return nil }
        return AlertKey(rule: rule, series: SeriesKey(indicator: indicator, breakdown: Breakdown(key: breakdown)), start: period)
    }
}

/// The alert lifecycle as a value-type state machine.
///
/// `reconcile` compares a fresh evaluation with what was said before and returns the transitions
/// (events) to announce; the caller performs the effects (store, journal, files). Rules:
/// a new episode fires once; a firing episode whose condition clears resolves; an episode that
/// revised data no longer supports is retracted (an overdue alert whose value arrives resolves).
public struct AlertStateMachine: Sendable {
    /// Every alert ever announced, by episode.
    public private(set) var records: [AlertKey: AlertRecord]
    /// The keys whose records `reconcile` may have changed (every other record is as it was), so
    /// that a caller writes back only these. A resolved episode that stays resolved is not among
    /// them: the cost of a file follows what changed, not the alert history.
    public private(set) var touched: Set<AlertKey> = []
    /// The records of the `touched` keys as they were before this machine first changed them
    /// (none for a new episode): what a caller compares with to write back only real changes,
    /// without keeping a second copy of every record.
    public private(set) var originals: [AlertKey: AlertRecord] = [:]

    /// Starts from the records a store kept (or none).
    public init(records: [AlertRecord] = []) {
        var map: [AlertKey: AlertRecord] = [:]
        for record in records { if let key = record.key { map[key] = record } }
        self.records = map
    }

    /// A machine over records already keyed (a store's copy), without rebuilding the map.
    public init(keyed records: [AlertKey: AlertRecord]) { self.records = records }

    /// The episodes of `evaluation` this machine holds no record of: new ones, or ones whose
    /// records a caller keeps elsewhere (a store keeps retracted records out of memory), to
    /// `recall` before `reconcile`.
    public func unknownKeys(of evaluation: Evaluation) -> [AlertKey] {
        evaluation.episodes.lazy.map(\.key).filter { records[$0] == nil }
    }

    /// The keys `recall` added (a caller releases those `reconcile` left untouched, to keep them
    /// where they were kept).
    public private(set) var recalled: Set<AlertKey> = []

    /// Adds records kept elsewhere, for keys this machine holds none of (a retracted episode
    /// that comes back must fire as a new generation, with a new id; an archived one that
    /// resolves again must stay as it was).
    public mutating func recall(_ kept: [AlertRecord]) {
        for record in kept {
            if let key = record.key, records[key] == nil {
                records[key] = record
                recalled.insert(key)
            }
        }
    }

    /// Stops holding these records (a caller has stored them where it keeps them).
    public mutating func release(_ keys: some Sequence<AlertKey>) {
        for key in keys { records.removeValue(forKey: key) }
    }

    /// Drops the retracted records `reconcile` made or recalled (a caller has stored them): what
    /// a partner's revisions retract then costs no memory. Only touched keys can be retracted
    /// here, and a retracted record is never changed again unless its episode comes back.
    public mutating func forgetRetracted() {
        for key in touched where records[key]?.state == .retracted { records.removeValue(forKey: key) }
    }

    /// Alerts currently firing, oldest first.
    public var firing: [AlertRecord] {
        records.values.filter { $0.state == .firing }.sorted {
            ($0.lastEvent.priority, $0.start, $0.rule) < ($1.lastEvent.priority, $1.start, $1.rule)
        }
    }

    /// Applies an evaluation and returns the events to announce, in period order.
    public mutating func reconcile(_ evaluation: Evaluation, rules: [Rule], catalogue: Catalogue) -> [AlertEvent] {
        let factory = AlertEventFactory(
            evaluation: evaluation, rules: Dictionary(rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }),
            catalogue: catalogue)
        var events: [AlertEvent] = []
        var current = Set<AlertKey>()
        current.reserveCapacity(evaluation.episodes.count)
        // An episode that resolved and still resolves changes nothing: most episodes of a long
        // history. Only the others are put in order (keys order by their text: made once per
        // episode, not twice per comparison).
        var changing: [(text: String, key: AlertKey, episode: Episode)] = []
        for episode in evaluation.episodes {
            let key = episode.key
            current.insert(key)
            if records[key]?.state == .resolved && episode.resolvingFinding != nil { continue }
            changing.append((key.description, key, episode))
        }
        let ordered = changing.sorted { a, b in (a.episode.fired, a.text) < (b.episode.fired, b.text) }
        for (_, key, episode) in ordered {
            let previous = records[key]
            if touched.insert(key).inserted, let previous { originals[key] = previous }
            switch previous?.state {
            case nil, .retracted:
                // A new episode, or one reinstated by revised data: a new generation keeps ids unique.
                let generation = previous.map { ($0.generation ?? 0) + 1 } ?? 0
                let fired = factory.event(.firing, episode: episode, finding: episode.firingFinding, generation: generation)
                events.append(fired)
                // The current evidence is the episode's latest finding (it may have escalated since it fired).
                let current =
                    episode.latest.period == episode.firingFinding.period
                    ? fired : factory.event(.firing, episode: episode, finding: episode.latest, generation: generation)
                records[key] = AlertRecord(
                    rule: key.rule, indicator: key.series.indicator, breakdown: key.series.breakdown.key, start: "\(key.start)",
                    state: .firing, firingEvent: fired, lastEvent: fired, latestPeriod: "\(episode.latest.period)",
                    generation: generation, current: current)
                if let resolved = episode.resolvingFinding { resolve(key, episode, resolved, factory, &events) }
            case .firing:
                records[key]?.latestPeriod = "\(episode.latest.period)"
                records[key]?.current = factory.event(
                    .firing, episode: episode, finding: episode.latest, generation: previous?.generation ?? 0)
                if let resolved = episode.resolvingFinding { resolve(key, episode, resolved, factory, &events) }
            case .resolved:
                if episode.resolvingFinding == nil {
                    // Revised data removed the clearing value: the same episode is firing again.
                    let generation = (previous?.generation ?? 0) + 1
                    let event = factory.event(.firing, episode: episode, finding: episode.latest, generation: generation)
                    events.append(event)
                    records[key]?.state = .firing
                    records[key]?.generation = generation
                    records[key]?.lastEvent = event
                    records[key]?.current = event
                    records[key]?.latestPeriod = "\(episode.latest.period)"
                }
            }
        }
        // Only these rules' records that an absent episode changes, in key order: a retracted
        // record stays retracted, and an overdue alert that resolved stays resolved. Most records
        // of a long history are resolved overdue alerts: the cheap tests come first, by index,
        // reading only the state (copying each record would cost more than the test).
        var stale: [AlertKey] = []
        for index in records.indices {
            let state = records.values[index].state
            let key = records.keys[index]
            guard state != .retracted, let rule = factory.rules[key.rule] else { continue }
            if case .overdue = rule.kind, state != .firing { continue }
            guard !current.contains(key) else { continue }
            // An episode left out past the limit stays as it was, unless it would fire for ever:
            // a firing one is resolved (or, gone from the data, retracted).
            if state != .firing, let omitted = evaluation.omitted[key.rule]?[key.series], key.start < omitted.before { continue }
            stale.append(key)
        }
        let covering = stale.isEmpty ? [:] : coveringStarts(evaluation, stale)
        for key in latestOfEachSeries(stale).sortedByText() {
            guard let record = records[key] else { continue }
            if touched.insert(key).inserted { originals[key] = record }
            let event: AlertEvent
            let rule = factory.rules[key.rule]!
            if case .overdue = rule.kind {
                event = factory.overdueResolved(record: record, key: key)
                records[key]?.state = .resolved
            } else if record.state == .firing, let episode = evaluation.omittedEpisode(key, rule: rule),
                let finding = episode.resolvingFinding
            {
                // Left out behind later episodes, but the data shows it resolved: say so.
                resolve(key, episode, finding, factory, &events)
                continue
            } else {
                event = factory.retracted(record: record, key: key, supersededBy: covering[key])
                records[key]?.state = .retracted
            }
            events.append(event)
            records[key]?.lastEvent = event
        }
        return events
    }

    /// Of the stale keys, those an evaluation changes: every firing one, and of the others at
    /// most the latest `Engine.episodeLimit` of each rule and series, as for announcements (a
    /// revision that removed a long history's episodes retracted 122,856 in one file: review
    /// helper-19). A store holds no more than these (`AlertArchive`).
    func latestOfEachSeries(_ stale: [AlertKey]) -> [AlertKey] {
        let beyond = AlertArchive.beyondLatest(stale.filter { records[$0]?.state != .firing })
        return beyond.isEmpty ? stale : stale.filter { !beyond.contains($0) }
    }

    /// For each stale key, the start of an episode of the same rule and series that began
    /// earlier and had not cleared by the key's start: what the stale episode became part of.
    func coveringStarts(_ evaluation: Evaluation, _ stale: [AlertKey]) -> [AlertKey: Period] {
        var wanted: [String: [SeriesKey: [AlertKey]]] = [:]
        for key in stale { wanted[key.rule, default: [:]][key.series, default: []].append(key) }
        var found: [AlertKey: Period] = [:]
        for episode in evaluation.episodes {
            guard let keys = wanted[episode.rule]?[episode.series] else { continue }
            for key in keys where episode.start < key.start && (episode.resolved.map { $0 > key.start } ?? true) {
                found[key] = episode.start
            }
        }
        return found
    }

    private mutating func resolve(
        _ key: AlertKey, _ episode: Episode, _ finding: Finding, _ factory: AlertEventFactory, _ events: inout [AlertEvent]
    ) {
        let event = factory.event(.resolved, episode: episode, finding: finding, generation: records[key]?.generation ?? 0)
        events.append(event)
        records[key]?.state = .resolved
        records[key]?.lastEvent = event
    }
}
