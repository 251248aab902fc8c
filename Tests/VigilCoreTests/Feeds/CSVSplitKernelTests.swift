import CVigilKernels
import Testing

@testable import VigilCore

/// `vigil_csv_split_line` (its AVX2 path on this machine) against a plain transcription of its
/// contract in `CVigilKernels.h`, on seeded random lines: plain and quoted fields, stray and
/// doubled quotes, quoted line breaks, fields at and over the length limit, more fields than the
/// buffers hold, CR, LF and no line end before the chunk's end.
@Suite struct CSVSplitKernelTests {
    struct Split: Equatable {
        var result: Int
        var fields: [Int] = []
        var lineEnd = -1
    }

    /// The contract, byte by byte.
    static func reference(_ data: [UInt8], start: Int, count: Int, capacity: Int, maxField: Int) -> Split {
        var i = start
        var out = Split(result: 0)
        func find(_ from: Int, _ stops: [UInt8]) -> Int {
            var j = from
            while j < count && !stops.contains(data[j]) { j += 1 }
            return j
        }
        while true {
            var begin = i
            let stop: Int
            if i < count && data[i] == 0x22 {
                begin = i + 1
                stop = find(begin, [0x22, 0x0A, 0x0D])
                if stop >= count || data[stop] != 0x22 { return Split(result: -1) }
                i = stop + 1
            } else {
                i = find(i, [0x2C, 0x0A, 0x0D, 0x22])
                stop = i
            }
            if i >= count || stop - begin > maxField { return Split(result: -1) }
            if out.fields.count / 2 == capacity { return Split(result: -2) }
            out.fields += [begin - start, stop - start]
            switch data[i] {
            case 0x2C: i += 1
            case 0x0A, 0x0D:
                out.result = out.fields.count / 2
                out.lineEnd = i
                return out
            default: return Split(result: -1)
            }
        }
    }

    static func kernel(_ data: [UInt8], start: Int, count: Int, capacity: Int, maxField: Int) -> Split {
        var begins = [Int](repeating: 0, count: capacity)
        var ends = [Int](repeating: 0, count: capacity)
        var lineEnd = 0
        let result = data.withUnsafeBufferPointer { bytes in
            vigil_csv_split_line(bytes.baseAddress, start, count, &begins, &ends, capacity, maxField, &lineEnd)
        }
        guard result >= 0 else { return Split(result: result) }
        return Split(result: result, fields: (0..<result).flatMap { [begins[$0], ends[$0]] }, lineEnd: lineEnd)
    }

    @Test func theKernelKeepsItsContractOnRandomLines() {
        var random = SplitMix64(seed: 2026)
        func draw(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        let alphabet = Array("abc019 -:/é".utf8)
        var checked = 0
        var outcomes: Set<Int> = []
        for _ in 0..<20_000 {
            var line: [UInt8] = Array(repeating: 0x78, count: draw(40))  // bytes before the line
            let start = line.count
            let fields = 1 + draw(draw(10) == 0 ? 80 : 12)
            for f in 0..<fields {
                if f > 0 { line.append(0x2C) }
                let length = draw(draw(8) == 0 ? 70 : 14)
                let body = (0..<length).map { _ in alphabet[draw(alphabet.count)] }
                switch draw(20) {
                case 0: line += [0x22] + body + [0x22]
                case 1: line += [0x22] + body + [0x2C, 0x22]
                case 2: line += body + [0x22] + body  // a stray quote
                case 3: line += [0x22] + body + [0x22, 0x22, 0x22]  // a doubled quote
                case 4: line += [0x22] + body + [0x0A, 0x22]  // a quoted line break
                case 5: line += [0x22] + body + [0x22, 0x61]  // text after a closing quote
                default: line += body
                }
            }
            line += [[0x0A], [0x0D, 0x0A], [0x0D]][draw(3)]
            line += Array(repeating: 0x79, count: draw(40))  // the next line's bytes
            // The chunk may end anywhere, often before the line does.
            let count = draw(4) == 0 ? start + draw(line.count - start + 1) : line.count
            let capacity = [1, 4, 16, 64, 128][draw(5)]
            let maxField = [8, 30, 64, 1 << 20][draw(4)]
            let expected = Self.reference(line, start: start, count: count, capacity: capacity, maxField: maxField)
            let actual = Self.kernel(line, start: start, count: count, capacity: capacity, maxField: maxField)
            #expect(actual == expected, "line \(line) start \(start) count \(count) capacity \(capacity) max \(maxField)")
            if actual != expected { return }
            outcomes.insert(expected.result < 0 ? expected.result : 1)
            checked += 1
        }
        #expect(checked == 20_000)
        // Every outcome was met: fields, a line to read byte by byte, and too many fields.
        #expect(outcomes == [1, -1, -2])
    }
}
