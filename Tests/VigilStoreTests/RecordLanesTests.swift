import Foundation
import Testing
import VigilConfiguration
import VigilCore
import VigilStore

/// The two-core read of record-level extracts gives what the one-core read gives, for any cut and
/// any chunking: quoted newlines and commas, CRLF, cuts inside quoted fields and between CR and
/// LF, blank lines, categories met in a different order by each lane, errors on both lanes, and a
/// syntax error after several segments.
@Suite struct RecordLanesTests {
    static let loaded = RecordFeedTests.loaded

    /// The parse of `text` delivered in `chunk`-byte pieces, on one core or cut every `segment` bytes.
    private func parse(_ text: String, partner: String, chunk: Int, segment: Int?) -> ParsedFeed {
        var parser = Self.loaded.parser
        parser.parallelRecords = segment != nil
        parser.recordSegmentBytes = segment ?? 1
        let bytes = Array(text.utf8)
        var offset = 0
        return parser.parse(file: "x.csv", partner: partner) {
            guard offset < bytes.count else { return nil }
            defer { offset += chunk }
            return Array(bytes[offset..<min(bytes.count, offset + chunk)])
        }
    }

    /// Everything a caller sees of a parse, as text.
    private func summary(_ feed: ParsedFeed) -> [String] {
        ["rows \(feed.rows), errors \(feed.errorCount), feed \(feed.recordFeed ?? "-")"]
            + feed.errors.map(\.description)
            + feed.observations.map { "\($0.series.indicator) \($0.period) \($0.series.breakdown.key) \($0.value)" }
    }

    /// Checks every segment size and chunking against the one-core read, and returns that read.
    @discardableResult
    private func agree(_ text: String, partner: String) -> ParsedFeed {
        let expected = parse(text, partner: partner, chunk: 1 << 20, segment: nil)
        for chunk in [1, 3, 17, 64, 1 << 20] {
            for segment in [1, 5, 40, 300, 1 << 20] {
                let parallel = parse(text, partner: partner, chunk: chunk, segment: segment)
                #expect(summary(parallel) == summary(expected), "chunk \(chunk), segment \(segment)")
            }
        }
        return expected
    }

    /// Missing episodes with quoted localities holding commas, quotes and line breaks, CRLF line
    /// ends on some rows and blank lines between others.
    static func missing(rows: Int, seed: UInt64 = 7, bad: Set<Int> = []) -> String {
        var rng = SplitMix64(seed: seed)
        let localities = ["\"North, West & Rural\"", "\"Central\r\nand East\"", "South", "\"The \"\"Old\"\" Town\nWard\"", ""]
        var text = "episode_id,child_ref,reported_at,returned_at,in_care,age,sex,locality,source\r\n"
        for i in 1...rows {
            let month = 1 + Int(rng.next() % 12)
            let day = 1 + Int(rng.next() % 28)
            let date = bad.contains(i) ? "2012-13-01" : "2012-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
            let care = rng.next() % 3 == 0 ? "Y" : "N"
            let sex = ["M", "F", "U", ""][Int(rng.next() % 4)]
            let locality = localities[Int(rng.next() % UInt64(localities.count))]
            let end = rng.next() % 4 == 0 ? "\r\n" : "\n"
            text += "E\(i),C\(rng.next() % 40),\(date)T10:00,,\(care),\(rng.next() % 18),\(sex),\(locality),police\(end)"
            if rng.next() % 10 == 0 { text += "\n" }
        }
        return text
    }

    @Test func episodesAgreeForEveryCutAndChunking() {
        let feed = agree(Self.missing(rows: 120), partner: "police")
        #expect(feed.errors.isEmpty)
        #expect(feed.rows == 120)
        #expect(feed.observations.count > 40)
    }

    /// Value errors on rows that fall to both lanes keep their lines (quoted line breaks counted).
    @Test func errorsKeepTheirLinesOnBothLanes() {
        let feed = agree(Self.missing(rows: 150, bad: [3, 40, 41, 99, 150]), partner: "police")
        #expect(feed.errorCount == 5)
        #expect(feed.errors.count == 5)
        #expect(feed.errors.allSatisfy { $0.description.contains("is not a date-time") })
    }

