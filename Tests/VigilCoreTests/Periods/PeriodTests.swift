import Testing

@testable import VigilCore

@Suite struct PeriodTests {
    @Test(arguments: [
        ("2013-03", Periodicity.month, "2013-03-01", "2013-03-31"),
        ("2013-Q1", .quarter, "2013-01-01", "2013-03-31"),
        ("2012/13", .financialYear, "2012-04-01", "2013-03-31"),
        ("2012/13-H1", .financialHalfYear, "2012-04-01", "2012-09-30"),
        ("2012/13-H2", .financialHalfYear, "2012-10-01", "2013-03-31"),
        ("2013-03-31", .snapshot, "2013-03-31", "2013-03-31"),
        ("2012-02-29", .snapshot, "2012-02-29", "2012-02-29"),
        ("1999/00", .financialYear, "1999-04-01", "2000-03-31"),
    ])
    func parsesEveryForm(text: String, periodicity: Periodicity, start: String, end: String) {
        let period = Period(parsing: text)
        #expect(period?.periodicity == periodicity)
        #expect(period?.start.description == start)
        #expect(period?.end.description == end)
        #expect(period?.description == text)
    }

    @Test(arguments: [
        "2013-13", "2013-00", "2013-Q5", "2012/14", "2012/13-H3", "2013-02-29", "13-03", "2013/3", "", "2013-3", "2013-03-1",
        "abcd-01", "2012/13-h1",
    ])
    func rejectsMalformedText(text: String) {
        #expect(Period(parsing: text) == nil)
    }

    @Test func previousNextAndLastYear() {
        #expect(Period(parsing: "2013-01")!.previous?.description == "2012-12")
        #expect(Period(parsing: "2012-12")!.next?.description == "2013-01")
        #expect(Period(parsing: "2013-Q1")!.previous?.description == "2012-Q4")
        #expect(Period(parsing: "2012/13-H1")!.previous?.description == "2011/12-H2")
        #expect(Period(parsing: "2012/13-H2")!.next?.description == "2013/14-H1")
        #expect(Period(parsing: "2013-03")!.sameLastYear.description == "2012-03")
        #expect(Period(parsing: "2012/13")!.sameLastYear.description == "2011/12")
        #expect(Period(parsing: "2012-02-29")!.sameLastYear.description == "2011-02-28")
        #expect(Period(parsing: "2013-03-31")!.previous == nil)
    }

    @Test func containmentAndOrder() {
        let fy = Period(parsing: "2012/13")!
        #expect(fy.contains(Period(parsing: "2013-03")!))
        #expect(fy.contains(Period(parsing: "2013-03-31")!))
        #expect(!fy.contains(Period(parsing: "2013-04")!))
        #expect(Period(parsing: "2012-03-31")! < Period(parsing: "2012-06-30")!)
        #expect(Period(parsing: "2012-05")! < Period(parsing: "2012-06")!)
    }

    @Test func labelsForPeople() {
        #expect(Period(parsing: "2013-03")!.label == "March 2013")
        #expect(Period(parsing: "2013-03-31")!.label == "31 March 2013")
        #expect(Period(parsing: "2011/12-H2")!.label == "Oct 2011–Mar 2012")
    }

    @Test func civilDateRoundTripsThroughDayNumbers() {
        for n in stride(from: -800_000, to: 800_000, by: 997) {
            let date = CivilDate(dayNumber: n)
            #expect(date.dayNumber == n)
        }
        #expect(CivilDate(year: 1970, month: 1, day: 1)!.dayNumber == 0)
        #expect(CivilDate(unixSeconds: 1_364_688_000).description == "2013-03-31")
    }
}
