import Foundation
import Testing
import VigilConfiguration
import VigilCore
import VigilService
import VigilStore

/// A file that brings only the cohort a percentage is of can withdraw or raise an alert on that
/// percentage (its chance test reads the cohort): the partner's receipt says so (review
/// helper-40: the receipt said "no alerts raised, resolved or retracted").
@Suite struct ReceiptOfCountTests {
    @Test func aCohortFilesReceiptListsTheAlertItWithdraws() throws {
        let loaded = try ConfigurationLoader.load(path: TestDeployment.repo + "/config/vigil.yaml")
        let store = try Store.inMemory()
        let ingestor = Ingestor(
            store: store, engine: Engine(catalogue: loaded.catalogue, rules: loaded.rules), valueLimit: nil,
            vocabulary: FileNameVocabulary(catalogue: loaded.catalogue))
        let date = CivilDate(year: 2013, month: 4, day: 30)!
        func drop(_ csv: String, _ name: String, at time: String) throws {
            let feed = loaded.parser.parse(bytes: Array(csv.utf8), file: name, partner: "childrens-services")
            let source = Ingestor.Source(
                partner: "childrens-services", name: name, label: "childrens-services/\(name)", receipt: true)
            _ = try ingestor.ingest(feed, from: source, receivedAt: time, date: date)
        }
        // 70% a year before 59%, then the cohort of 100 it is of: within chance (p 0.052).
        try drop(
            "indicator,period,value\nlac.placement_stability_pct,2012-03,70\nlac.placement_stability_pct,2013-03,59\n",
            "stability.csv", at: "2013-04-30T09:00:00Z")
        try drop(
            "indicator,period,value\nlac.placement_stability_cohort,2012-03,100\nlac.placement_stability_cohort,2013-03,100\n",
            "cohort.csv", at: "2013-04-30T10:00:00Z")
        let receipts = try store.pendingOutbox(kinds: [Effect.receipt.rawValue]).map(\.item.payload)
        #expect(receipts.count == 2)
        let cohort = receipts.last ?? ""
        #expect(cohort.contains("cohort.csv"))
        #expect(cohort.contains("RETRACTED"), "\(cohort)")
        #expect(cohort.contains("Looked-after children placement stability (length of placement), percent, March 2013"))
    }
}
