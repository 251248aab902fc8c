import Foundation
import Testing
import VigilCore
import VigilStore
import VigilTestSupport

@Suite(.serialized) struct CLITests {
    @Test func demoPrintsTheReportsAlertsByPriority() throws {
        let result = try VigilBinary.run(["demo"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        #expect(text.contains("35 files: 33 accepted, 2 rejected"))
        #expect(text.contains("Priority 2: Children at risk of significant harm are effectively identified and protected"))
        #expect(text.contains("79.3 per 10,000 is 7.2% above the target of 74.0 per 10,000 for 2012/13"))
        #expect(text.contains("has risen 3 periods running: 139 → 177 → 224 → 270"))
        #expect(text.contains("47 against a baseline mean of 13"))
        #expect(text.contains("Priority 7: Children are fully protected by all agencies from child sexual exploitation"))
        // Priorities appear in board order.
        let p1 = try #require(text.range(of: "Priority 1:"))
        let p2 = try #require(text.range(of: "Priority 2:"))
        let p7 = try #require(text.range(of: "Priority 7:"))
        #expect(p1.lowerBound < p2.lowerBound && p2.lowerBound < p7.lowerBound)
    }

    /// The replay's alert events (docs/replay.md lists them finding by finding).
    let demoEventCount = 21

    @Test func demoJSONIsOneContractObjectPerLine() throws {
        let result = try VigilBinary.run(["demo", "--format", "json"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == demoEventCount)
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            for key in [
                "id", "event", "rule", "kind", "indicator", "breakdown", "period", "value", "expected", "severity", "priority",
                "message",
            ] {
                #expect(object[key] != nil, "missing \(key) in \(line)")
            }
            #expect(object["breakdown"] is [String: Any])
            let priority = try #require(object["priority"] as? Int)
            #expect((1...7).contains(priority))
        }
    }

    /// Root running `vigil digest` (as the docs show, without `--config`) in a folder another user
    /// could write read that user's `config/vigil.yaml`, whose paths sent the board's digest to
    /// that user's folder (review helper-21). A checkout's configuration is used only when it is
    /// the caller's; otherwise the command stops and says why.
    /// Review helper-33: root's `vigil evaluate` into the service's store made `alerts.jsonl`
    /// root's, and vigild could no longer append to it (14 alert lines left queued, and nothing
    /// said so). Root is told to run as the folder's owner, and nothing is written. (CI runs as
    /// root, as the installed service's IT does.)
    @Test func rootIsToldToEvaluateAsTheUserTheServicesFoldersBelongTo() throws {
        try #require(geteuid() == 0, "this test runs as root, as CI does")
        let root = try VigilBinary.deployment()
        defer { try? FileManager.default.removeItem(atPath: root) }
        for folder in ["state", "alerts"] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
            #expect(chown(root + "/" + folder, 65534, 65534) == 0)
        }
        let file = VigilBinary.root + "/config/examples/peterborough-2012-13/police/missing-incidents-in-care-2012-13.csv"
        let result = try VigilBinary.run(["evaluate", "--config", root + "/etc/vigil.yaml", "--at", "2013-04-30", file])
        #expect(result.status == 2)
        #expect(
            result.stderr
                == "\(root)/etc/../state: error[store.failed]: this folder belongs to the user 'nobody'; run vigil evaluate as that user (runuser -u nobody -- vigil evaluate …): files root made here (SQLite's -wal, alerts.jsonl, firing.json) would be root's, and the service could not write them; nothing was stored\n"
        )
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/state") == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/alerts") == [])
        // A store named with --store in a folder of another user's is refused too (review
        // helper-35); an ephemeral store is root's own business.
        let named = try VigilBinary.run([
            "evaluate", "--config", root + "/etc/vigil.yaml", "--store", root + "/state/vigil.sqlite", "--at", "2013-04-30", file,
        ])
        #expect(named.status == 2)
        #expect(named.stderr.hasPrefix("\(root)/state: error[store.failed]: this folder belongs to the user 'nobody'; "))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/state") == [])
        let ephemeral = try VigilBinary.run([
            "evaluate", "--config", root + "/etc/vigil.yaml", "--ephemeral", "--at", "2013-04-30", file,
        ])
        #expect(ephemeral.status == 0)
    }

    /// Review helper-33: the shipped digest timer passes `--send`; with no recipients configured
    /// the chairs never got a digest and the only word of it was at info. It is a warning in the
    /// journal, naming where the digest was written.
    @Test func aDigestWithNoRecipientsWarnsInTheJournal() throws {
        try #require(Journald.available, "a journald listens (CI starts one)")
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let output = folder + "/digest.md"
        let result = try VigilBinary.run([
            "digest", "--ephemeral", "--replay", VigilBinary.root + "/config/examples/peterborough-2012-13", "--at", "2013-04-30",
            "--period", "2012/13", "--format", "markdown", "--output", output, "--send", "--journal",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("not sent: no digest.recipients in "))
        let entries = Journald.entries("VIGIL_DIGEST_PATH=" + output, "PRIORITY=4")
        #expect(entries.count == 1)
        #expect((entries.first?["SYSLOG_IDENTIFIER"] as? String) == "vigil-digest")
        #expect(
            (entries.first?["MESSAGE"] as? String)
                == "Vigil digest not sent: no digest.recipients in config/vigil.yaml; the digest was written to \(output) only (docs/configuration.md)"
        )
    }

    @Test func aConfigurationAnotherUserPlantedIsNotUsed() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fm = FileManager.default
        try fm.copyItem(atPath: VigilBinary.root + "/config", toPath: folder + "/config")
        // The caller's own checkout is used.
        let own = try VigilBinary.run(["rules", "check"], in: folder)
        #expect(own.status == 0, "\(own.stderr)")
        // The same files, another user's: not used.
        #expect(chown(folder + "/config", 4321, 4321) == 0)
        let planted = try VigilBinary.run(["rules", "check"], in: folder)
        // Nor the installed one instead: `sudo vigil evaluate` in a colleague's checkout would
        // have written into the service's store (review helper-22).
        #expect(planted.status == 2)
        #expect(
            planted.stderr
                == "vigil: not using ./config/vigil.yaml: config is owned by uid 4321; give --config to name the configuration to use\n"
        )
        // Named, it is the caller's choice.
        let named = try VigilBinary.run(["rules", "check", "--config", "config/vigil.yaml"], in: folder)
        #expect(named.status == 0, "\(named.stderr)")
    }

    @Test func checkAcceptsAGoodFileAndRejectsABadOneWithPositions() throws {
        let good = try VigilBinary.run(["check", "config/examples/peterborough-2012-13/police/missing-incidents.csv"])
        #expect(good.status == 0)
        #expect(
            good.stdout.hasPrefix(
                "ACCEPTED police/missing-incidents.csv: 36 rows, 1 indicator (missing.incidents), periods 2010-04–2013-03"
            ))
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let bad = folder + "/bad.csv"
        try
            "\u{FEFF}indicator,period,value\r\nmissing.incidents,2013-04,17\r\nmissing.incidents,2013/14,1\r\ncp.plans,2013-04,2\r\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try VigilBinary.run(["check", "--partner", "police", bad])
        #expect(result.status == 1)
        #expect(
            result.stdout == """
                REJECTED police/bad.csv: 3 error(s); nothing from this file was stored
                  police/bad.csv:3:19: error[feed.period]: period '2013/14' is a financial year, but 'missing.incidents' is reported monthly; expected a period like 2013-03
                  police/bad.csv:4:1: error[feed.permission]: partner 'police' may not supply 'cp.plans'; the catalogue grants it to childrens-services
                  police/bad.csv:4:10: error[feed.period]: period '2013-04' is a month, but 'cp.plans' is reported as a snapshot date; expected a period like 2013-03-31

                """)
        let json = try VigilBinary.run(["check", "--partner", "police", "--format", "json", bad])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["status"] as? String == "rejected")
        #expect((object["errors"] as? [[String: Any]])?.first?["line"] as? Int == 3)
    }

    /// Review helper-51: `vigil check --format json` printed the plain SHA-256 of a record-level
    /// extract and of a rejected file, which vigild publishes only keyed (a tiny extract's rows
    /// can be guessed: its plain hash, pasted into a ticket, confirms a guess). Those have no
    /// `sha256` in check's answer; an accepted aggregate file keeps its own.
    @Test func checkNeverPrintsThePlainHashOfAnExtractOrARejectedFile() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let files = [
            (
                "extract.csv",
                "episode_id,child_ref,reported_at,returned_at,in_care,age,sex,locality,source\nE1,CHILD-0042,2012-04-01T10:00:00,,N,14,F,North,police\n",
                false
            ),
            ("broken.csv", "indicator,period,value\nmissing.incidents,2013/14,1\n", false),
            ("monthly.csv", "indicator,period,value\nmissing.incidents,2013-04,17\n", true),
        ]
        for (name, contents, shown) in files {
            try contents.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
            let json = try VigilBinary.run(["check", "--partner", "police", "--format", "json", folder + "/" + name])
            let plain = SHA256.hex(Array(contents.utf8))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(object.keys.contains("sha256"))
            if shown {
                #expect(object["sha256"] as? String == plain)
            } else {
                #expect(object["sha256"] is NSNull, "\(name): \(json.stdout)")
                #expect(!json.stdout.contains(plain.prefix(12)) && !json.stderr.contains(plain.prefix(12)))
            }
        }
    }

    /// IT may run `vigil check` over a partner's drop folder: a name or a cell built to drive the
    /// terminal (an escape sequence, a bidirectional override) is shown escaped, never as is.
    @Test func checkNeverWritesAPartnersControlCharactersToTheTerminal() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let name = folder + "/a\u{1B}[2J\u{202E}b.csv"
        try "indicator,period,value\nmissing\u{1B}]52;c;eA==\u{07}.x,2013-04,1\nmissing.incidents,2013-04,\u{202E}7\n".write(
            toFile: name, atomically: true, encoding: .utf8)
        let result = try VigilBinary.run(["check", "--partner", "health", folder])
        #expect(result.status == 1)
        for forbidden in ["\u{1B}", "\u{07}", "\u{202E}"] {
            #expect(!result.stdout.contains(forbidden))
            #expect(!result.stderr.contains(forbidden))
        }
        #expect(result.stdout.contains("/a\\x1b[2J\\u{202e}b.csv"), "\(result.stdout)")
    }

    /// Review (helper-17): `vigil evaluate` printed a rejected file's path raw, so a partner's file
    /// name could drive IT's terminal and forge output lines; `vigil check` on a folder that names
    /// no partner (the service's own rejected copies) quoted a child's name from a cell. Paths are
    /// escaped everywhere, and cells are quoted only with `--show-cells`.
    @Test func evaluateEscapesPathsAndCellsAreQuotedOnlyWhenAsked() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/police", withIntermediateDirectories: true)
        try "indicator,period,value\nmissing.incidents,2013-04,Jane Smith\n".write(
            toFile: folder + "/police/bad\u{1B}]0;PWNED\u{07}\nFORGED LINE.csv", atomically: true, encoding: .utf8)
        let evaluated = try VigilBinary.run(["evaluate", "--ephemeral", "--at", "2013-04-30", folder])
        for forbidden in ["\u{1B}", "\u{07}", "\nFORGED", "Jane Smith"] {
            #expect(!evaluated.stdout.contains(forbidden))
            #expect(!evaluated.stderr.contains(forbidden))
        }
        let escapedHeader = "REJECTED " + folder + "/police/bad\\x1b]0;PWNED\\x07\\x0aFORGED LINE.csv\n"
        #expect(evaluated.stderr.hasPrefix(escapedHeader), "\(evaluated.stderr)")
        let copy = folder + "/rejected-copy.csv"
        try "indicator,period,value\nmissing.incidents,2013-04,Jane Smith\n".write(
            toFile: copy, atomically: true, encoding: .utf8)
        let checked = try VigilBinary.run(["check", copy])
        #expect(checked.status == 1)
        #expect(!checked.stdout.contains("Jane Smith"))
        #expect(checked.stdout.contains("the cell (10 characters, not shown) is not a number"))
        let asked = try VigilBinary.run(["check", "--show-cells", copy])
        #expect(asked.stdout.contains("'Jane Smith' is not a number"))
        let missing = try VigilBinary.run(["evaluate", "--ephemeral", folder + "/no\u{1B}[2Jsuch.csv"])
        #expect(missing.status == 2)
        let escape = "\u{1B}"
        #expect(!missing.stderr.contains(escape))
    }

    @Test func rulesCheckReportsEveryErrorAndRulesTestRunsTheShippedTests() throws {
        let ok = try VigilBinary.run(["rules", "check"])
        #expect(ok.status == 0)
        #expect(ok.stdout.hasPrefix("OK config/vigil.yaml:"))
        let tests = try VigilBinary.run(["rules", "test"])
        #expect(tests.status == 0, "\(tests.stdout)")
        // Every shipped rule test (config/tests/*.yaml: each shipped rule at its edges).
        #expect(tests.stdout.hasSuffix("\n584 passed, 0 failed\n"))

        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/rules.d", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: VigilBinary.root + "/config/catalogue.yaml", toPath: folder + "/catalogue.yaml")
        try "catalogue: catalogue.yaml\nrules: [rules.d/*.yaml]\n".write(
            toFile: folder + "/vigil.yaml", atomically: true, encoding: .utf8)
        try """
        rules:
          - {id: a, kind: spike, indicator: missing.incidents, params: {k: -1}}
          - {id: b, kind: trend, indicator: nothing.here, params: {periods: 3}}
        """.write(toFile: folder + "/rules.d/bad.yaml", atomically: true, encoding: .utf8)
        let bad = try VigilBinary.run(["rules", "check", "--config", folder + "/vigil.yaml"])
        #expect(bad.status == 2)
        #expect(
            bad.stderr == """
                \(folder)/rules.d/bad.yaml:2:68: error[rule.invalid]: k must be positive
                \(folder)/rules.d/bad.yaml:3:37: error[rule.invalid]: rule 'b' watches unknown indicator 'nothing.here'; expected an id from the catalogue

                """)

        try """
        tests:
          - name: wrong on purpose
            input:
              - indicator: lac.admissions
                values: {"2013-03": 13}
            expect:
              - {rule: lac-admissions-above-target, period: "2013-02"}
        """.write(toFile: folder + "/failing.yaml", atomically: true, encoding: .utf8)
        let failing = try VigilBinary.run(["rules", "test", folder + "/failing.yaml"])
        #expect(failing.status == 1)
        #expect(
            failing.stdout.contains(
                "expected firing of 'lac-admissions-above-target' at 2013-02; got: firing 2013-03 value 13 expected 11"))
        #expect(failing.stdout.hasSuffix("0 passed, 1 failed\n"))
    }

    /// History loaded in one run is judged for lateness once, after its last file (review
    /// helper-23: each month's file made the next month "overdue" at today's date, then the next
    /// file resolved it: a false overdue episode per month).
    @Test func historyLoadedInOneRunIsJudgedForLatenessOnce() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let police = folder + "/police"
        try FileManager.default.createDirectory(atPath: police, withIntermediateDirectories: true)
        for (month, value) in [("2013-01", 26), ("2013-02", 14), ("2013-03", 20)] {
            try "indicator,period,value\nmissing.incidents,\(month),\(value)\n".write(
                toFile: police + "/missing-\(month).csv", atomically: true, encoding: .utf8)
        }
        let run = try VigilBinary.run([
            "evaluate", "--store", folder + "/vigil.sqlite", "--at", "2013-07-01", "--format", "json", police,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let overdue = run.stdout.split(separator: "\n").filter { $0.contains("\"rule\":\"missing-overdue\"") }
        #expect(overdue.count == 1)
        #expect(overdue.first?.contains("\"event\":\"firing\"") == true)
        #expect(overdue.first?.contains("\"period\":\"2013-04\"") == true)
        // Only the indicators accepted files sent are judged, and nothing after rejected files
        // alone (review helper-24: a backdated run of rejected files resolved others' alerts).
        let rejected = folder + "/rejected/police"
        try FileManager.default.createDirectory(atPath: rejected, withIntermediateDirectories: true)
        for n in 1...2 {
            try "indicator,period,value\nmissing.incidents,2013-0\(n),-5\n".write(
                toFile: rejected + "/bad-\(n).csv", atomically: true, encoding: .utf8)
        }
        let refused = try VigilBinary.run([
            "evaluate", "--store", folder + "/vigil.sqlite", "--at", "2013-05-01", "--format", "json", rejected,
        ])
        #expect(refused.status == 1)
        #expect(refused.stdout.isEmpty)
        // One file alone is judged as it arrives, as vigild judges it.
        let single = try VigilBinary.run([
            "evaluate", "--ephemeral", "--at", "2013-07-01", "--format", "json", police + "/missing-2013-01.csv",
        ])
        #expect(single.stdout.contains("\"rule\":\"missing-overdue\",\"kind\":\"overdue\""))
        #expect(single.stdout.contains("\"period\":\"2013-02\""))
    }

    @Test func evaluateIntoAStoreThenAlertsHistoryAndARevision() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = folder + "/vigil.sqlite"
        let first = try VigilBinary.run([
            "evaluate", "--store", store, "--at", "2013-04-30", "--format", "json",
            "config/examples/peterborough-2012-13/childrens-services/lac-children.csv",
            "config/examples/peterborough-2012-13/childrens-services/lac-placement-stability.csv",
        ])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("\"rule\":\"placement-stability-down\""))

        let again = try VigilBinary.run([
            "evaluate", "--store", store, "--at", "2013-04-30",
            "config/examples/peterborough-2012-13/childrens-services/lac-placement-stability.csv",
        ])
        #expect(again.stderr.contains("DUPLICATE"))
        #expect(again.stdout.contains("0 alert event(s)"))

        let partner = folder + "/childrens-services"
        try FileManager.default.createDirectory(atPath: partner, withIntermediateDirectories: true)
        try "indicator,period,value\nlac.placement_stability_pct,2013-03,68.9\n".write(
            toFile: partner + "/revision.csv", atomically: true, encoding: .utf8)
        let revised = try VigilBinary.run(["evaluate", "--store", store, "--at", "2013-04-30", "--format", "json", partner])
        #expect(revised.status == 0)
        #expect(revised.stdout.contains("\"event\":\"retracted\""))

        let history = try VigilBinary.run(["history", "--store", store, "lac.placement_stability_pct"])
        #expect(history.stdout.contains("lac.placement_stability_pct 2013-03\n  revision 1: 64.9"))
        #expect(history.stdout.contains("  revision 2: 68.9"))

        let alerts = try VigilBinary.run(["alerts", "--store", store])
        // The looked-after rate alert from lac-children.csv still fires; the placement-stability one
        // was retracted. The eleven months of placement stability never sent between March 2012
        // and March 2013 are chased, as one reminder (info) for the oldest.
        #expect(
            alerts.stdout.hasPrefix(
                "FIRING    info     P2  due-lac-placement-stability-pct  lac.placement_stability_pct  2012-04\n"))
        #expect(alerts.stdout.contains("11 periods are missing (2012-04–2013-02)"))
        #expect(alerts.stdout.contains("FIRING    warning  P2  lac-rate-above-target  lac.rate_per_10k  2013-03-31\n"))
        #expect(alerts.stdout.hasSuffix("2 alert(s) firing\n"))
        let all = try VigilBinary.run(["alerts", "--store", store, "--all", "--format", "json"])
        #expect(all.stdout.contains("\"event\":\"retracted\""))
    }

    /// A file in no partner's folder and no --partner: nothing is stored unless the operator
    /// says permissions may be skipped.
    @Test func evaluateRefusesAFileWhosePartnerIsUnknown() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/loose.csv"
        try "indicator,period,value\ncp.plans,2013-03-31,270\n".write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try VigilBinary.run(["evaluate", "--ephemeral", "--at", "2013-04-30", file])
        #expect(refused.status == 2)
        #expect(
            refused.stderr
                == "\(file): error[feed.permission]: no --partner given and its folder is not a partner, so partner permissions cannot be checked; give --partner, or --no-partner-check to ingest without them\n"
        )
        let allowed = try VigilBinary.run(["evaluate", "--ephemeral", "--at", "2013-04-30", "--no-partner-check", file])
        #expect(allowed.status == 0)
        #expect(allowed.stdout.hasSuffix("1 file(s): 1 accepted, 0 not; 0 alert event(s)\n"))
    }

    /// `vigil evaluate` into the configured store goes through the service's ingest path: the
    /// alert events reach the alert files (and the journal), and nothing is left in the outbox.
    /// Into a private store nothing is written outside it.
    @Test func evaluateIntoTheLiveStoreWritesTheAlertFiles() throws {
        let root = try VigilBinary.deployment()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let file = "config/examples/peterborough-2012-13/police/missing-incidents.csv"
        let privateRun = try VigilBinary.run([
            "evaluate", "--config", root + "/etc/vigil.yaml", "--store", root + "/private.sqlite", "--at", "2013-04-30", file,
        ])
        #expect(privateRun.status == 0, "\(privateRun.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root + "/alerts/alerts.jsonl"))
        let live = try VigilBinary.run(["evaluate", "--config", root + "/etc/vigil.yaml", "--at", "2013-04-30", file])
        #expect(live.status == 0, "\(live.stderr)")
        let lines = try String(contentsOfFile: root + "/alerts/alerts.jsonl", encoding: .utf8).split(separator: "\n")
        let printed = live.stdout.split(separator: "\n").filter { $0.hasPrefix("FIRING") || $0.hasPrefix("RESOLVED") }
        #expect(lines.count == printed.count)
        #expect(lines.contains { $0.contains("\"rule\":\"missing-incidents-spike\"") })
        #expect(FileManager.default.fileExists(atPath: root + "/alerts/firing.json"))
        #expect(try Store.open(path: root + "/state/vigil.sqlite").pendingOutbox().isEmpty)
    }

    /// The shipped pack's coverage: every priority has rules and every indicator a partner sends
    /// or Vigil derives is watched, directly or through what derives from it, or left unwatched on
    /// purpose with its reason (not-watched.yaml); lateness alone does not count as watching.
    @Test func rulesCoverageShowsWhatIsNotMonitored() throws {
        let result = try VigilBinary.run(["rules", "coverage"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasSuffix("NOT MONITORED: no rule") } == [])
        let counts = lines.filter { $0.hasPrefix("Priority ") }.map { line in
            String(line[line.range(of: ": ", options: .backwards)!.upperBound...])
        }
        #expect(
            counts == [
                "15 rule(s) on 7 indicator(s)", "40 rule(s) on 21 indicator(s)", "21 rule(s) on 11 indicator(s)",
                "18 rule(s) on 9 indicator(s)", "25 rule(s) on 16 indicator(s)", "5 rule(s) on 4 indicator(s)",
                "28 rule(s) on 10 indicator(s)",
            ])
        #expect(
            lines.contains(
                "  cp.new_plans [childrens-services]: due-cp-new-plans (overdue), via cp.repeat_plans_pct: cp-repeat-plans-high (threshold)"
            ))
        #expect(
            lines.contains(
                "  population.births [board]: births-overdue (overdue); values not watched on purpose: context for the needs assessment (next year's under-1s); births-overdue asks for it on time"
            ))
        #expect(
            lines.last
                == "7 of 7 priorities monitored; 0 supplied or derived indicator(s) not watched; 13 left unwatched on purpose, each with its reason above"
        )
    }

    @Test func rulesTestWithNoTestsFails() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "tests: []\n".write(toFile: folder + "/empty.yaml", atomically: true, encoding: .utf8)
        let result = try VigilBinary.run(["rules", "test", folder + "/empty.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("error: no rule tests were found"))
    }

    @Test func aMissingPathIsAUsageError() throws {
        let result = try VigilBinary.run(["check", "no/such/file.csv"])
        #expect(result.status == 2)
        #expect(result.stderr == "no/such/file.csv: error[file.unreadable]: no such file or folder\n")
    }
}

