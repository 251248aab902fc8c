import CSystemd
import Foundation
import Logging
import VigilCore
import VigilService
import VigilStore

/// Finding the partners' files: inotify events as hints, and full scans that read each drop
/// folder as a stream.
extension IntakeLoop {
    /// Notes the files inotify reports (a queue overflow rescans the whole tree).
    func handle(_ events: [Inotify.Event]) {
        let t = now().timeIntervalSince1970
        for event in events {
            if event.mask & UInt32(IN_Q_OVERFLOW) != 0 {
                logger.warning("inotify queue overflowed; rescanning the drop tree")
                scan()
                continue
            }
            guard let partner = inotify.key(event.wd), let name = PendingFiles.key(rawName: event.rawName) else { continue }
            if !pending.note(partner: partner, name: name, immediate: event.mask & UInt32(IN_MOVED_TO) != 0, now: t)
                && PendingFiles.isCandidate(name)
            {
                overflowed = true
            }
        }
    }

    /// Notes the entries in every partner's drop folder (as many as `PendingFiles` holds), and
    /// forgets refused entries no longer there. The folder is read as a stream, never listed whole.
    func scan() {
        let t = now().timeIntervalSince1970
        overflowed = false
        for partner in runtime.partners {
            var stillThere = Set<[UInt8]>()
            var notHeld = 0
            IntakeLoop.forEachRawName(
                in: runtime.paths.drop(partner), progress: { perform(state.betweenFiles(at: clock())) },
                { raw in
                    if refused.contains(partner: partner, name: raw) { stillThere.insert(raw) }
                    if let name = PendingFiles.key(rawName: raw),
                        !pending.note(partner: partner, name: name, immediate: false, now: t)
                    {
                        notHeld += 1
                    }
                })
            refused.retain(partner: partner, names: stillThere)
            if notHeld > 0 {
                overflowed = true
                logger.warning(
                    "a drop folder holds more files than are taken at once; the rest are taken as these clear",
                    metadata: ["partner": "\(partner)", "not_yet_noted": "\(notHeld)"])
            }
        }
    }

    /// Entry names in a folder exactly as the kernel gives them (not only the UTF-8 ones).
    static func rawNames(in folder: String) -> [[UInt8]] {
        var names: [[UInt8]] = []
        forEachRawName(in: folder) { names.append($0) }
        return names
    }

    /// Calls `body` with each entry name in a folder (but `.` and `..`), as the kernel gives it,
    /// and `progress` after every `progressEvery` entries: a folder of millions of names can take
    /// longer to read than the watchdog waits, so the loop pings it from there.
    static func forEachRawName(
        in folder: String, progressEvery: Int = 10_000, progress: () -> Void = {}, _ body: ([UInt8]) -> Void
    ) {
        guard let dir = opendir(folder) else { return }
        defer { closedir(dir) }
        var seen = 0
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            guard name != [0x2E] && name != [0x2E, 0x2E] else { continue }
            body(name)
            seen += 1
            if seen % progressEvery == 0 { progress() }
        }
    }

    func watchAll() throws {
        for partner in runtime.partners { try inotify.watch(runtime.paths.drop(partner), key: partner) }
        inotify.retain(Set(runtime.partners))
    }
}
