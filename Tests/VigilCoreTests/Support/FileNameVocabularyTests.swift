import Foundation
import Testing

@testable import VigilCore

/// Which partner file names the journal may show (review helper-17: a name can carry a child's
/// name or reference, and the journal is read by more people than the partner).
struct FileNameVocabularyTests {
    static let vocabulary = FileNameVocabulary(
        catalogue: Catalogue(
            priorities: [], partners: [Partner(id: "childrens-services", name: "Children's Services")],
            dimensions: [Dimension(id: "category", title: "Category", values: ["neglect", "not_stated"])],
            indicators: [
                Indicator(id: "missing.incidents", title: "Missing", periodicity: .month),
                Indicator(id: "cp.plans", title: "Plans", periodicity: .snapshot),
            ]))

    @Test(arguments: [
        "missing-2013-04.csv", "cp_plans 2012-13.csv", "Missing incidents April 2013 (revised).CSV", "cp-plans-2013-04-30.json",
        "childrens-services-cp-plans-Q1.csv", "missing.csv", "missing May 2013.csv", "missing 2013 May.csv",
        "missing April to June 2013.csv", "missing April 2012 to March 2013.csv", "category-2013-03.csv",
        "missing 2012-13 April.csv",
    ])
    func namesOfTheCataloguesWordsAndDatesAreShown(name: String) {
        #expect(Self.vocabulary.allows(name))
        #expect(Self.vocabulary.shown(name, sha256: "ab") == name)
    }

    @Test(arguments: [
        "Jane Smith CHILD-REF-601.csv",  // a name and a reference
        "missing-601234.csv",  // a number that is no date
        "cp-12-34-56.csv",  // 34 and 56 are no month or day
        "missing-2013-04-30-07.csv",  // four numbers spell more than a date
        "missing-1850.csv",  // not a year of these returns
        "missing-Zoë.csv",  // not plain ASCII
        "missing\u{1B}[2J.csv", "",
        // Review helper-30: a first name that is a month, a surname, a date of birth.
        "May White 2009-03-14 missing.csv",
        "June 2009-03-14 missing.csv",  // a month and a whole date: a first name and a birth date
        "missing May.csv",  // a month that is a first name, with no year
        "missing May cp plans 2013.csv",  // not beside a number, a month, to or and
        "extract 20090314 199912.csv",  // six or eight digits: a person id's shape
        "cp-plans-201303.csv", "neglect-2013-04-30.json",  // a dimension value is no longer a word
        "missing white 2013.csv",  // a catalogue word that is a surname
        "May 14 2009 missing.csv",  // a month, a day and a year: a first name and a birth date (helper-32)
    ])
    func otherNamesAreNotShown(name: String) {
        #expect(!Self.vocabulary.allows(name))
    }

    /// The vocabulary of the shipped catalogue.
    static func shipped() throws -> FileNameVocabulary {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let yaml = try String(contentsOf: repo.appendingPathComponent("config/catalogue.yaml"), encoding: .utf8)
        return FileNameVocabulary(catalogue: try Catalogue.parse(yaml: yaml, file: "catalogue.yaml"))
    }

    @Test func aNameNotShownIsNamedByItsHash() {
        let sha = "1517db4b4bae991183415177035169e3cb068cebc48236f6ea65a48e0d1decd3"
        #expect(Self.vocabulary.shown("Jane Smith.csv", sha256: sha) == "(name not shown, SHA-256 1517db4b4bae)")
        #expect(Self.vocabulary.shown("Jane Smith.csv", sha256: "") == "(name not shown)")
        #expect(!Self.vocabulary.allows(String(repeating: "missing-", count: 16) + ".csv"))
    }

    /// Review helper-30's names against the shipped catalogue, whose dimension values and
    /// indicator ids held `white`, `young`, `north`…: refused; the returns' own names still shown.
    @Test func theShippedCataloguesVocabularyRefusesNamesAndBirthDates() throws {
        let shipped = try Self.shipped()
        for name in [
            "May White 2009-03-14 missing.csv", "White May 2009 missing.csv", "police young north.csv",
            "England June 2013 missing.csv",
        ] {
            #expect(!shipped.allows(name), "\(name)")
        }
        for name in ["missing-incidents-2013-04.csv", "police extract April 2013.csv", "cp plans 2013-03-31.csv"] {
            #expect(shipped.allows(name), "\(name)")
        }
    }

    /// Review helper-51: initials beside a whole date (a child's initials and date of birth) were
    /// shown, as single letters and two-letter words are vocabulary (`q`, `h`, `da`, `cp`). Beside
    /// a day, a word of one or two letters counts only as the start of an indicator id spelt out
    /// in the name (`cp plans 2013-03-31`).
    @Test func initialsBesideAWholeDateAreNotShown() throws {
        let shipped = try Self.shipped()
        for name in [
            "S K 2009-03-14.csv", "K.S. 14 03 2009.csv", "DA 2009-03-14 missing.csv", "cp 2009 12 31.csv", "S K14 03 2009.csv",
            "v 2009-03-14.csv",
            // Review helper-52: a day after a year is no year's span; labels past one carry digits.
            "S K March 2009 14.csv", "S K Mar 2009-14.csv", "q1 h2 v3 q4 h5 v6 q7 h8 v9 2009-03-14.csv", "v1 v2 v3 v4.csv",
        ] {
            #expect(!shipped.allows(name), "\(name)")
        }
        for name in [
            "cp-plans-2013-03-31.csv", "da crimes 2013-03-31.csv", "missing Q1 2013.csv", "cp plans 2012-13 v2.csv",
            "missing 2012-13 Q1.csv", "cp-plans-2013-03-31 v2.csv",
        ] {
            #expect(shipped.allows(name), "\(name)")
        }
    }

    /// helper-51's leftover: initials beside a month and year (a child's initials and month of
    /// birth: `S K 2009-03`, `S K March 2009`) were shown. Beside a year with a month, as beside a
    /// whole date, a word of one or two letters counts only as the start of an indicator id
    /// spelt out in the name; a year alone or a financial year's span (`2012-13`) is no month.
    @Test func initialsBesideAMonthAndYearAreNotShown() throws {
        let shipped = try Self.shipped()
        for name in [
            "S K 2009-03.csv", "S K March 2009.csv", "DA 2009-03 missing.csv", "S K 03 2009.csv", "sk mar 2009.csv",
            "missing 2009-03 S K.csv", "TO 2009-03.csv",
            // Review helper-56: a span's second part of 12 or less is a month; two short numbers
            // are a month and a year, or a day and a month.
            "S K 2009-10.csv", "S K 2008-09.csv", "S K 03 09.csv", "S K 09-03.csv", "S K 14 3.csv",
        ] {
            #expect(!shipped.allows(name), "\(name)")
        }
        for name in [
            "cp plans 2013-03.csv", "da crimes March 2013.csv", "missing Q1 2013.csv", "cp plans 2012-13.csv",
            "missing-2013-04.csv", "police extract April 2013.csv", "missing April to June 2013.csv",
            "missing April 2012 to March 2013.csv", "missing 2013-03 in care.csv", "cp plans 2013-03 by category.csv",
            "cp plans 2012-13.csv",
        ] {
            #expect(shipped.allows(name), "\(name)")
        }
    }
}