@Suite(.serialized) struct DigestCLITests {
    @Test func ackThenDigestSinceLastThenNothingNew() throws {
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let store = folder + "/vigil.sqlite"
        let evaluate = try VigilBinary.run([
            "evaluate", "--store", store, "--at", "2013-04-30", "--format", "json",
            "config/examples/peterborough-2012-13/childrens-services/lac-children.csv",
        ])
        #expect(evaluate.status == 0)
        let line = try #require(evaluate.stdout.split(separator: "\n").first { $0.contains("lac-rate-above-target") })
        let id = String(line.dropFirst(7).prefix(10))
        let ack = try VigilBinary.run(["ack", "--store", store, id, "--by", "Chair <b>", "--note", "Ask the panel & report"])
        #expect(ack.status == 0, "\(ack.stderr)")
        let alerts = try VigilBinary.run(["alerts", "--store", store])
        #expect(alerts.stdout.contains("Acknowledged by Chair <b> on "))
        let first = try VigilBinary.run([
            "digest", "--store", store, "--at", "2013-04-30", "--format", "text", "--record", "--output", folder + "/d1.txt",
        ])
        #expect(first.status == 0, "\(first.stderr)")
        let text = try String(contentsOfFile: folder + "/d1.txt", encoding: .utf8)
        #expect(text.contains(", new: Children looked after per 10,000 aged under 18, 31 March 2013\n"))
        #expect(text.contains("Acknowledged by Chair <b>"))
        let html = try VigilBinary.run([
            "digest", "--store", store, "--at", "2013-04-30", "--since", "last", "--output", folder + "/d2.html",
        ])
        #expect(html.status == 0)
        let page = try String(contentsOfFile: folder + "/d2.html", encoding: .utf8)
        // The acknowledgement is shown, escaped.
        #expect(page.contains("Chair &lt;b&gt;"))
        #expect(!page.contains("Chair <b>"))
        // Nothing new since the previous (recorded) digest: the alert now continues.
        #expect(page.contains("<span class=\"status\">Continuing</span> Children looked after per 10,000"))
        #expect(page.contains("none raised, none resolved, none retracted (the last digest was written "))
        let unknown = try VigilBinary.run(["ack", "--store", store, "ffffffffff", "--by", "x", "--note", "y"])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no alert has an event with id 'ffffffffff'"))
    }

