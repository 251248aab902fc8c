import Foundation
import VigilStore

extension OutboxEffect {
    /// Effects this process encoded into outbox rows and has not performed yet, by payload.
    ///
    /// An effect is performed just after the transaction that queued it commits, by the same
    /// process: decoding the row it has just encoded (Foundation's `JSONDecoder`, half of
    /// performing a typical month's effects) gives back the same effect, which the tests check
    /// for every kind on awkward numbers and text. A row this process did not encode (queued
    /// before a restart, or by `vigil`) is decoded from its payload as before, so recovery still
    /// reads the outbox itself. Bounded: past `limit` entries (effects queued and never performed,
    /// e.g. while the alerts folder is unwritable) it starts afresh.
    final class Recent: @unchecked Sendable {
        private let lock = NSLock()
        private var byPayload: [String: OutboxEffect] = [:]
        static let limit = 4096

        func remember(_ payload: String, _ effect: OutboxEffect) {
            lock.lock()
            defer { lock.unlock() }
            if byPayload.count >= Recent.limit { byPayload.removeAll(keepingCapacity: true) }
            byPayload[payload] = effect
        }

        func take(_ payload: String) -> OutboxEffect? {
            lock.lock()
            defer { lock.unlock() }
            return byPayload.removeValue(forKey: payload)
        }
    }

    /// The process's effects not yet performed.
    static let recent = Recent()
}