    /// More errors than are listed: the same first ones, and the same count, however the file is cut.
    @Test func theFirstErrorsAndTheCountAreTheSame() {
        let feed = agree(Self.missing(rows: 260, seed: 3, bad: Set(1...260)), partner: "police")
        #expect(feed.errorCount == 260)
        #expect(feed.errors.count == FeedParser.errorLimit + 1)
    }

    /// A quote inside an unquoted field stops the read where it is: rows and errors before it are
    /// kept, nothing after it.
    @Test func aSyntaxErrorStopsBothLanesWhereItIs() {
        let before = Self.missing(rows: 60, seed: 5, bad: [10])
        let after = Self.missing(rows: 20, seed: 6, bad: [15]).drop { $0 != "\n" }.dropFirst()
        let text = before + "E999,C1,2012-04-01T10:00,,N,3,F,Sou\"th,police\n" + after
        let line = before.utf8.filter { $0 == 0x0A }.count + 1
        let feed = agree(text, partner: "police")
        #expect(feed.rows == 60)
        #expect(
            feed.errors.map(\.description).last
                == "x.csv:\(line):36: error[feed.syntax]: a '\"' inside an unquoted field; quote the whole field and double the quote (\"\")"
        )
        #expect(feed.errorCount == 2)
    }

    /// A partner's file of blank lines (LF, CR and CRLF) before the header: read in runs while the
    /// header is looked for, lines still counted, the same result either way (a file of nothing
    /// but line ends is measured in `Benchmarks/hostile_memory.py`).
    @Test func blankLinesBeforeTheHeaderKeepTheirLines() {
        let blank = String(repeating: "\n\r\n\r", count: 500)
        let extract = Self.missing(rows: 40, seed: 9, bad: [7])
        let feed = agree(blank + extract, partner: "police")
        #expect(feed.rows == 40)
        #expect(feed.errorCount == 1)
        // Every LF, and every CR not followed by an LF, ends a line (the last CR meets the header).
        let bytes = Array(blank.utf8)
        let lines = bytes.indices.filter {
            bytes[$0] == 0x0A || (bytes[$0] == 0x0D && ($0 + 1 == bytes.count || bytes[$0 + 1] != 0x0A))
        }
        let alone = agree(extract, partner: "police")
        #expect(lines.count == 1_001)
        #expect(feed.errors.first?.location?.line == alone.errors.first?.location?.line.map { $0 + lines.count })
        let only = agree(blank, partner: "police")
        #expect(only.errors.map(\.code) == [.header])
    }

    /// Plans: an `active` measure with a category breakdown, whose values each lane numbers in the
    /// order it meets them, and a CRLF file.
    @Test func plansWithCategoriesAgree() {
        var rng = SplitMix64(seed: 11)
        let categories = ["neglect", "physical", "sexual", "emotional", "multiple"]
        var text = "child_ref,plan_start,plan_end,category,previous_plan\r\n"
        for i in 0..<200 {
            let start = 1 + Int(rng.next() % 700)
            let startDate = CivilDate(dayNumber: CivilDate(year: 2011, month: 1, day: 1)!.dayNumber + start)
            let end = rng.next() % 3 == 0 ? "" : "\(CivilDate(dayNumber: startDate.dayNumber + Int(rng.next() % 400)))"
            // Later rows meet the categories in reverse order.
            let category = categories[i < 100 ? Int(rng.next() % 5) : 4 - Int(rng.next() % 5)]
            text += "P\(i),\(startDate),\(end),\(category),\(rng.next() % 2 == 0 ? "Y" : "N")\r\n"
        }
        let feed = agree(text, partner: "childrens-services")
        #expect(feed.errors.isEmpty)
        #expect(feed.observations.contains { $0.series.indicator == "cp.plans" && !$0.series.breakdown.key.isEmpty })
    }
}
