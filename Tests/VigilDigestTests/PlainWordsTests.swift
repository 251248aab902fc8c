import Testing
import VigilCore

@testable import VigilDigest

/// A chair reads months, not codes: a rule's words in the paper name periods as the report
/// does, and its acronyms are explained wherever the paper uses them (review helper-54).
@Suite struct PlainWordsTests {
    @Test func periodCodesInARulesWordsReadAsAPaperWritesThem() {
        let spike =
            "47 against a baseline mean of 13 (sd 7.1, 7 values 2011-08–2012-02, dispersion 3.0 from 23 values): 4.8 sd above"
        #expect(
            PlainWords.periods(in: spike)
                == "47 against a baseline mean of 13 (sd 7.1, 7 values August 2011–February 2012, dispersion 3.0 from 23 values): 4.8 sd above"
        )
        #expect(PlainWords.periods(in: "due by 2012-06-14 (2012/13-H1)") == "due by 14 June 2012 (Apr–Sep 2012)")
        #expect(PlainWords.periods(in: "2013-Q1 against 2012/13") == "Q1 2013 against 2012/13")
        // Not inside a longer run: an id, a number, a version or a file name keep their text.
        let kept = "rule v2012-03, 12012-03, 2012-034, 2012-03a, x_2012-03, 2012-13, 2012-00 and 1,2012-03"
        #expect(
            PlainWords.periods(in: kept)
                == "rule v2012-03, 12012-03, 2012-034, 2012-03a, x_2012-03, 2012-13, 2012-00 and 1,March 2012")
        // A code its label follows is said once.
        #expect(
            PlainWords.periods(in: "no value for 2012-04 (April 2012): due by 2012-06-14")
                == "no value for April 2012: due by 14 June 2012")
        // A full stop after a code ends the sentence (review helper-55).
        #expect(PlainWords.periods(in: "due by 2012-06-14.") == "due by 14 June 2012.")
        #expect(PlainWords.periods(in: "see 2012-06.1 and 2012-06.x") == "see 2012-06.1 and 2012-06.x")
        #expect(PlainWords.periods(in: "") == "")
        #expect(PlainWords.periods(in: "2012-03") == "March 2012")
    }

    @Test func theWhyLineAndTheGlossaryReadAsAChairWould() throws {
        let rules = """
            rules:
              - {id: missing-up, kind: change, indicator: m.count, priority: 2, params: {compare: previous, percent: 10, direction: up}, action: "Ask the IDVA service and SafeLives."}
            """
        // A board's own words keep their text: a title may write a financial year `2011-12`.
        let catalogue = DigestTests.catalogueYAML.replacingOccurrences(
            of: "title: \"Missing <script>alert(1)</script>\"", with: "title: \"Missing (2011-12 basis)\"")
        #expect(catalogue != DigestTests.catalogueYAML)
        let w = try DigestTests().world(catalogue: catalogue, rules: rules, seed: false)
        try w.ingest("police", "indicator,period,value\nm.count,2012-12,10\nm.count,2013-01,12\n", "m.csv")
        let digest = try w.digest(.recorded(since: nil))
        let item = try #require(digest.sections.flatMap(\.items).first)
        // The journal's words keep the code; the paper's say the month.
        #expect(item.evidence.message.hasSuffix("12 against 10 at the previous period (2012-12)"))
        #expect(item.explanation(digest.control).hasSuffix("12 against 10 at the previous period (December 2012)"))
        #expect(item.explanation(digest.control).hasPrefix("Missing (2011-12 basis), January 2013: "))
        let glossary = digest.glossary
        #expect(glossary.contains("IDVA: Independent Domestic Violence Adviser"))
        #expect(glossary.contains("\"SafeLives\" is the national domestic abuse charity"))
        #expect(!glossary.contains("CDOP"))
    }
}
