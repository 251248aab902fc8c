import VigilCore

/// What a partner is told about a file: accepted with what it held (and, once stored, what it
/// changed and which alerts it raised), a duplicate, or rejected with every error.
public struct Receipt: Sendable {
    /// The parsed file.
    public let feed: ParsedFeed
    /// The store's outcome, when the file was ingested (nil for `vigil check`).
    public let outcome: IngestOutcome?
    /// The name to show instead of the parser's file label, if any.
    public let displayName: String?

    /// Creates a receipt.
    public init(feed: ParsedFeed, outcome: IngestOutcome?, displayName: String? = nil) {
        self.feed = feed
        self.outcome = outcome
        self.displayName = displayName
    }

    /// accepted, rejected or duplicate.
    public var outcomeStatus: IngestOutcome.Status {
        if let outcome { return outcome.status }
        return feed.isAccepted ? .accepted : .rejected
    }

    /// The errors that rejected the file: the parser's, or the store's when it refused a file the
    /// parser accepted (`feed.quota`).
    public var errors: [VigilError] {
        if let outcome, outcome.status == .rejected, feed.isAccepted { return outcome.errors }
        return feed.errors
    }

    /// The receipt as text for people.
    public var text: String {
        let name = displayName ?? feed.file
        switch outcomeStatus {
        case .duplicate:
            return
                "DUPLICATE \(name): a file with the same contents (SHA-256 \(feed.sha256)) was already received; it was not ingested again"
        case .rejected:
            return "REJECTED \(name): \(max(feed.errorCount, errors.count)) error(s); nothing from this file was stored\n"
                + errors.map { "  \($0)" }.joined(separator: "\n")
        case .accepted:
            let periods = feed.periods
            let span = periods.count > 1 ? "\(periods.first!)–\(periods.last!)" : periods.first.map { "\($0)" } ?? "none"
            var text =
                "ACCEPTED \(name): \(feed.rows) \(feed.rows == 1 ? "row" : "rows"), \(feed.indicators.count) \(feed.indicators.count == 1 ? "indicator" : "indicators") (\(feed.indicators.joined(separator: ", "))), periods \(span)"
            if let outcome {
                // A file that changed nothing says so first (review helper-34: last month's rows sent
                // again read like an ordinary acceptance).
                let nothingNew = outcome.added == 0 && outcome.revised == 0 ? "nothing new: " : ""
                text +=
                    "\n  \(nothingNew)\(outcome.added) new value(s), \(outcome.revised) revised, \(outcome.unchanged) unchanged"
                for revision in outcome.revisions {
                    // Counts computed from a record-level extract can be a child or two: not shown
                    // (review helper-35: the receipt goes to the journal too).
                    text +=
                        feed.recordFeed == nil
                        ? "\n  REVISED: \(revision.series) \(revision.period): \(revision.from) → \(revision.to)"
                        : "\n  REVISED: \(revision.series) \(revision.period) (counted from the extract; values not shown)"
                }
                if outcome.revised > outcome.revisions.count {
                    text += "\n  … and \(outcome.revised - outcome.revisions.count) more revised value(s)"
                }
                for event in outcome.events {
                    let message =
                        event.message.hasPrefix("Resolved: ") || event.message.hasPrefix("Retracted: ")
                        ? String(event.message.drop { $0 != " " }.dropFirst()) : event.message
                    text += "\n  \(event.event.rawValue.uppercased()): \(message)"
                }
                if outcome.events.isEmpty { text += "\n  no alerts raised, resolved or retracted" }
            }
            return text
        }
    }

    /// The receipt as one JSON object.
    public var jsonLine: String {
        var w = JSONWriter()
        w.string("file", displayName ?? feed.file)
        w.string("status", outcomeStatus.rawValue)
        // None for a file whose published identity is not known here (`vigil check` of an extract).
        w.string("sha256", feed.sha256.isEmpty ? nil : feed.sha256)
        w.string("partner", feed.partner)
        w.number("rows", Double(feed.rows))
        w.strings("indicators", feed.indicators)
        w.strings("periods", feed.periods.map { "\($0)" })
        if let outcome {
            w.number("added", Double(outcome.added))
            w.number("revised", Double(outcome.revised))
            w.number("unchanged", Double(outcome.unchanged))
            w.raw(
                "revisions",
                "["
                    + outcome.revisions.map { revision in
                        var r = JSONWriter()
                        r.string("indicator", revision.series.indicator)
                        r.object("breakdown", revision.series.breakdown.values)
                        r.string("period", "\(revision.period)")
                        for (key, value) in [("from", revision.from), ("to", revision.to)] where feed.recordFeed == nil {
                            if let number = value.number { r.number(key, number) } else { r.string(key, value.description) }
                        }
                        return r.finish()
                    }.joined(separator: ",") + "]")
            w.raw("alerts", "[" + outcome.events.map(\.jsonLine).joined(separator: ",") + "]")
        }
        w.raw(
            "errors",
            "["
                + errors.map { error in
                    var e = JSONWriter()
                    e.string("code", error.code.rawValue)
                    e.string("message", error.message)
                    e.string("file", error.location?.file)
                    e.number("line", error.location?.line.map(Double.init))
                    e.number("column", error.location?.column.map(Double.init))
                    return e.finish()
                }.joined(separator: ",") + "]")
        return w.finish()
    }
}
