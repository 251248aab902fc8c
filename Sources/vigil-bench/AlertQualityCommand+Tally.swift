import VigilCore

extension AlertQualityCommand {
    /// Counts for one indicator, noise and mean: alarms per rule on clean series, and per rule (and
    /// for the pack) the detections of each event with their delays.
    struct Tally {
        /// The key for "any rule on the indicator".
        static let pack = "*pack"

        var alarms: [String: Int] = [:]
        var notices: [String: Int] = [:]
        var caught: [String: [Int]] = [:]
        var delays: [String: [[Int]]] = [:]

        init(rules: [String], events: Int) {
            for id in rules + [Self.pack] {
                caught[id] = Array(repeating: 0, count: events)
                delays[id] = Array(repeating: [], count: events)
            }
        }

        /// Breach onsets after the first year, per rule: a breach whose last judged (not held)
        /// period before it was not a breach; info breaches (improvements) are notices.
        mutating func countAlarms(_ statuses: [String: [Mark]]) {
            for (id, list) in statuses {
                var previous: Finding.Status?
                for (i, mark) in list.enumerated() where mark.status != .hold {
                    if i >= 12 && mark.status == .breach && previous != .breach {
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
