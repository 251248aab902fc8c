import VigilCore
import VigilStore

extension Ingestor {
    /// A parsed file as Vigil publishes it: a record-level extract's SHA-256 (in its receipt, the
    /// journal's `VIGIL_FILE_SHA256`, the service's log and its values' sources in alert events)
    /// is replaced by an HMAC-SHA256 of it under the store's key (`Store.fileKey`), per partner
    /// (`Store.publishedIdentity`; review helper-51). A tiny extract's
    /// rows can be guessed, and its plain hash would let any reader of the journal confirm a
    /// guess; the keyed one identifies the file within this installation (a second copy is
    /// still a duplicate) and says nothing to anyone without the store. A rejected file is
    /// published keyed too: it may be an extract the parser did not take as one (no header row, an
    /// extra column, another partner's; review helper-30). Accepted aggregate files, which hold no
    /// child's identifier, keep their SHA-256.
    public static func published(_ feed: ParsedFeed, key: [UInt8]) -> ParsedFeed {
        guard feed.isPublishedKeyed, !feed.sha256.isEmpty else { return feed }
        var keyed = feed
        keyed.sha256 = Store.publishedIdentity(of: feed.sha256, partner: feed.partner, key: key)
        keyed.plainSHA256 = feed.sha256
        let published = keyed.sha256
        // Assigned once (the feed recounts its indicators and periods at each assignment).
        keyed.observations = feed.observations.map { observation in
            var observation = observation
            observation.sources = observation.sources.map { $0 == feed.sha256 ? published : $0 }
            return observation
        }
        return keyed
    }
}
