import Testing

@testable import VigilCore

@Suite struct FeedParserTests {
    private let parser = FeedParser(catalogue: Fixtures.catalogue)

    private func parse(_ text: String, partner: String? = "police") -> ParsedFeed {
        parser.parse(bytes: Array(text.utf8), file: "f.csv", partner: partner)
    }

    /// The per-file value limit (review helper-37): a partner's file with more values than a
    /// partner may have stored is one `feed.quota` error, nothing kept; a file with no partner is
    /// not limited, as the store does not limit it (review helper-38); at the limit, taken.
    @Test func aPartnersFileWithMoreValuesThanItsLimitIsRejected() {
        var limited = parser
        limited.valueLimit = 2
        let text = "indicator,period,value\nt.count,2013-01,1\nt.count,2013-02,2\nt.count,2013-03,3\n"
        let over = limited.parse(bytes: Array(text.utf8), file: "f.csv", partner: "police")
        #expect(
            over.errors.map(\.description) == [
                "f.csv: error[feed.quota]: this file has 3 values, more than the 2 a partner may have stored (max_values_per_partner in vigil.yaml, set by IT)"
            ])
        #expect(over.observations.isEmpty)
        #expect(limited.parse(bytes: Array(text.utf8), file: "f.csv", partner: nil).errors.isEmpty)
        limited.valueLimit = 3
        #expect(limited.parse(bytes: Array(text.utf8), file: "f.csv", partner: "police").observations.count == 3)
    }

    /// A partner name typed with control characters is escaped in the error (review helper-38).
    @Test func anUnknownPartnerIsNamedEscaped() {
        let feed = parse("indicator,period,value\n", partner: "po\u{1B}[31mlice")
        #expect(feed.errors.first?.message.hasPrefix(#"unknown partner 'po\x1b[31mlice'"#) == true, "\(feed.errors)")
    }

    @Test func acceptsATidyFileWithBreakdownsMarkersAndComments() {
        let feed = parse(
            """
            # Source: a "quoted", commented line
            indicator,period,value,category,gender
            t.count,2013-03,12,,
            t.count,2013-03,5,neglect,
            t.count,2013-03,c,physical,
            t.count,2013-03, 7 ,,male\r
            """)
        #expect(feed.errors.map(\.description) == [])
        #expect(feed.rows == 4)
        #expect(feed.observations.count == 4)
        #expect(feed.observations[2].value == .marker("c"))
        #expect(feed.observations[1].series.description == "t.count{category=neglect}")
        #expect(feed.observations[0].location?.description == "f.csv:3:1")
        #expect(feed.observations[3].value == .number(7))
    }

    /// Cells are trimmed of ASCII spaces and tabs at either end, whole characters only: a space
    /// that a combining mark joins is part of its character and stays (as before the quick path
    /// for cells with nothing to trim).
    @Test func cellsAreTrimmedOfSpacesAndTabsAtTheirEnds() {
        let cases: [(String, String)] = [
            ("", ""), ("7", "7"), (" 7", "7"), ("7 ", "7"), ("\t 7 \t", "7"), ("   ", ""), ("a b", "a b"),
            (" \u{301}x", " \u{301}x"), ("x \u{301}", "x \u{301}"), ("\u{A0}7", "\u{A0}7"), ("é ", "é"),
        ]
        for (cell, trimmed) in cases {
            #expect(cell.trimmingASCIISpaces == trimmed, "\(Array(cell.unicodeScalars))")
        }
        let feed = parse("indicator,period,value,category\n\tt.count , 2013-03\t,\t12 , neglect \n")
        #expect(feed.errors.map(\.description) == [])
        #expect(feed.observations.map { "\($0.series) \($0.period) \($0.value)" } == ["t.count{category=neglect} 2013-03 12"])
    }

    @Test func everyErrorIsReportedWithLineColumnAndWhatWasExpected() {
        let feed = parse(
            """
            indicator,period,value,category
            t.cont,2013-03,1,
            t.count,2013/14,1,
            t.count,2013-03,1.2.3,
            t.count,2013-04,5,abuse
            t.rate,2013-03-31,5,
            t.count,2013-05,1,
            t.count,2013-05,2,
            t.count,2013-06
            t.share,2012/13,5,
            """)
        #expect(
            feed.errors.map(\.description) == [
                "f.csv:2:1: error[feed.indicator]: unknown indicator in the cell (6 characters, not shown); expected an id from the catalogue (did you mean 't.count'?)",
                "f.csv:3:9: error[feed.period]: period '2013/14' is a financial year, but 't.count' is reported monthly; expected a period like 2013-03",
                "f.csv:4:17: error[feed.value]: the cell (5 characters, not shown) is not a number; expected a number such as 185 or 79.3, or a disclosure marker (c, x, :, z, ..)",
                "f.csv:5:19: error[feed.dimension]: the cell (5 characters, not shown) is not a category; expected one of: neglect, physical, sexual",
                "f.csv:6:1: error[feed.permission]: partner 'police' may not supply 't.rate'; the catalogue grants it to council",
                "f.csv:8:17: error[feed.duplicate]: a second value for t.count at 2013-05; the first is on line 7",
                "f.csv:9:1: error[feed.syntax]: row has 2 fields; expected 4 as in the header",
                "f.csv:10:1: error[feed.permission]: indicator 't.share' is derived by Vigil from other indicators; supply its inputs (t.num, t.den) instead",
            ])
        #expect(!feed.isAccepted)
    }

    /// A value is a duplicate of another only for the same series and period (whatever order its
    /// breakdown columns come in), and every later one names the line of the first.
    @Test func duplicatesAreFoundBySeriesAndPeriodAndNameTheFirstLine() {
        let feed = parse(
            """
            indicator,period,value,category,gender
            t.count,2013-05,1,neglect,male
            t.count,2013-05,2,neglect,
            t.count,2013-06,3,neglect,male
            t.count,2013-05,4,physical,male
            t.count,2013-05,5,neglect,male
            t.count,2013-05,6,,
            t.count,2013-05,7,neglect,male
            t.count,2013-05,8,neglect,
            """)
        #expect(
            feed.errors.map(\.description) == [
                "f.csv:6:17: error[feed.duplicate]: a second value for t.count{category=neglect,gender=male} at 2013-05; the first is on line 2",
                "f.csv:8:17: error[feed.duplicate]: a second value for t.count{category=neglect,gender=male} at 2013-05; the first is on line 2",
                "f.csv:9:17: error[feed.duplicate]: a second value for t.count{category=neglect} at 2013-05; the first is on line 3",
            ])
        #expect(feed.observations.map(\.value) == [.number(1), .number(2), .number(3), .number(4), .number(6)])
    }

    @Test func headerProblems() {
        #expect(
            parse("").errors.map(\.description) == [
                "f.csv:1:1: error[feed.header]: the file has no header; expected a first line 'indicator,period,value' followed by any dimension columns"
            ])
        #expect(
            parse("indicator,period,value\n").errors.map(\.description) == [
                "f.csv:2:1: error[feed.header]: the file has a header but no data rows"
            ])
        #expect(
            parse("indicator,period,value,period,colour\nt.count,2013-03,1,2013-03,red\n").errors.map(\.description) == [
                "f.csv:1:24: error[feed.header]: duplicate column 'period' (also column 2); each column may appear once",
                "f.csv:1:31: error[feed.header]: unknown column 5 (6 characters, not shown); expected indicator, period, value or a dimension (category, gender)",
            ])
        #expect(
            parse("indicator,value\nt.count,1\n").errors.map(\.description) == [
                "f.csv:1:1: error[feed.header]: the header has no 'period' column; expected a first line 'indicator,period,value' followed by any dimension columns"
            ])
    }

    @Test func dimensionNotDeclaredForTheIndicator() {
        let feed = parse("indicator,period,value,category\nt.half,2012/13-H1,3,neglect\n", partner: "council")
        #expect(
            feed.errors.map(\.description) == [
                "f.csv:2:21: error[feed.dimension]: 't.half' has no 'category' breakdown (value not shown, 7 characters); its dimensions are: none"
            ])
    }

    @Test func halfYearSeriesRejectsAFullYear() {
        let feed = parse("indicator,period,value\nt.half,2011/12-H2,17\nt.half,2012/13,36\n", partner: "council")
        #expect(
            feed.errors.map(\.description) == [
                "f.csv:3:8: error[feed.period]: period '2012/13' is a financial year, but 't.half' is reported by financial half-year; expected a period like 2012/13-H1"
            ])
    }

    /// Free text never becomes a breakdown value: a value outside the closed list is an error, and
    /// a dimension that lists no values (a catalogue built in code; the loader refuses one)
    /// accepts none, so a child's reference in a breakdown cell is never stored.
    @Test func aBreakdownValueMustBeInTheCataloguesList() {
        var catalogue = Fixtures.catalogue
        catalogue.dimensions["gender"]?.values = []
        let feed = FeedParser(catalogue: catalogue).parse(
            bytes: Array("indicator,period,value,gender,category\nt.count,2013-03,1,male,\nt.count,2013-03,2,,Jo Bloggs\n".utf8),
            file: "f.csv", partner: "police")
        #expect(
            feed.errors.map(\.description) == [
                "f.csv:2:19: error[feed.dimension]: the cell (4 characters, not shown) is not a gender; the catalogue lists none",
                "f.csv:3:20: error[feed.dimension]: the cell (9 characters, not shown) is not a category; expected one of: neglect, physical, sexual",
            ])
        #expect(feed.observations.isEmpty)
    }

    @Test func invalidUTF8AndBrokenQuotes() {
        var bytes = Array("indicator,period,value,gender\nt.count,2013-03,1,".utf8)
        bytes += [0xC3, 0x28, 0x0A]
        let feed = parser.parse(bytes: bytes, file: "f.csv", partner: "police")
        #expect(
            feed.errors.map(\.description) == ["f.csv:2:19: error[feed.syntax]: field is not valid UTF-8; save the file as UTF-8"]
        )
        #expect(
            parse("indicator,period,value\nt.count,\"2013-03,1\n").errors.map(\.description) == [
                "f.csv:2:9: error[feed.syntax]: a quoted field is never closed; expected a closing '\"' before the end of the file"
            ])
    }

    @Test func unknownPartnerRejectsTheWholeFile() {
        #expect(
            parse("indicator,period,value\nt.count,2013-03,1\n", partner: "nobody").errors.map(\.description) == [
                "f.csv: error[feed.permission]: unknown partner 'nobody'; expected one of: police, council"
            ])
    }

    @Test func jsonFeedWithPositions() {
        let json = """
            {"observations": [
              {"indicator": "t.count", "period": "2013-03", "value": 4, "breakdown": {"category": "neglect"}},
              {"indicator": "t.count", "period": "2013-04", "value": "c"},
              {"indicator": "t.count", "period": "March", "value": 1},
              {"indicator": "t.count", "period": "2013-05", "value": true, "extra": 1}
            ]}
            """
        let feed = parser.parse(bytes: Array(json.utf8), file: "f.json", partner: "police")
        #expect(
            feed.errors.map(\.description)
                == [
                    "f.json:4:38: error[feed.period]: the cell (5 characters, not shown) is not a period; expected a month like 2013-03",
                    "f.json:5:73: error[feed.header]: unknown member (5 characters, not shown); expected indicator, period, value and optional breakdown",
                    "f.json:5:58: error[feed.syntax]: \"value\" must be a string or a number, found a boolean",
                ].sorted())
        #expect(
            parser.parse(bytes: Array("{\"observations\": [1,}".utf8), file: "f.json", partner: nil).errors.map(\.description)
                == [
                    "f.json:1:21: error[feed.syntax]: expected a JSON value (object, array, string, number, true, false or null)"
                ])
    }

    @Test func sha256IdentifiesTheBytes() {
        let feed = parse("indicator,period,value\nt.count,2013-03,1\n")
        #expect(feed.sha256 == SHA256.hex("indicator,period,value\nt.count,2013-03,1\n"))
        #expect(feed.observations[0].sources == [feed.sha256])
    }

    /// Found by fuzz-feed: a first chunk of blank lines made the file CSV although the next chunk
    /// opened JSON. The decision now waits for the first non-blank byte, whatever the chunks.
    @Test func leadingBlankChunksDoNotDecideTheFormat() {
        for text in ["\n[", "\n \r\n{\"observations\": []}", "\n\nindicator,period,value\n"] {
            let bytes = Array(text.utf8)
            let whole = parser.parse(bytes: bytes, file: "f", partner: "police").errors.map(\.description)
            for cut in 1..<bytes.count {
                var chunks = [Array(bytes[..<cut]), Array(bytes[cut...])]
                let split = parser.parse(file: "f", partner: "police") { chunks.isEmpty ? nil : chunks.removeFirst() }
                #expect(split.errors.map(\.description) == whole, "cut at \(cut) of \(text.debugDescription)")
            }
        }
        #expect(
            parser.parse(bytes: Array("\n[".utf8), file: "f", partner: "police").errors.map(\.description) == [
                "f:2:2: error[feed.syntax]: unexpected end of the file; expected a JSON value"
            ])
    }
}
