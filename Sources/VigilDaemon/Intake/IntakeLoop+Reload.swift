import CSystemd
import Foundation
import Logging
import VigilCore
import VigilService
import VigilStore

/// A reload (SIGHUP): the new configuration in force, or the previous one kept, and the status line.
extension IntakeLoop {
    /// Loads the configuration again; on any error the previous one stays in force.
    func reload() {
        notifier.reloading()
        do {
            try runtime.reload()
        } catch {
            logger.error("new configuration rejected; the previous one stays in force")
            notifier.ready(status: statusLine())
            return
        }
        // A partner the new configuration removed gets nothing more taken in, even files of it
        // already waiting (they were still taken, and accepted).
        let partners = Set(runtime.partners)
        pending.retain(partners: partners)
        refused.retain(partners: partners)
        do {
            try watchAll()
        } catch {
            // The new configuration is in force: its folders are still found by the scans.
            logger.error(
                "a drop folder could not be watched; its files are found by the scans (every \(settings.scanInterval) s): \(error)"
            )
        }
        scan()
        logger.notice("configuration reloaded", metadata: ["config": "\(configPath)"])
        notifier.ready(status: statusLine())
    }

    func statusLine() -> String {
        let counts = (try? runtime.store.counts()) ?? (firing: 0, files: 0)
        return
            "watching \(runtime.partners.count) partner folders; \(counts.firing) alert(s) firing; \(counts.files) file(s) processed; last file: \(lastFile)"
    }
}
