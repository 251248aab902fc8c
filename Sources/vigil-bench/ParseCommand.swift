import ArgumentParser
import Foundation
import VigilConfiguration
import VigilCore

/// `vigil-bench parse`: the feed parser alone, on the two files `Benchmarks/latency.py` drops (the
/// 1,000-row revising file and the typical monthly file). In-process CPU time, so the parser's
/// share of a file's latency can be compared between builds without the journal or the disk.
struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse", abstract: "Time the feed parser on the latency benchmark's files.")

    @Option(help: "The Vigil configuration.") var config: String = "config/vigil.yaml"
    @Option(help: "Parses to time per file.") var repeats: Int = 200

    func run() throws {
        let loaded = try ConfigurationLoader.load(path: config)
        let files = [
            ("revising", Array(Self.revisingFile(0).utf8)),
            ("monthly", Array(EngineCommand.monthlyFile(0, catalogue: loaded.catalogue).utf8)),
        ]
        var line: [String: Any] = [:]
        for (name, bytes) in files {
            var times: [Double] = []
            var rows = 0
            for _ in 0..<repeats {
                let began = DispatchTime.now().uptimeNanoseconds
                let feed = loaded.parser.parse(bytes: bytes, file: "\(name).csv", partner: "childrens-services")
                times.append(Double(DispatchTime.now().uptimeNanoseconds - began) / 1e6)
                guard feed.isAccepted else {
                    throw ValidationError("the \(name) file was rejected: \(feed.errors.map(\.description))")
                }
                rows = feed.observations.count
            }
            times.sort()
            line["\(name)_rows"] = rows
            line["\(name)_median_ms"] = (times[times.count / 2] * 1000).rounded() / 1000
            line["\(name)_min_ms"] = (times[0] * 1000).rounded() / 1000
        }
        let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
    }

    /// Drop `i` of `Benchmarks/latency.py`'s revising file: 1,000 monthly values of one indicator.
    static func revisingFile(_ i: Int) -> String {
        var lines = ["# drop \(i)", "indicator,period,value"]
        for k in 0..<1000 {
            let (year, month) = (1930 + k / 12, k % 12 + 1)
            lines.append("lac.admissions,\(year)-\(month < 10 ? "0" : "")\(month),\((k * 7 + i) % 19)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
