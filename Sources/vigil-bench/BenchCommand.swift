import ArgumentParser
import Foundation
import VigilConfiguration
import VigilCore
import VigilStore

#if canImport(Glibc)
    import Glibc
#endif

/// `vigil-bench`: deterministic synthetic extracts and measured ingestion, for `Benchmarks/run`.
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil-bench", abstract: "Generate synthetic record-level extracts and measure Vigil on them.",
        subcommands: [Generate.self, Ingest.self, AlertQualityCommand.self, EngineCommand.self, ParseCommand.self])

    /// Writes a police missing-episodes extract: most children have one episode, a heavy tail many.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a deterministic synthetic missing-episodes extract.")
        @Option(help: "Rows.") var rows: Int = 1_000_000
        @Option(help: "Random seed.") var seed: UInt64 = 2013
        @Option(help: "Output file.") var output: String

        func run() throws {
            var rng = SplitMix64(seed: seed)
            let children = max(1, rows * 6 / 10)
            let start = CivilDate(year: 2010, month: 4, day: 1)!.dayNumber
            let days = CivilDate(year: 2013, month: 3, day: 31)!.dayNumber - start + 1
            let localities = ["\"North, West & Rural\"", "\"Central & East\"", "South", "Out of Area"]
            let sexes = ["M", "F", "U"]
            guard
                let out = FileHandle(forWritingAtPath: output)
                    ?? {
                        _ = FileManager.default.createFile(atPath: output, contents: nil)
                        return FileHandle(forWritingAtPath: output)
                    }()
            else { throw ExitCode(2) }
            try out.truncate(atOffset: 0)
            var buffer = "episode_id,child_ref,reported_at,returned_at,in_care,age,sex,locality,source\n"
            for i in 1...rows {
                let u = Double(rng.next() >> 11) / Double(1 << 53)
                // A heavy tail: u^4 crowds episodes onto a few low-numbered children.
                let child = Int(Double(children) * u * u * u * u)
                let day = CivilDate(dayNumber: start + Int(rng.next() % UInt64(days)))
                let hour = Int(rng.next() % 24)
                let minute = Int(rng.next() % 60)
                let inCare = rng.next() % 5 == 0
                let stamp = "\(day)T\(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute):00"
                let returned = rng.next() % 20 == 0 ? "" : "\(day)T23:59:00"
                buffer +=
                    "E\(i),C\(child),\(stamp),\(returned),\(inCare ? "Y" : "N"),\(Int(rng.next() % 18)),\(sexes[Int(rng.next() % 3)]),\(localities[Int(rng.next() % 4)]),\(inCare ? "care home" : "police")\n"
                if buffer.utf8.count > 1 << 20 {
                    out.write(Data(buffer.utf8))
                    buffer = ""
                }
            }
            out.write(Data(buffer.utf8))
            try out.close()
        }
    }

    /// Ingests (parses and aggregates) an extract and reports time, throughput and peak memory.
    struct Ingest: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Aggregate an extract; print the table and a JSON line of measurements.")
        @Option(help: "The Vigil configuration.") var config: String = "config/vigil.yaml"
        @Option(help: "Write the aggregated table (CSV) here.") var table: String?
        @Flag(help: "Read the rows on one core (the parallel read is the default).") var oneCore = false
        @Argument(help: "The extract.") var file: String

        func run() throws {
            let loaded = try ConfigurationLoader.load(path: config)
            let began = Date()
            guard let chunks = FileChunks(path: file) else { throw ExitCode(2) }
            var bytes = 0
            // The synthetic 10M-row extract holds more distinct ids than the service allows one
            // file (FeedParser.maxRecordEntries); the benchmark measures the aggregator past it.
            var parser = loaded.parser
            parser.recordEntryLimit = .max
            parser.parallelRecords = !oneCore
            let feed = parser.parse(file: file, partner: "police") {
                let chunk = try chunks.next()
                bytes += chunk?.count ?? 0
                return chunk
            }
            let seconds = Date().timeIntervalSince(began)
            var usage = rusage()
            getrusage(RUSAGE_SELF.rawValue, &usage)
            if let table {
                var text = "indicator,period,breakdown,value\n"
                for o in feed.observations.sorted(by: { ($0.series, $0.period) < ($1.series, $1.period) }) {
                    text += "\(o.series.indicator),\(o.period),\(o.series.breakdown.key),\(o.value)\n"
                }
                try text.write(toFile: table, atomically: true, encoding: .utf8)
            }
            if !feed.errors.isEmpty {
                FileHandle.standardError.write(
                    Data((feed.errors.prefix(5).map(\.description).joined(separator: "\n") + "\n").utf8))
                throw ExitCode(1)
            }
            let mb = Double(bytes) / 1_000_000
            print(
                "{\"rows\":\(feed.rows),\"bytes\":\(bytes),\"seconds\":\(seconds),\"rows_per_second\":\(Double(feed.rows) / seconds),\"mb_per_second\":\(mb / seconds),\"peak_rss_mb\":\(Double(usage.ru_maxrss) / 1024)}"
            )
        }
    }
}
