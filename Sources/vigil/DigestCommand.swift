import ArgumentParser
import Foundation
import VigilCore
import VigilDigest
import VigilStore
import VigilSystemd

/// `vigil digest`: a briefing for board chairs.
struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract:
            "Write an alert digest for board chairs: new, persisting, resolved and retracted alerts by priority, with charts.")

    @OptionGroup var options: ConfigOptions
    @OptionGroup var storeOptions: StoreOptions

    @Option(help: "'last': alerts recorded since the previous digest (the default).")
    var since: String?

    @Option(help: "A data period the digest covers, e.g. 2013-Q1 or 2012/13.")
    var period: String?

    @Option(help: "First day of the data periods covered (YYYY-MM-DD); with --to.")
    var from: String?

    @Option(help: "Last day of the data periods covered (YYYY-MM-DD); with --from.")
    var to: String?

    @Option(name: .customLong("priority"), help: "Only this board priority (repeatable): a sub-group's digest.")
    var priorities: [Int] = []

    @Option(name: .customLong("partner"), help: "Only alerts on indicators this partner supplies (repeatable).")
    var partners: [String] = []

    @Option(help: "html, markdown, text or pdf (printed with headless Chromium).")
    var format: DigestFormat = .html

    @Option(help: "Where to write it ('-' for standard output; default: the configured digests folder).")
    var output: String?

    @Flag(help: "Show counts of 1 to 5 as 'c', with secondary suppression (for digests shared beyond the board).")
    var suppressSmall = false

    @Option(help: "The digest's title (default: `board` in vigil.yaml, else \"Vigil alert digest\").")
    var title: String?

    @Flag(
        help:
            "Record this digest, so the next --since last starts after it (the scheduled digest does). Without it a digest is a preview and moves nothing."
    )
    var record = false

    @Option(help: "Evaluation date for charts (default today).")
    var at: String?

    @Option(help: "Ingest these feed files or folders into a private in-memory store first (replays, previews).")
    var replay: [String] = []

    @Flag(help: "Log a journal entry with the digest's path.")
    var journal = false

    @Option(help: "Also email the digest (text, HTML and PDF) to this address through the configured SMTP server.")
    var mailTo: String?

    @Flag(
        help:
            "Email each recipient list in vigil.yaml (digest.recipients) its digest: the whole board's, or its priorities'.")
    var send = false

    func validate() throws {
        let modes = [since != nil, period != nil, from != nil || to != nil].filter { $0 }.count
        if modes > 1 { throw ValidationError("give one of --since, --period or --from/--to") }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
        if let since, since != "last" { throw ValidationError("--since takes 'last'") }
        if let mailTo, !DigestDelivery.isAddress(mailTo) {
            throw ValidationError("--mail-to '\(mailTo)' is not an email address")
        }
        if format == .pdf && output == "-" { throw ValidationError("a PDF cannot go to standard output; give --output FILE") }
        if record {
            if period != nil || from != nil {
                throw ValidationError("--record is for --since last digests, not --period or --from/--to")
            }
            if !priorities.isEmpty || !partners.isEmpty {
                throw ValidationError("--record is for the whole board's digest; a filtered digest is a preview")
            }
            if output == "-" { throw ValidationError("--record writes the digest to a file; --output - is a preview") }
            if !replay.isEmpty || storeOptions.ephemeral {
                throw ValidationError("--record needs the live store (not --replay or --ephemeral)")
            }
        }
    }

    func run() throws {
        let loaded = try options.load()
        let date = try IngestSession.date(at)
        let store: Store
        if replay.isEmpty {
            store = try storeOptions.open(loaded, create: false)
        } else {
            var session = IngestSession(loaded: loaded, store: try Store.inMemory(), date: date)
            _ = try session.run(files: try IngestSession.files(replay), partner: nil)
            store = session.store
        }
        for p in priorities where loaded.catalogue.priority(p) == nil {
            throw ValidationError(
                "--priority \(p) is not one of the board's priorities (\(loaded.catalogue.priorities.map { String($0.id) }.joined(separator: ", ")))"
            )
        }
        for p in partners where loaded.catalogue.partner(p) == nil {
            throw ValidationError(
                "--partner \(p) is not a partner (\(loaded.catalogue.partners.map(\.id).joined(separator: ", ")))")
        }
        let window = try makeWindow(store)
        let generatedAt = CivilDate.timestamp(unixSeconds: Date().timeIntervalSince1970)
        // Where this digest leaves the event log, read before anything it shows: an event
        // recorded while it reads is counted again by the next digest, never lost.
        let mark = DigestMark(generatedAt: generatedAt, eventSeq: try store.lastEventSeq())
        let lastDigest = replay.isEmpty ? try store.lastDigest() : nil
        let input = try DigestInput.read(
            from: store, catalogue: loaded.catalogue, rules: loaded.rules, window: window, priorities: priorities,
            partners: partners, suppressSmall: suppressSmall, generatedAt: generatedAt, date: date,
            title: title ?? loaded.config.board ?? "Vigil alert digest", lastDigest: lastDigest)
        let digest = Digest.build(input)
        var path = output ?? ""
        if output == nil {
            let folder = loaded.resolve(loaded.config.digestsPath)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            path = folder + "/digest-\(generatedAt.prefix(10))-\(Int(Date().timeIntervalSince1970)).\(format.fileExtension)"
        }
        switch format {
        case .html, .markdown, .text:
            let text = format == .html ? digest.html : format == .markdown ? digest.markdown : digest.text
            if path == "-" {
                print(text, terminator: "")
            } else {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            }
        case .pdf:
            do {
                try Data(try PDFRenderer.render(html: digest.html)).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch let error as PDFRenderer.Unavailable {
                printError("error: \(error)")
                throw ExitCode(1)
            }
        }
        if path != "-" { print("wrote \(path)") }
        if journal, let writer = Journal.connect(identifier: "vigil-digest") {
            writer.send(
                message: "Vigil digest written to \(path)", priority: .info,
                fields: [
                    ("MESSAGE_ID", MessageID.digestWritten.rawValue), ("VIGIL_DIGEST_PATH", path),
                    ("VIGIL_DIGEST_WINDOW", window.description),
                ])
        }
        let delivery = loaded.config.digest
        var mails: [(to: [String], digest: Digest)] = []
        if let mailTo { mails.append(([mailTo], digest)) }
        if send {
            if delivery.recipients.isEmpty {
                // The scheduled digest passes --send; before IT configures recipients it just writes
                // the file, and says so at warning in the journal (review helper-33: at info, the
                // chairs would never get a digest and nothing flagged it).
                print("not sent: no digest.recipients in \(loaded.path) (docs/configuration.md)")
                if journal, let writer = Journal.connect(identifier: "vigil-digest") {
                    writer.send(
                        message:
                            "Vigil digest not sent: no digest.recipients in \(loaded.path); the digest was written to \(path) only (docs/configuration.md)",
                        priority: .warning, fields: [("VIGIL_DIGEST_PATH", path)])
                }
            }
            for recipient in delivery.recipients {
                var own = input
                own.priorities = recipient.priorities
                own.suppressSmall = input.suppressSmall || recipient.suppressSmall
                let same = recipient.priorities.isEmpty && own.suppressSmall == input.suppressSmall
                mails.append((recipient.to, same ? digest : Digest.build(own)))
            }
        }
        var failed = false
        // Each edition is rendered once per distinct digest, and Chromium runs once per distinct
        // HTML: every whole-board list shares one rendering and one PDF.
        var pdfs: [String: [UInt8]] = [:]
        for (i, mail) in mails.enumerated() {
            let html = mail.digest.html
            var pdf = pdfs[html]
            if delivery.pdf && pdf == nil {
                do {
                    pdf = try PDFRenderer.render(html: html)
                    pdfs[html] = pdf
                } catch {
                    printError("warning: the email to \(mail.to.joined(separator: ", ")) goes without its PDF: \(error)")
                }
            }
            let message = DigestMail(
                from: delivery.from, to: mail.to, subject: "\(mail.digest.title): alert digest, \(window.words)",
                text: mail.digest.text, html: html, pdf: pdf)
            let id = "digest-\(generatedAt)-\(i)@vigil"
            do {
                try SMTPClient(delivery.smtp).send(
                    from: delivery.from, to: mail.to,
                    message: message.render(date: Date(), messageID: id, boundary: UUID().uuidString))
                print("sent to \(mail.to.joined(separator: ", "))")
            } catch {
                printError("error: the digest was not sent to \(mail.to.joined(separator: ", ")): \(error)")
                failed = true
            }
        }
        // Recorded only once every email has gone: a digest recorded before its sends, when the
        // mail server was down, moved "since last" past what no chair was told (helper-21).
        // Not recorded, the next digest holds it; a recipient whose server took this one gets
        // those alerts again rather than another losing them.
        if failed {
            if record { printError("not recorded: the next digest starts where this one did") }
            throw ExitCode(1)
        }
        if record {
            try store.recordDigest(mark, window: window.description, format: format.rawValue, path: path)
        }
    }

    private func makeWindow(_ store: Store) throws -> DigestWindow {
        if let period {
            guard let p = Period(parsing: period) else {
                throw ValidationError("'\(period)' is not a period (e.g. 2013-Q1, 2012/13, 2013-03)")
            }
            return .dataPeriods(from: p.start, to: p.end)
        }
        if let from, let to {
            guard let f = Period(parsing: from), f.periodicity == .snapshot, let t = Period(parsing: to),
                t.periodicity == .snapshot
            else {
                throw ValidationError("--from and --to take dates like 2013-01-01")
            }
            guard f.start <= t.start else { throw ValidationError("--from \(from) is after --to \(to)") }
            return .dataPeriods(from: f.start, to: t.start)
        }
        return .recorded(since: try store.lastDigest())
    }
}
