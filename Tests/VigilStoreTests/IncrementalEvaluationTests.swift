import Foundation
import Testing
import VigilConfiguration
import VigilCore

@testable import VigilStore

/// A file re-evaluates only the rules on what it supplied (and what derives from it), reading only
/// their data; other rules' alerts change at the next full (clock) evaluation.
@Suite struct IncrementalEvaluationTests {
    let loaded: LoadedConfiguration
    let engine: Engine

    init() throws {
        loaded = try ConfigurationLoader.load(path: Repo.config)
        engine = Engine(catalogue: loaded.catalogue, rules: loaded.rules)
    }

    @Test func theRulesAFileCanAffectAreItsIndicatorsAndWhatDerivesFromThem() {
        let ids = Set(engine.rules(affectedBy: ["missing.incidents"]).map(\.id))
        #expect(
            ids == [
                "missing-incidents-spike", "missing-incidents-spc", "missing-overdue", "missing-incidents-up-on-last-year",
                "missing-incidents-sustained-rise", "missing-incidents-cumulative", "missing-incidents-carried-forward",
            ])
        // A derived indicator reads its inputs: the financial-year sum reads the monthly series.
        let fy = engine.rules.filter { $0.indicator == "missing.incidents_fy" }
        #expect(engine.indicatorsRead(by: fy).isSuperset(of: ["missing.incidents_fy", "missing.incidents"]))
    }

    @Test func aPoliceFileDoesNotRaiseTheCouncilsOverdueFeedTheClockDoes() throws {
        let store = try Store.inMemory()
        let parse = { (csv: String, partner: String) in
            self.loaded.parser.parse(bytes: Array(csv.utf8), file: "f.csv", partner: partner)
        }
        let october = CivilDate(year: 2026, month: 11, day: 20)!
        _ = try store.ingest(
            parse("indicator,period,value\ncaf.registered,2026-10,40\n", "childrens-services"), receivedAt: "t1",
            engine: engine, date: october)
        let later = CivilDate(year: 2027, month: 1, day: 20)!
        let police = try store.ingest(
            parse("indicator,period,value\nmissing.incidents,2026-12,10\n", "police"), receivedAt: "t2", engine: engine,
            date: later)
        #expect(police.events.allSatisfy { $0.indicator.hasPrefix("missing.") }, "\(police.events.map(\.rule))")
        #expect(try !store.alertRecords().contains { $0.rule == "caf-overdue" })
        let clock = try store.evaluate(engine: engine, date: later, at: "t3")
        #expect(clock.contains { $0.rule == "caf-overdue" && $0.event == .firing })
    }
}
