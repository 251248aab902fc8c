import Foundation
import Testing
import VigilConfiguration
import VigilCore

/// The shipped catalogue against what other boards' returns hold (review helper-23: a board's
/// own data, not the 2012/13 replay's).
@Suite struct ShippedCatalogueTests {
    /// The DfE children in need census counts unborn children on plans in its age table; the
    /// catalogue had no `unborn` age band, so a board could not send that row, and without it
    /// `cp-breakdowns-sum` fired at every snapshot ("sums to 598 but the total is 612").
    @Test func unbornChildrenOnPlansCanBeSentByAge() throws {
        let loaded = try ConfigurationLoader.load(path: Repo.config)
        let csv = """
            indicator,period,value,age_band
            cp.plans,2014-06-30,612,
            cp.plans,2014-06-30,14,unborn
            cp.plans,2014-06-30,71,under_1
            cp.plans,2014-06-30,3,toddler

            """
        let feed = loaded.parser.parse(bytes: Array(csv.utf8), file: "cp.csv", partner: "childrens-services")
        // Only the band that is no band is refused, named with its article.
        #expect(
            feed.errors.map(\.description) == [
                "cp.csv:5:23: error[feed.dimension]: the cell (7 characters, not shown) is not an age_band; expected one of: unborn, under_1, 1_to_4, 5_to_9, 10_to_15, 16_plus"
            ])
    }
}
