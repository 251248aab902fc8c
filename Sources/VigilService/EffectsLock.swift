import CSystemd
import Foundation

/// The turn to perform an outbox's effects, across processes: an exclusive `flock` on
/// `.effects.lock` in the alerts folder, held while a lane runs. `vigil evaluate` into the
/// configured store performs the service's effects too; without turns, it and `vigild` read the
/// same pending rows and both appended their alert lines (review), and one's first read of the
/// log could cut off the other's line while it was being written.
final class EffectsLock: @unchecked Sendable {
    /// What `take` got.
    enum Turn: Equatable {
        /// The lock is held until `release`.
        case taken
        /// Another process held it for the whole patience: this run's effects wait for the next.
        case busy
        /// The lock file cannot be opened or locked (why): effects are performed without turns.
        case unavailable(String)
    }

    /// The lock file's path.
    let path: String
    /// Seconds to wait for another process's turn to end.
    let patience: Double
    private var descriptor: Int32 = -1

    /// A lock on `.effects.lock` in `folder`.
    init(folder: String, patience: Double) {
        path = (folder as NSString).appendingPathComponent(".effects.lock")
        self.patience = patience
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Takes the turn, waiting up to `patience` seconds for another process's to end.
    func take() -> Turn {
        if descriptor < 0 {
            // Read-only is enough to lock; readable by the group, so the service and an operator
            // running `vigil` as the service's user share it.
            descriptor = open(path, O_RDONLY | O_CREAT | vigil_o_nofollow() | vigil_o_cloexec(), 0o640)
            guard descriptor >= 0 else { return .unavailable("open \(path): \(String(cString: strerror(errno)))") }
        }
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(max(0, patience) * 1e9)
        while true {
            if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return .taken }
            let error = errno
            if error == EINTR { continue }
            guard error == EWOULDBLOCK else { return .unavailable("flock \(path): \(String(cString: strerror(error)))") }
            if DispatchTime.now().uptimeNanoseconds >= deadline { return .busy }
            usleep(5_000)
        }
    }

    /// Ends the turn.
    func release() {
        if descriptor >= 0 { flock(descriptor, LOCK_UN) }
    }
}
