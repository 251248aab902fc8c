import ArgumentParser
import Foundation
import VigilConfiguration
import VigilCore

/// `vigil check FILE…`: what a partner runs before dropping a file.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check feed files against the catalogue without storing anything (exit 1 if any is rejected).")

    @OptionGroup var options: ConfigOptions

    @OptionGroup var feedOptions: FeedOptions

    @Option(help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Argument(help: "Feed files or folders.")
    var paths: [String]

    func run() throws {
        let loaded = try options.load()
        var parser = loaded.parser
        parser.evaluationDate = CivilDate(unixSeconds: Date().timeIntervalSince1970)
        parser.showsCellsWithoutPartner = feedOptions.showCells
        var rejected = 0
        for file in try IngestSession.files(paths) {
            let feed = FeedFiles.parse(
                file, partner: FeedFiles.partner(for: file, given: feedOptions.partner, catalogue: loaded.catalogue),
                parser: parser,
                feed: feedOptions.feed)
            if !feed.isAccepted { rejected += 1 }
            switch format {
            case .json: print(Receipt(feed: feed, outcome: nil).jsonLine)
            case .text: print(Receipt(feed: feed, outcome: nil).text)
            }
        }
        if rejected > 0 { throw ExitCode(1) }
    }
}
