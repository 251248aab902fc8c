import ArgumentParser
import VigilCore
import VigilStore

/// `vigil check FILE…`: what a partner runs before dropping a file.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check feed files against the catalogue without storing anything (exit 1 if any is rejected).")

    @OptionGroup var options: ConfigOptions

    @Option(help: "The supplying partner (default: the file's folder name, when it is a partner).")
    var partner: String?

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Argument(help: "Feed files or folders.")
    var paths: [String]

    func run() throws {
        let loaded = try options.load()
        let parser = FeedParser(catalogue: loaded.catalogue)
        var rejected = 0
        for file in try IngestSession.files(paths) {
            let feed = FeedFiles.parse(
                file, partner: FeedFiles.partner(for: file, given: partner, catalogue: loaded.catalogue), parser: parser)
            if !feed.isAccepted { rejected += 1 }
            switch format {
            case .json: print(Receipt(feed: feed).jsonLine)
            case .text: print(Receipt(feed: feed).text)
            }
        }
        if rejected > 0 { throw ExitCode(1) }
    }
}

/// What a partner is told about a file: accepted with what it held, or rejected with every error.
struct Receipt {
    let feed: ParsedFeed

    var text: String {
        if feed.isAccepted {
            let periods = feed.periods
            let span = periods.count > 1 ? "\(periods.first!)–\(periods.last!)" : periods.first.map { "\($0)" } ?? "none"
            return
                "ACCEPTED \(feed.file): \(feed.rows) rows, \(feed.indicators.count) indicator(s) (\(feed.indicators.joined(separator: ", "))), periods \(span)"
        }
        return "REJECTED \(feed.file): \(feed.errors.count) error(s)\n" + feed.errors.map { "  \($0)" }.joined(separator: "\n")
    }

    var jsonLine: String {
        var w = JSONWriter()
        w.string("file", feed.file)
        w.string("status", feed.isAccepted ? "accepted" : "rejected")
        w.string("sha256", feed.sha256)
        w.string("partner", feed.partner)
        w.number("rows", Double(feed.rows))
        w.strings("indicators", feed.indicators)
        w.strings("periods", feed.periods.map { "\($0)" })
        w.raw(
            "errors",
            "["
                + feed.errors.map { error in
                    var e = JSONWriter()
                    e.string("code", error.code.rawValue)
                    e.string("message", error.message)
                    e.string("file", error.location?.file)
                    e.number("line", error.location?.line.map(Double.init))
                    e.number("column", error.location?.column.map(Double.init))
                    return e.finish()
                }.joined(separator: ",") + "]")
        return w.finish()
    }
}
