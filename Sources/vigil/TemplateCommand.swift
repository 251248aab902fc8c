import ArgumentParser
import Foundation
import VigilConfiguration
import VigilCore

/// `vigil template`: the CSV a partner fills in, or the whole return schedule.
struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Write the CSV a partner fills in for a return, or print the return schedule.",
        discussion: """
            vigil template --partner police --period 2013-04   # police's April 2013 return
            vigil template --partner police                    # the latest periods that have ended
            vigil template --schedule                          # every partner's returns (Markdown)
            """)

    @OptionGroup var options: ConfigOptions
    @Option(help: "The partner whose return to write.") var partner: String?
    @Option(help: "A period (2013-04, 2013-Q2, 2013/14, 2013-04-30): each indicator's period containing its start.")
    var period: String?
    @Option(help: "Without --period: the latest periods ended before this date (YYYY-MM-DD; default today).") var at: String?
    @Flag(help: "Print every partner's return schedule as Markdown instead.") var schedule = false
    @Option(name: .shortAndLong, help: "Write to this file (default: standard output).") var output: String?

    func validate() throws {
        if schedule == (partner != nil) { throw ValidationError("give either --partner or --schedule") }
    }

    func run() throws {
        let loaded = try options.load()
        let catalogue = loaded.catalogue
        let text: String
        if schedule {
            text = ReturnSchedule(catalogue: catalogue).markdown(catalogue: catalogue)
        } else {
            let parsedPeriod = try period.map { text -> Period in
                guard let p = Period(parsing: text) else {
                    throw ValidationError("'\(text)' is not a period; expected e.g. 2013-04, 2013-Q2, 2013/14 or 2013-04-30")
                }
                return p
            }
            let date =
                try at.map { text -> CivilDate in
                    guard let p = Period(parsing: text), p.periodicity == .snapshot else {
                        throw ValidationError("--at '\(text)' is not a date; expected YYYY-MM-DD")
                    }
                    return p.start
                } ?? CivilDate(unixSeconds: Date().timeIntervalSince1970)
            guard let csv = ReturnTemplate.csv(catalogue: catalogue, partner: partner!, period: parsedPeriod, date: date) else {
                throw ValidationError(
                    "unknown partner '\(partner!)'; expected one of: \(catalogue.partners.map(\.id).joined(separator: ", "))")
            }
            text = csv
        }
        if let output {
            try text.write(toFile: output, atomically: true, encoding: .utf8)
        } else {
            print(text, terminator: "")
        }
    }
}
