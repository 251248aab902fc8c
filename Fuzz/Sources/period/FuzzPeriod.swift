import VigilCore

/// Period parsing: never crashes, and every period it accepts prints as text that parses back
/// to the same period.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let period = Period(parsing: text) {
        precondition(Period(parsing: "\(period)") == period, "a period does not round-trip: \(period)")
        precondition(period.start <= period.end, "a period ends before it starts: \(period)")
        _ = period.label
        _ = period.next
    }
    return 0
}
