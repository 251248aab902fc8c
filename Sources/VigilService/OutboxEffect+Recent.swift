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
    /// reads the outbox itself. Bounded: past `limit` entries or `byteLimit` bytes of payload
    /// (effects queued and not performed, e.g. journal entries while journald refuses them, each
    /// a receipt of up to 200 errors) it starts afresh.
    final class Recent: @unchecked Sendable {
        private let lock = NSLock()
        private var byPayload: [String: OutboxEffect] = [:]
        private var bytes = 0
        static let limit = 4096
        static let byteLimit = 8 << 20

        func remember(_ payload: String, _ effect: OutboxEffect) {
            let size = payload.utf8.count
            lock.lock()
            defer { lock.unlock() }
            if byPayload.count >= Recent.limit || bytes + size > Recent.byteLimit {
                byPayload.removeAll(keepingCapacity: true)
                bytes = 0
            }
            // A payload too large to keep is decoded from its row like any other.
            guard size <= Recent.byteLimit else { return }
            if byPayload.updateValue(effect, forKey: payload) == nil { bytes += size }
        }

        /// The payloads' bytes held now.
        var heldBytes: Int {
            lock.lock()
            defer { lock.unlock() }
            return bytes
        }

        func take(_ payload: String) -> OutboxEffect? {
            lock.lock()
            defer { lock.unlock() }
            guard let effect = byPayload.removeValue(forKey: payload) else { return nil }
            bytes -= payload.utf8.count
            return effect
        }
    }

    /// The process's effects not yet performed.
    static let recent = Recent()
}
