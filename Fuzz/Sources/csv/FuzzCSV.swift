import VigilCore

/// The CSV reader: never crashes, and splitting the input into two chunks anywhere gives the
/// same records (or the same syntax error) as reading it whole.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    func read(_ chunks: [ArraySlice<UInt8>]) -> [String] {
        var reader = CSVReader(maxFieldBytes: 4096)
        var out: [String] = []
        do {
            for (i, chunk) in chunks.enumerated() {
                try Array(chunk).withUnsafeBytes { raw in
                    try reader.consume(raw, isFinal: i == chunks.count - 1) { record in
                        out.append("\(record.line):" + (0..<record.count).map { record.string($0) ?? "<bytes>" }.joined(separator: "|"))
                    }
                }
            }
        } catch let error as CSVReader.SyntaxError {
            out.append("error \(error.line):\(error.column) \(error.message)")
        } catch {
            out.append("error \(error)")
        }
        return out
    }
    let whole = read([bytes[...]])
    let cut = size == 0 ? 0 : Int(bytes[0]) % (size + 1)
    let split = read([bytes[..<cut], bytes[cut...]])
    precondition(whole == split, "chunking changed the records")
    return 0
}
