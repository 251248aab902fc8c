import Foundation
import Testing
import VigilConfiguration
import VigilCore
import VigilStore

/// Record-level extracts through the shipped definitions, checked against hand-computed tables.
@Suite struct RecordFeedTests {
    static let loaded: LoadedConfiguration = try! ConfigurationLoader.load(path: Repo.config)

    private func parse(_ csv: String, partner: String) -> ParsedFeed {
        Self.loaded.parser.parse(bytes: Array(csv.utf8), file: "x.csv", partner: partner)
    }

    private func table(_ feed: ParsedFeed, _ indicator: String) -> [String] {
        feed.observations.filter { $0.series.indicator == indicator }.map {
            "\($0.period) \($0.series.breakdown.key) \($0.value)"
        }.sorted()
    }

    static let header = "episode_id,child_ref,reported_at,returned_at,in_care,age,sex,locality,source\n"

    /// Child A: 3 episodes in April 2012 + 1 in May; B (in care): 1 in April, 1 in May; C (in care): 10 in June;
    /// D: 1 in March 2013 and 1 in April 2013 (the next financial year).
    static var missing: String {
        var rows: [String] = []
        var n = 0
        func add(_ child: String, _ at: String, _ care: String) {
            n += 1
            rows.append("E\(n),\(child),\(at),,\(care),14,F,\"North, West & Rural\",police")
        }
        for d in ["01", "10", "20"] { add("A", "2012-04-\(d)T10:00:00", "N") }
        add("A", "2012-05-02T10:00", "N")
        add("B", "2012-04-05T23:59:59Z", "Y")
        add("B", "2012-05-06", "Y")
        for d in 1...10 { add("C", "2012-06-\(d < 10 ? "0" : "")\(d)T08:00:00+01:00", "Y") }
        add("D", "2013-03-31T12:00:00", "N")
        add("D", "2013-04-01T00:00:00", "N")
        return header + rows.joined(separator: "\r\n") + "\r\n"
    }

