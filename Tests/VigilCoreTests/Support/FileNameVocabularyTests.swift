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
        "missing-2013-04.csv", "cp_plans 2012-13.csv", "Missing incidents April 2013 (revised).CSV", "neglect-20130430.json",
        "childrens-services-cp-plans-Q1.csv", "cp-plans-201303.csv", "missing.csv",
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
    ])
    func otherNamesAreNotShown(name: String) {
        #expect(!Self.vocabulary.allows(name))
    }

    @Test func aNameNotShownIsNamedByItsHash() {
        let sha = "1517db4b4bae991183415177035169e3cb068cebc48236f6ea65a48e0d1decd3"
        #expect(Self.vocabulary.shown("Jane Smith.csv", sha256: sha) == "(name not shown, SHA-256 1517db4b4bae)")
        #expect(Self.vocabulary.shown("Jane Smith.csv", sha256: "") == "(name not shown)")
        #expect(!Self.vocabulary.allows(String(repeating: "missing-", count: 16) + ".csv"))
    }
}
