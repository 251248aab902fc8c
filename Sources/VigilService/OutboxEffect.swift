import Foundation
import VigilCore
import VigilStore

/// An effect to perform once its transaction has committed, typed and serialised once (JSON)
/// into the outbox. `Effect` names its kind, which is also its lane (`EffectRunner.lanes`).
public enum OutboxEffect: Codable, Sendable, Equatable {
    /// Append an alert event's line (the alert-file contract, `docs/alerts.md`) to `alerts.jsonl`.
    case alertLine(id: String, line: String)
    /// Send an alert event to the journal, credited to `partner` when it is that partner's own.
    case alertJournal(event: AlertEvent, partner: String?)
    /// Send a file's accepted, duplicate or rejected entry to the journal.
    case fileJournal(FileNotice)
    /// Write a file's receipt into its partner's receipts folder.
    case receipt(FileNotice)
    /// Rewrite `firing.json`.
    case firing

    /// Its kind (and lane).
    public var kind: Effect {
        switch self {
        case .alertLine: return .alertFile
        case .alertJournal: return .alertJournal
        case .fileJournal: return .fileJournal
        case .receipt: return .receipt
        case .firing: return .firing
        }
    }

    /// The outbox row (remembered until performed: see `Recent`).
    public var item: OutboxItem {
        // Never an empty payload: one empty row was taken for another (`recent` is keyed by
        // payload) and could never be read back. An effect that cannot be encoded (none can, with
        // non-finite numbers spelled out) gets a row `EffectRunner` logs and passes over.
        guard let data = try? OutboxEffect.encoder.encode(self) else {
            return OutboxItem(kind: kind.rawValue, payload: "{}")
        }
        let payload = String(decoding: data, as: UTF8.self)
        OutboxEffect.recent.remember(payload, self)
        return OutboxItem(kind: kind.rawValue, payload: payload)
    }

    /// How non-finite numbers (an alert's value or expectation) are spelled in a payload, which
    /// JSON has no number for.
    static let nonFinite = (positive: "Infinity", negative: "-Infinity", nan: "NaN")

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: nonFinite.positive, negativeInfinity: nonFinite.negative, nan: nonFinite.nan)
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: nonFinite.positive, negativeInfinity: nonFinite.negative, nan: nonFinite.nan)
        return decoder
    }

    /// The effect an outbox row holds: the one this process encoded into it, if it has not been
    /// taken yet, or else `decodeStored`.
    public static func decode(_ item: OutboxItem) throws -> OutboxEffect {
        if let effect = recent.take(item.payload) { return effect }
        return try decodeStored(item)
    }

    /// The effect an outbox row holds, read from its payload; rows written by versions before
    /// typed effects are read in their own formats, so an upgrade loses no pending effect.
    public static func decodeStored(_ item: OutboxItem) throws -> OutboxEffect {
        let data = Data(item.payload.utf8)
        if let effect = try? OutboxEffect.decoder.decode(OutboxEffect.self, from: data) { return effect }
        switch Effect(rawValue: item.kind) {
        case .alertFile:
            // The line itself, as an event line begins (`{"id":"…`); anything else is no line.
            guard item.payload.hasPrefix(#"{"id":""#) else {
                throw VigilError(code: .store, message: "an alert-file row holds no alert line")
            }
            return .alertLine(id: String(item.payload.dropFirst(7).prefix(while: { $0 != "\"" })), line: item.payload)
        case .alertJournal:
            struct Legacy: Decodable {
                var partner: String?
                var event: AlertEvent
            }
            let legacy = try JSONDecoder().decode(Legacy.self, from: data)
            return .alertJournal(event: legacy.event, partner: legacy.partner)
        case .fileJournal: return .fileJournal(try JSONDecoder().decode(FileNotice.self, from: data))
        case .receipt: return .receipt(try JSONDecoder().decode(FileNotice.self, from: data))
        case .firing: return .firing
        case nil:
            throw VigilError(code: .store, message: "unknown outbox effect '\(UntrustedText.line(item.kind))'")
        }
    }
}

/// What the journal and the partner's receipt say about one file.
public struct FileNotice: Codable, Sendable, Equatable {
    /// The supplying partner.
    public var partner: String
    /// The file's name as dropped (any bytes; escaped wherever shown).
    public var name: String
    /// Its SHA-256 ("" when refused unread).
    public var sha256: String
    /// The outcome.
    public var status: IngestOutcome.Status
    /// Data rows read.
    public var rows: Int
    /// Errors found.
    public var errors: Int
    /// The receipt for people.
    public var text: String
    /// The receipt as one JSON object.
    public var json: String
    /// True when `name` is already escaped text (a name that is not UTF-8, shown with `\xNN`);
    /// absent otherwise (and in rows queued before it existed).
    public var nameIsEscaped: Bool?
    /// How the journal and the service's log name the file (`FileNameVocabulary.label`): the
    /// name only when every word in it is the catalogue's vocabulary; absent in rows queued before
    /// it existed (those are sent as they were).
    public var journalName: String?
    /// The receipt text as the journal carries it, with the file named by `journalName`.
    public var journalText: String?

    /// Creates a notice.
    public init(
        partner: String, name: String, sha256: String, status: IngestOutcome.Status, rows: Int, errors: Int, text: String,
        json: String
    ) {
        self.partner = partner
        self.name = name
        self.sha256 = sha256
        self.status = status
        self.rows = rows
        self.errors = errors
        self.text = text
        self.json = json
    }
}
