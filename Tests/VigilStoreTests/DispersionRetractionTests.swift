import Foundation
import Testing
import VigilConfiguration
import VigilCore

@testable import VigilStore

/// A `change` rule with `dispersion_periods` withdrawn because the months its dispersion is
/// estimated from were revised, the two years' totals unchanged: the retraction says so (review
/// helper-53: it read the generic "values for earlier periods … no longer support this alert").
@Suite struct DispersionRetractionTests {
    /// The shipped pack on a new store: `ingest` files of the police's monthly incidents in
    /// care (rows of month and cell), evaluated at 30 April 2013.
    struct Scenario {
        let loaded: LoadedConfiguration
        let engine: Engine
        let store: Store
        /// 2010-04 to 2013-03.
        let months: [String] = (0..<36).map { (i: Int) -> String in
            let year: Int = 2010 + (i + 3) / 12
            let month: Int = (i + 3) % 12 + 1
            return String(format: "%04d-%02d", year, month)
        }

        init() throws {
            loaded = try ConfigurationLoader.load(path: Repo.config)
            engine = Engine(catalogue: loaded.catalogue, rules: loaded.rules)
            store = try Store.inMemory()
        }

        func ingest(_ rows: [(String, String)], _ name: String) throws -> [AlertEvent] {
            let text = "indicator,period,value\n" + rows.map { "missing.incidents_in_care,\($0.0),\($0.1)\n" }.joined()
            let feed = loaded.parser.parse(bytes: Array(text.utf8), file: name, partner: "police")
            #expect(feed.errors.isEmpty, "\(feed.errors)")
            return try store.ingest(feed, receivedAt: name, engine: engine, date: CivilDate(year: 2013, month: 4, day: 30)!)
                .events
        }
    }

    @Test func aRiseTheEarlierMonthsNowMakeWithinChanceIsWithdrawnSayingSo() throws {
        let scenario = try Scenario()
        let months = scenario.months
        func ingest(_ rows: [(String, Int)], _ name: String) throws -> [AlertEvent] {
            try scenario.ingest(rows.map { ($0.0, "\($0.1)") }, name)
        }
        // 2010/11 and 2011/12 steady at 5 a month (60 a year), 2012/13 at 88: +46.7%, beyond
        // chance for months that vary no more than Poisson counts.
        let year = [7, 7, 7, 7, 8, 8, 8, 8, 7, 7, 7, 7]
        let counts: [Int] = Array(repeating: 5, count: 24) + year
        let first = try ingest(Array(zip(months, counts)), "a.csv")
        let fired = first.first { $0.rule == "missing-in-care-up-on-last-year" }
        #expect(fired?.event == .firing)
        // 2010/11 revised to alternate 0 and 10: still 60 that year, and 2011/12 and 2012/13 as
        // they were, but the 24 months vary 2.6 times as much as Poisson counts.
        let revised: [(String, Int)] = (0..<12).map { (i: Int) -> (String, Int) in (months[i], i % 2 == 0 ? 0 : 10) }
        let later = try ingest(revised, "b.csv")
        let withdrawn = later.first { $0.rule == "missing-in-care-up-on-last-year" }
        #expect(withdrawn?.event == .retracted)
        #expect(
            withdrawn?.message
                == "Retracted: Missing incidents in the financial year (children in care), 2012/13: with the months its variation is estimated from, received or revised since, this is within chance"
        )
        #expect(withdrawn?.explanation.contains("within chance for counts this size and this variable") == true)
    }

    /// Review helper-55: months that vary no more than Poisson counts, half of them withdrawn,
    /// leave the test fewer degrees of freedom; the withdrawal read the generic reason, as only
    /// "this variable" was matched.
    @Test func fewerSteadyMonthsThatMakeItWithinChanceAreNamedToo() throws {
        let scenario = try Scenario()
        let months = scenario.months
        let ingest = scenario.ingest
        // 30 a year twice (2 and 3 alternating), then 46.
        let steady: [String] = (0..<24).map { (i: Int) -> String in i % 2 == 0 ? "2" : "3" }
        let counts: [String] = steady + ["4", "4", "4", "4", "4", "4", "4", "4", "4", "4", "3", "3"]
        let first = try ingest(Array(zip(months, counts)), "a.csv")
        let fired = first.first { $0.rule == "missing-in-care-up-on-last-year" }
        #expect(fired?.event == .firing)
        #expect(fired?.explanation.contains("beyond chance for counts this size") == true)
        // 2010/11's months withdrawn (not known): 2011/12 and 2012/13 as they were.
        let later = try ingest((0..<12).map { (months[$0], "c") }, "b.csv")
        let withdrawn = later.first { $0.rule == "missing-in-care-up-on-last-year" }
        #expect(withdrawn?.event == .retracted)
        #expect(
            withdrawn?.message.hasSuffix(
                "2012/13: with the months its variation is estimated from, received or revised since, this is within chance")
                == true)
        #expect(withdrawn?.explanation.contains("within chance for counts this size (p ") == true)
    }
}