    /// A partner's return template, filled in, is a feed `vigil check` accepts; unfilled, it is
    /// rejected (a blank value is an error).
    @Test func aFilledReturnTemplateIsAcceptedAndABlankOneIsNot() throws {
        let template = try VigilBinary.run(["template", "--partner", "police", "--period", "2013-04"])
        #expect(template.status == 0, "\(template.stderr)")
        let lines = template.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(
            lines.contains(
                "# missing.incidents 2013-04: Missing incidents reported to the police (all children); due by 2013-06-14"))
        #expect(lines.contains("indicator,period,value,gender,ethnicity,incident_count"))
        #expect(lines.contains("missing.individuals_by_incident_count,2013/14,,,,10_plus"))
        let filled = lines.map { line -> String in
            guard !line.hasPrefix("#"), !line.hasPrefix("indicator,"), !line.isEmpty else { return line }
            var cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            cells[2] = "1"
            return cells.joined(separator: ",")
        }
        let folder = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try filled.joined(separator: "\n").write(toFile: folder + "/police.csv", atomically: true, encoding: .utf8)
        try template.stdout.write(toFile: folder + "/blank.csv", atomically: true, encoding: .utf8)
        let accepted = try VigilBinary.run(["check", "--partner", "police", folder + "/police.csv"])
        #expect(accepted.status == 0, "\(accepted.stdout)")
        #expect(accepted.stdout.hasPrefix("ACCEPTED police/police.csv: 44 rows, 13 indicators"))
        let blank = try VigilBinary.run(["check", "--partner", "police", folder + "/blank.csv"])
        #expect(blank.status != 0)
        #expect(blank.stdout.hasPrefix("REJECTED police/blank.csv"))
    }

    /// docs/partners.md ends with the shipped return schedule exactly as `vigil template
    /// --schedule` prints it, so the page cannot drift from the catalogue.
    @Test func thePartnersPageIsTheReturnSchedule() throws {
        let schedule = try VigilBinary.run(["template", "--schedule"])
        #expect(schedule.status == 0)
        let page = try String(contentsOfFile: VigilBinary.root + "/docs/partners.md", encoding: .utf8)
        #expect(page.hasSuffix(schedule.stdout))
        #expect(schedule.stdout.contains("| `probation.mappa_rso` |"))
        #expect(!schedule.stdout.contains("Sends no indicator yet."))
    }
}