    @Test func missingEpisodesGiveTheReportsTables() {
        let feed = parse(Self.missing, partner: "police")
        #expect(feed.errors.isEmpty, "\(feed.errors)")
        #expect(feed.rows == 18)
        #expect(table(feed, "missing.incidents") == ["2012-04  4", "2012-05  2", "2012-06  10", "2013-03  1", "2013-04  1"])
        #expect(table(feed, "missing.individuals") == ["2012-04  2", "2012-05  2", "2012-06  1", "2013-03  1", "2013-04  1"])
        #expect(table(feed, "missing.incidents_in_care") == ["2012-04  1", "2012-05  1", "2012-06  10"])
        #expect(table(feed, "missing.individuals_in_care") == ["2012-04  1", "2012-05  1", "2012-06  1"])
        // 2012/13: A has 4 episodes, B 2, C 10, D 1 → buckets 1:1, 2:1, 4:1, 10+:1; 4 children.
        let distribution = table(feed, "missing.individuals_by_incident_count").filter {
            $0.hasPrefix("2012/13") && !$0.hasSuffix(" 0")
        }
        #expect(
            distribution == [
                "2012/13  4", "2012/13 incident_count=1 1", "2012/13 incident_count=10_plus 1", "2012/13 incident_count=2 1",
                "2012/13 incident_count=4 1",
            ])
        #expect(
            table(feed, "missing.individuals_by_incident_count").filter { $0.hasPrefix("2013/14") && !$0.hasSuffix(" 0") } == [
                "2013/14  1", "2013/14 incident_count=1 1",
            ])
    }

    @Test func streamingInSmallChunksGivesTheSameResult() {
        let bytes = Array(Self.missing.utf8)
        var offset = 0
        let streamed = Self.loaded.parser.parse(file: "x.csv", partner: "police") {
            guard offset < bytes.count else { return nil }
            let end = min(bytes.count, offset + 7)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
        let whole = parse(Self.missing, partner: "police")
        #expect(streamed.sha256 == whole.sha256)
        #expect(streamed.observations == whole.observations)
    }

    @Test func childProtectionPlanRecords() {
        let csv = """
            child_ref,plan_start,plan_end,category,previous_plan
            K0,2010-06-01,2012-04-15,neglect,N
            K1,2011-01-10,2013-02-01,neglect,N
            K2,2012-04-20,,neglect,Y
            K3,2012-06-30,2012-09-30,physical,N
            K4,2012-07-01,2012-12-31,emotional,N
            K5,2013-03-31,,sexual,Y

            """
        let feed = parse(csv, partner: "childrens-services")
        #expect(feed.errors.isEmpty, "\(feed.errors)")
        // Active at each quarter end: start ≤ date and (no end, or end > date). The extract covers
        // whole periods from April 2012, where its runs of ends and of starts begin (K0's end,
        // K2's start; earlier starts are more than a year before): no snapshot before, and no new
        // plans for 2010/11 (`RecordAggregator+Coverage`).
        #expect(
            table(feed, "cp.plans").filter { !$0.contains("=") } == [
                "2012-06-30  3", "2012-09-30  3", "2012-12-31  2", "2013-03-31  2",
            ])
        #expect(
            table(feed, "cp.plans").filter { $0.hasPrefix("2012-09-30") } == [
                "2012-09-30  3", "2012-09-30 category=emotional 1", "2012-09-30 category=neglect 2",
            ])
        #expect(table(feed, "cp.new_plans") == ["2012/13  4"])
        #expect(table(feed, "cp.new_plans_repeat") == ["2012/13  2"])
        #expect(table(feed, "cp.plans_ended") == ["2012/13  4"])
        #expect(table(feed, "cp.plans_ended_2yrs_plus") == ["2012/13  1"])
    }

    /// Review helper-25: an extract of the plans open at 31 March 2024 and those ended since
    /// January still lists plans begun in 2019. Counted as complete, it rewrote five years of
    /// snapshots and new-plan counts in a store. It speaks only for whole periods from January
    /// 2024 (its earliest end) to the evaluation date: the snapshot of 31 March.
    @Test func aPartialPlanExtractSpeaksOnlyForTheWholePeriodsItCovers() {
        let csv = """
            child_ref,plan_start,plan_end,category,previous_plan
            P1,2019-05-01,,neglect,N
            P2,2021-02-01,,physical,Y
            P3,2023-11-20,2024-01-15,neglect,N
            P4,2022-03-01,2024-03-02,emotional,N
            P5,2024-02-10,,neglect,N
            P6,2024-03-31,,sexual,N

            """
        var parser = Self.loaded.parser
        parser.evaluationDate = CivilDate(year: 2024, month: 4, day: 25)
        let feed = parser.parse(bytes: Array(csv.utf8), file: "x.csv", partner: "childrens-services")
        #expect(feed.errors.isEmpty, "\(feed.errors)")
        #expect(
            table(feed, "cp.plans") == [
                "2024-03-31  4", "2024-03-31 category=neglect 2", "2024-03-31 category=physical 1",
                "2024-03-31 category=sexual 1",
            ])
        #expect(Set(feed.observations.map(\.series.indicator)) == ["cp.plans"])
        // Only open plans, nothing ended: it speaks for its latest month only (no quarter end yet).
        let open = parser.parse(
            bytes: Array(
                "child_ref,plan_start,plan_end,category,previous_plan\nP1,2019-05-01,,neglect,N\nP6,2024-03-31,,sexual,N\n".utf8),
            file: "y.csv", partner: "childrens-services")
        #expect(table(open, "cp.plans") == ["2024-03-31  2", "2024-03-31 category=neglect 1", "2024-03-31 category=sexual 1"])
        #expect(Set(open.observations.map(\.series.indicator)) == ["cp.plans"])
    }

    /// Review helper-25: a month's police extract gave the whole financial year's repeat-missing
    /// table (May's file revised April's 134 to 123), and one run on 3 May stored May as 2. A
    /// month is counted once it has ended, and a year only from an extract of the whole year.
    @Test func aMonthsPoliceExtractGivesThatMonthOnly() {
        func episodes(_ days: [String]) -> String {
            Self.header
                + days.enumerated().map { "E\($0.offset),C\($0.offset % 3),\($0.element)T10:00,,N,14,F,North,police\n" }.joined()
        }
        var parser = Self.loaded.parser
        parser.evaluationDate = CivilDate(year: 2023, month: 6, day: 20)
        let may = parser.parse(
            bytes: Array(episodes(["2023-05-02", "2023-05-09", "2023-05-30"]).utf8), file: "may.csv", partner: "police")
        #expect(may.errors.isEmpty, "\(may.errors)")
        #expect(table(may, "missing.incidents") == ["2023-05  3"])
        #expect(table(may, "missing.individuals") == ["2023-05  3"])
        #expect(table(may, "missing.individuals_by_incident_count").isEmpty)
        // Run on 3 May: May has not ended.
        parser.evaluationDate = CivilDate(year: 2023, month: 5, day: 3)
        let early = parser.parse(
            bytes: Array(episodes(["2023-04-28", "2023-05-01", "2023-05-02"]).utf8), file: "early.csv", partner: "police")
        #expect(table(early, "missing.incidents") == ["2023-04  1"])
        // The whole year, sent after it ended: the year's table.
        parser.evaluationDate = CivilDate(year: 2024, month: 4, day: 10)
        let year = parser.parse(
            bytes: Array(episodes(["2023-04-01", "2023-07-15", "2024-03-31", "2024-04-02"]).utf8), file: "year.csv",
            partner: "police")
        #expect(
            table(year, "missing.individuals_by_incident_count").filter { !$0.hasSuffix(" 0") } == [
                "2023/24  3", "2023/24 incident_count=1 3",
            ])
    }

    /// Review helper-26: one back-dated row (an episode recorded a year late) widened the
    /// coverage back to its month, so May's extract rewrote April 2012 and the whole of 2012/13. A
    /// date more than a year before the rest of its column does not widen it. And a period must
    /// have ended before the evaluation date: a run on 31 May gives no May, and no snapshot is
    /// dated on or after the evaluation date (the grace day gave one).
    @Test func aBackDatedRowDoesNotWidenTheCoverage() {
        func episodes(_ days: [String]) -> [UInt8] {
            Array(
                (Self.header
                    + days.enumerated().map { "E\($0.offset),C\($0.offset % 4),\($0.element)T10:00,,N,14,F,North,police\n" }
                    .joined()).utf8)
        }
        let may = ["2013-05-02", "2013-05-09", "2013-05-16", "2013-05-23", "2013-05-30"]
        var parser = Self.loaded.parser
        parser.evaluationDate = CivilDate(year: 2013, month: 6, day: 4)
        let late = parser.parse(bytes: episodes(may + ["2012-04-20"]), file: "may.csv", partner: "police")
        #expect(late.errors.isEmpty, "\(late.errors)")
        #expect(table(late, "missing.incidents") == ["2013-05  5"])
        #expect(table(late, "missing.individuals_by_incident_count").isEmpty)
        parser.evaluationDate = CivilDate(year: 2013, month: 5, day: 31)
        #expect(table(parser.parse(bytes: episodes(may), file: "may.csv", partner: "police"), "missing.incidents").isEmpty)
        parser.evaluationDate = CivilDate(year: 2013, month: 3, day: 30)
        let plans = parser.parse(
            bytes: Array(
                "child_ref,plan_start,plan_end,category,previous_plan\nC1,2012-05-01,2013-01-20,neglect,N\nC3,2013-03-31,,neglect,N\n"
                    .utf8), file: "plans.csv", partner: "childrens-services")
        #expect(plans.errors.isEmpty, "\(plans.errors)")
        #expect(table(plans, "cp.plans").isEmpty)
    }

    /// Review: with a breakdown column declared `required: false`, a blank cell in an `active`
    /// output took the previous row's value (or value 0 of an empty list, which trapped: each such
    /// file cost vigild two restarts). A blank breakdown cell counts in the total only, on both
    /// lanes.
    @Test func aBlankOptionalBreakdownInAnActiveOutputCountsInTheTotalOnly() throws {
        let root = try Repo.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.copyItem(atPath: Repo.root + "/config", toPath: root + "/config")
        let definition = root + "/config/records.d/childrens-services-cp-plans.yaml"
        let text = try String(contentsOfFile: definition, encoding: .utf8)
        let optional = text.replacingOccurrences(
            of: "category: {type: enum, values: [neglect, physical, sexual, emotional, multiple]}",
            with: "category: {type: enum, values: [neglect, physical, sexual, emotional, multiple], required: false}")
        #expect(optional != text)
        try optional.write(toFile: definition, atomically: true, encoding: .utf8)
        let loaded = try ConfigurationLoader.load(path: root + "/config/vigil.yaml")
        // Z, ended in January, makes the extract cover 2012 from January (`RecordAggregator+Coverage`).
        let header = "child_ref,plan_start,plan_end,category,previous_plan\nZ,2011-12-01,2012-01-10,neglect,N\n"
        let first = header + "A,2012-01-01,2012-05-01,,N\n"
        let second = header + "B,2012-01-01,,neglect,N\nA,2012-01-01,2012-05-01,,N\n"
        for csv in [first, second] {
            // One lane, then two (the second lane gets the last row).
            for segment in [nil, 40] as [Int?] {
                var parser = loaded.parser
                parser.parallelRecords = segment != nil
                parser.recordSegmentBytes = segment ?? 1
                let bytes = Array(csv.utf8)
                var offset = 0
                let feed = parser.parse(file: "x.csv", partner: "childrens-services") {
                    guard offset < bytes.count else { return nil }
                    defer { offset += 16 }
                    return Array(bytes[offset..<min(bytes.count, offset + 16)])
                }
                #expect(feed.errors.isEmpty, "\(feed.errors)")
                let march = table(feed, "cp.plans").filter { $0.hasPrefix("2012-03-31") }
                #expect(
                    march == (csv == first ? ["2012-03-31  1"] : ["2012-03-31  2", "2012-03-31 category=neglect 1"]),
                    "segment \(String(describing: segment))")
            }
        }
    }

    @Test func hostileRecordsAreRejectedWithLineAndColumnAndNoIdentifierEchoed() {
        let csv =
            Self.header + """
                E1,SECRET-CHILD-1,2012-02-30T10:00,,N,14,F,South,police
                E2,SECRET-CHILD-2,2012-04-01T25:00,,maybe,14,F,South,police
                E3,,2012-04-01,,Y,14,F,South,police
                E4,SECRET-CHILD-4,2012-04-01,,Y,fourteen,X,South,police
                E5,SECRET-CHILD-5,2012-04-01
                """
        let feed = parse(csv, partner: "police")
        #expect(
            feed.errors.map(\.description) == [
                "x.csv:2:19: error[feed.value]: a value of 16 characters (not shown) is not a date-time; expected YYYY-MM-DDThh:mm[:ss] (or YYYY-MM-DD) in reported_at",
                "x.csv:3:19: error[feed.value]: a value of 16 characters (not shown) is not a date-time; expected YYYY-MM-DDThh:mm[:ss] (or YYYY-MM-DD) in reported_at",
                "x.csv:3:37: error[feed.value]: a value of 5 characters (not shown) is not a yes/no value; expected Y or N in in_care",
                "x.csv:4:4: error[feed.value]: child_ref is blank; every row needs an identifier",
                "x.csv:5:33: error[feed.value]: a value of 8 characters (not shown) is not a whole number in age",
                "x.csv:5:42: error[feed.value]: a value of 1 character (not shown) is not one of M, F, U in sex",
                "x.csv:6:1: error[feed.syntax]: row has 3 fields; expected 9 as in the header",
            ])
        #expect(feed.observations.isEmpty)
        #expect(!feed.errors.map(\.description).joined().contains("SECRET"))
    }

    /// A value's length is told in characters, as in an aggregate file's errors (review
    /// helper-17: record-level errors counted bytes, so `ñ` was "2 characters").
    @Test func aValuesLengthIsCountedInCharacters() {
        let feed = parse(Self.header + "E1,SECRET-CHILD-1,2012-04-01,,ñ,14,Ëë,South,police\n", partner: "police")
        let messages = feed.errors.map(\.message)
        #expect(messages.contains("a value of 1 character (not shown) is not a yes/no value; expected Y or N in in_care"))
        #expect(messages.contains("a value of 2 characters (not shown) is not one of M, F, U in sex"), "\(messages)")
    }

    /// A whole number beyond 10^12 is no possible value, as in an aggregate file: sums over such
    /// cells would pass the bound every stored value keeps (`ObservedValue.largestMagnitude`).
    @Test func aWholeNumberBeyondTheLargestValueIsRejected() {
        let csv =
            Self.header + """
                E1,C1,2012-04-01,,Y,999999999999999999,F,South,police
                E2,C2,2012-04-01,,Y,-1000000000001,F,South,police
                E3,C3,2012-04-01,,Y,1000000000000,F,South,police
                """
        let feed = parse(csv, partner: "police")
        #expect(
            feed.errors.map(\.description) == [
                "x.csv:2:21: error[feed.value]: a value of 18 characters (not shown) is larger than 1000000000000 in age; no value may be",
                "x.csv:3:21: error[feed.value]: a value of 14 characters (not shown) is larger than 1000000000000 in age; no value may be",
            ])
    }

    @Test func misalignedColumnsNeverEchoAChildReference() {
        // child_ref shifted into reported_at and in_care: the errors name the columns, never the values.
        let csv = Self.header + "E1,2012-04-01,CHILD-REF-12345,,CHILD-REF-99,14,F,South,police\n"
        let feed = parse(csv, partner: "police")
        #expect(feed.errors.count == 2)
        #expect(!feed.errors.map(\.description).joined().contains("CHILD-REF"))
    }

    @Test func datesOutsideTheCalendarWeKeepAndPlansEndingBeforeTheyStart() {
        let plans =
            "child_ref,plan_start,plan_end,category,previous_plan\nK1,0001-01-01,,neglect,N\nK2,2012-05-01,2012-04-01,neglect,N\n"
        let feed = parse(plans, partner: "childrens-services")
        #expect(
            feed.errors.map(\.description) == [
                "x.csv:2:4: error[feed.value]: a value of 10 characters (not shown) is not a date; expected YYYY-MM-DD in plan_start",
                "x.csv:3:15: error[feed.value]: plan_end is before plan_start; a period cannot end before it starts",
            ])
        let blankRef = parse(Self.header + "E1,  ,2012-04-01,,N,,,,\n", partner: "police")
        #expect(blankRef.errors.map(\.message) == ["child_ref is blank; every row needs an identifier"])
    }

    /// Ten NUL bytes in a date column matched the date cache's empty slots (zero marks a slot
    /// never filled) and were read as day 0, 1 January 1970: the file was accepted with a plan in
    /// 1969/70. Any bytes that are not a date are an error, in a date or a date-time column, on
    /// the first row or after real dates.
    @Test func zeroBytesInADateColumnAreNotTheFirstDayOfTheCache() {
        let nul = String(repeating: "\u{0}", count: 10)
        let plans = "child_ref,plan_start,plan_end,category,previous_plan\nK1,2012-05-01,,neglect,N\nK2,\(nul),,neglect,N\n"
        let feed = parse(plans, partner: "childrens-services")
        #expect(
            feed.errors.map(\.description) == [
                "x.csv:3:4: error[feed.value]: a value of 10 characters (not shown) is not a date; expected YYYY-MM-DD in plan_start"
            ])
        #expect(feed.observations.isEmpty)
        let first = parse(
            "child_ref,plan_start,plan_end,category,previous_plan\nK2,\(nul),,neglect,N\n", partner: "childrens-services")
        #expect(first.errors.count == 1)
        let episodes = parse(Self.header + "E1,C1,\(nul)T10:00,,N,,,,\n", partner: "police")
        #expect(
            episodes.errors.map(\.message).first?.hasSuffix(
                "is not a date-time; expected YYYY-MM-DDThh:mm[:ss] (or YYYY-MM-DD) in reported_at") == true)
    }

    /// Category values of up to 8 bytes are interned through a cache keyed by their packed bytes
    /// and length; longer ones by hash. A value that packs like an allowed one (a trailing NUL) or
    /// shares its first bytes is still not that value, and an invalid value is reported on every
    /// row it is on, before and after the valid ones are cached.
    @Test func categoryValuesAreInternedExactlyWhateverTheirLength() {
        let rows = [
            "neglec", "neglect", "emotional", "neglect\u{0}", "neglect", "multiple", "emotional", "neglectt", "multiple",
            "neglec", "physical",
        ]
        var csv = "child_ref,plan_start,plan_end,category,previous_plan\n"
        // The physical plan's end is the latest date, so the snapshot of 30 June is in the file.
        for (n, category) in rows.enumerated() {
            csv += "K\(n),2012-05-01,\(category == "physical" ? "2012-07-01" : ""),\(category),N\n"
        }
        // A plan ended in April: the extract covers 2012 from April (`RecordAggregator+Coverage`).
        csv += "Z,2012-04-01,2012-04-02,neglect,N\n"
        let feed = parse(csv, partner: "childrens-services")
        #expect(feed.errors.map { "\($0.location?.line ?? 0):\($0.location?.column ?? 0)" } == ["2:16", "5:16", "9:16", "11:16"])
        #expect(
            feed.errors.allSatisfy {
                $0.message.hasSuffix("is not one of neglect, physical, sexual, emotional, multiple in category")
            })
        let valid = parse(
            csv.split(separator: "\n").enumerated().filter { ![1, 4, 8, 10].contains($0.offset) }.map { $0.element + "\n" }
                .joined(), partner: "childrens-services")
        #expect(valid.errors.isEmpty, "\(valid.errors)")
        #expect(
            table(valid, "cp.plans").filter { $0.hasPrefix("2012-06-30") } == [
                "2012-06-30  7", "2012-06-30 category=emotional 2", "2012-06-30 category=multiple 2",
                "2012-06-30 category=neglect 2", "2012-06-30 category=physical 1",
            ])
    }

    /// The date cache's slot is the year modulo 16, the month and the day: dates 16 years apart
    /// share a slot, and each evicts the other, never reads as the other.
    @Test func datesSixteenYearsApartShareACacheSlotButNotTheirDay() {
        let stamps = ["2000-04-10T09:00", "2016-04-10T09:00", "2000-04-10", "2016-04-10T23:00", "2016-04-10", "2032-04-10"]
        // An October row each year keeps the extract's run of months unbroken from 2000
        // (`RecordAggregator+Coverage`); only the Aprils are read.
        let october = (2000...2031).map { "\($0)-10-15" }
        let csv =
            Self.header
            + (stamps + october).enumerated().map { "E\($0.offset),C\($0.offset),\($0.element),,N,,,,\n" }.joined()
        let feed = parse(csv, partner: "police")
        #expect(feed.errors.isEmpty, "\(feed.errors)")
        #expect(
            table(feed, "missing.incidents").filter { $0.contains("-04 ") } == ["2000-04  2", "2016-04  3", "2032-04  1"])
    }

    /// Each output caches a day's cell as the day's low 32 bits above the cell's, and an empty
    /// entry is all ones: the high half of day -1 (31 December 1969). That day is counted like
    /// any other, not read from an empty entry.
    @Test func theDayBeforeTheEpochIsNotAnEmptyCacheEntry() {
        let csv = Self.header + "E1,C1,1969-12-31T10:00,,N,,,,\nE2,C2,1969-12-31,,Y,,,,\nE3,C1,1970-01-01,,N,,,,\n"
        let feed = parse(csv, partner: "police")
        #expect(feed.errors.isEmpty, "\(feed.errors)")
        #expect(table(feed, "missing.incidents") == ["1969-12  2", "1970-01  1"])
        #expect(table(feed, "missing.individuals") == ["1969-12  2", "1970-01  1"])
    }

    @Test func aPartnerMayOnlySendItsOwnExtract() {
        let feed = parse(Self.missing, partner: "childrens-services")
        #expect(
            feed.errors.map(\.description) == [
                "x.csv:1:1: error[feed.permission]: partner 'childrens-services' may not supply the 'police-missing-episodes' extract; it is police's"
            ])
    }

    @Test func recordLevelValuesRaiseTheSameAlertsAsAggregates() throws {
        // The report's monthly incidents, expanded to one row per episode (each child once a month).
        let months = [
            "2011-08": 9, "2011-09": 16, "2011-10": 19, "2011-11": 12, "2011-12": 4, "2012-01": 7, "2012-02": 24, "2012-03": 47,
        ]
        var rows: [String] = []
        for (month, count) in months.sorted(by: { $0.key < $1.key }) {
            for i in 0..<count { rows.append("E\(month)-\(i),C\(i),\(month)-15T12:00:00,,N,,,,") }
        }
        let feed = parse(Self.header + rows.joined(separator: "\n") + "\n", partner: "police")
        #expect(feed.errors.isEmpty)
        let store = try Store.inMemory()
        let engine = Engine(catalogue: Self.loaded.catalogue, rules: Self.loaded.rules)
        let outcome = try store.ingest(feed, receivedAt: "t", engine: engine, date: CivilDate(year: 2012, month: 4, day: 10)!)
        #expect(
            outcome.events.contains {
                $0.rule == "missing-incidents-spike" && $0.period == "2012-03" && $0.value == 47 && $0.event == .firing
            })
    }
}
