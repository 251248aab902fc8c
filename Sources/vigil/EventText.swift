import VigilCore

/// Human-readable forms of alert events.
enum EventText {
    /// Two lines per event: status, severity, priority, rule, series, period; then the message.
    static func line(_ event: AlertEvent) -> String {
        let breakdown =
            event.breakdown.isEmpty
            ? "" : "{" + event.breakdown.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + "}"
        var text =
            "\(event.event.rawValue.uppercased().padding(9)) \(event.severity.rawValue.padding(8)) P\(event.priority)  \(event.rule)  \(event.indicator)\(breakdown)  \(event.period)\n"
        text += "          \(event.message)\n          id \(event.id)"
        if let action = event.action { text += "\n          Action: \(action)" }
        return text
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
