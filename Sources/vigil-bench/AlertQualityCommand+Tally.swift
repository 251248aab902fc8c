import VigilCore

extension AlertQualityCommand {
    /// Counts for one indicator, noise and mean: alarms per rule on clean series, and per rule (and
    /// for the pack) the detections of each event with their delays.
    struct Tally {
        /// The key for "any rule on the indicator".
        static let pack = "*pack"

        var alarms: [String: Int] = [:]
        var notices: [String: Int] = [:]
        /// Alarm episodes on the series: months (after the first year) in which some rule raises a
        /// warning or above while none did the month before. Two rules that fire on the same fluke
        /// are two alarms but one episode.
        var episodes = 0
        var caught: [String: [Int]] = [:]
        var delays: [String: [[Int]]] = [:]

        init(rules: [String], events: Int) {
            for id in rules + [Self.pack] {
                caught[id] = Array(repeating: 0, count: events)
                delays[id] = Array(repeating: [], count: events)
            }
        }

        /// Breach onsets from period `first` (the first year's months are left out), per rule: a breach whose last judged (not held)
        /// period before it was not a breach; info breaches (improvements) are notices.
        mutating func countAlarms(_ statuses: [String: [Mark]], from first: Int = 12) {
            // A rule alerts from a breach until a clear; holds change nothing.
            let months = statuses.values.first?.count ?? 0
            var alerting = Array(repeating: false, count: months)
            for list in statuses.values {
                var on = false
                for (i, mark) in list.enumerated() {
                    if mark.status == .breach { on = !mark.info } else if mark.status == .clear { on = false }
                    if on { alerting[i] = true }
                }
            }
            for i in alerting.indices where i >= first && alerting[i] && !alerting[i - 1] { episodes += 1 }
            for (id, list) in statuses {
                var previous: Finding.Status?
                for (i, mark) in list.enumerated() where mark.status != .hold {
                    if i >= first && mark.status == .breach && previous != .breach {
                        if mark.info { notices[id, default: 0] += 1 } else { alarms[id, default: 0] += 1 }
                    }
                    previous = mark.status
                }
            }
        }

        /// Whether each rule (and any rule) breached in the window, and how many periods after its
        /// start.
        mutating func countDetection(_ event: Int, _ statuses: [String: [Mark]], _ window: ClosedRange<Int>) {
            var first: Int?
            for (id, list) in statuses {
                guard let i = window.first(where: { list[$0].status == .breach }) else { continue }
                caught[id]![event] += 1
                delays[id]![event].append(i - window.lowerBound)
                first = min(first ?? i, i)
            }
            if let first {
                caught[Self.pack]![event] += 1
                delays[Self.pack]![event].append(first - window.lowerBound)
            }
        }

        /// `90% (d 1)`: the share caught and the median delay in periods.
        func cell(_ id: String, _ event: Int, _ series: Int) -> String {
            let share = String(format: "%.0f%%", 100 * Double(caught[id]![event]) / Double(series))
            let sorted = delays[id]![event].sorted()
            guard !sorted.isEmpty else { return share }
            return share + " (d \(sorted[(sorted.count - 1) / 2]))"
        }
    }
}
