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
        let files = try IngestSession.files(paths)
        if files.isEmpty {
            // Nothing checked is not a pass (a folder without feed files is an error in `files`).
            printError("error[file.unreadable]: no files given; name feed files or folders")
            throw ExitCode(2)
        }
        for file in files {
            let partner = FeedFiles.partner(for: file, given: feedOptions.partner, catalogue: loaded.catalogue)
            // The limits vigild applies before reading a dropped file, and the parse it makes.
            let answer: (accepted: Bool, text: String, json: String)
            switch FeedFiles.read(
                file, partner: partner, parser: parser, feed: feedOptions.feed, maxBytes: loaded.config.maxFileBytes)
            {
            case .parsed(var feed):
                // What vigild publishes keyed (an extract, a rejected file), check cannot know (it
                // has no key), and the plain hash would confirm a guess at an extract's rows.
                if feed.isPublishedKeyed { feed.sha256 = "" }
                let receipt = Receipt(feed: feed, outcome: nil)
                answer = (feed.isAccepted, receipt.text, receipt.jsonLine)
            case .refused(let refusal, let label):
                answer = (false, refusal.receiptText(label: label), refusal.receiptJSON(label: label))
            }
            if !answer.accepted { rejected += 1 }
            print(format == .json ? answer.json : answer.text)
        }
        if rejected > 0 { throw ExitCode(1) }
    }
}
