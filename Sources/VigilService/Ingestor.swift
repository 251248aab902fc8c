import VigilConfiguration
import VigilCore
import VigilStore

/// The one way a parsed file enters the store, for `vigild` and `vigil evaluate` alike.
///
/// One transaction stores the file (or records its rejection or duplication), re-evaluates every
/// rule, records the alert transitions and queues every effect in the outbox: the partner's
/// receipt and journal entry, and for each alert event its alert-file line and journal entry.
/// The caller performs the effects afterwards (`EffectRunner`), so a crash at any instant loses
/// nothing and repeats nothing, whoever ingested the file.
public struct Ingestor: Sendable {
    /// The store files go into.
    public let store: Store
    /// The engine that evaluates the rules.
    public let engine: Engine

    /// The most values a partner may have stored (`max_values_per_partner`; nil: no bound).
    public let valueLimit: Int?

    /// The words a file name may hold to be shown in the journal.
    public let vocabulary: FileNameVocabulary

    /// Creates an ingestor (`vocabulary`: the engine catalogue's, unless given).
    public init(store: Store, engine: Engine, valueLimit: Int?, vocabulary: FileNameVocabulary? = nil) {
        self.store = store
        self.engine = engine
        self.valueLimit = valueLimit
        self.vocabulary = vocabulary ?? FileNameVocabulary(catalogue: engine.catalogue)
    }

    /// Where a file came from and what it should cause besides its values.
    public struct Source: Sendable {
        /// The supplying partner (nil: not known, permissions were not checked).
        public var partner: String?
        /// The file's name as given (any bytes; escaped wherever it is shown).
        public var name: String
        /// How it is shown in receipts and errors (`partner/name`, escaped).
        public var label: String
        /// Whether to queue a receipt for the partner (the service does; the command line prints).
        public var receipt: Bool
        /// Whether to queue effects at all (not for a private or ephemeral store).
        public var effects: Bool

        /// Creates a source.
        public init(partner: String?, name: String, label: String, receipt: Bool, effects: Bool = true) {
            self.partner = partner
            self.name = name
            self.label = label
            self.receipt = receipt
            self.effects = effects
        }
    }

    /// Ingests a parsed file in one transaction with its effects and, when given, its claim.
    public func ingest(_ feed: ParsedFeed, from source: Source, receivedAt: String, date: CivilDate, claim: Claim? = nil)
        throws -> IngestOutcome
    {
        // What is published of a record-level extract is its keyed identity, from here on.
        let feed = Ingestor.published(feed, key: try store.fileKey())
        return try store.ingest(
            feed, receivedAt: receivedAt, engine: engine, date: date,
            effects: { outcome in source.effects ? effects(of: outcome, feed: feed, from: source) : [] }, claim: claim,
            valueLimit: valueLimit)
    }

    /// The effects of a file's outcome. A partner is told, and credited with, only the alerts on
    /// what its file supplied, what is derived from it or what is tested with it; other alerts the same re-evaluation
    /// raised (another partner's overdue feed, a rule changed by IT) go to the alert files and
    /// journal without its name. All are counted as caused by its file (the journal's pace).
    func effects(of outcome: IngestOutcome, feed: ParsedFeed, from source: Source) -> [OutboxItem] {
        guard let partner = source.partner else { return Effect.forEvents(outcome.events) }
        // What the file supplied, what derives from it, and what is tested with it (a percentage
        // judged against chance with the cohort it is of: review helper-40).
        // An event's indicator is its rule's, so the rules the file can affect say it all.
        let own = Set(engine.rules(affectedBy: feed.indicators).map(\.indicator))
        var told = outcome
        told.events = outcome.events.filter { own.contains($0.indicator) }
        let others = Effect.causedBy(partner, Effect.forEvents(outcome.events.filter { !own.contains($0.indicator) }))
        guard source.receipt else { return Effect.forEvents(told.events, partner: partner) + others }
        return Effect.forFile(
            partner: partner, name: source.name, receipt: Receipt(feed: feed, outcome: told, displayName: source.label),
            events: told.events,
            journalName: vocabulary.shown(source.name, sha256: feed.sha256)) + others
    }
}
