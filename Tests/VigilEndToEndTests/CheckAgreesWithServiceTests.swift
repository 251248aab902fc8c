import Foundation
import Testing

/// `vigil check --partner P FILE` prints the receipt vigild writes for the same file dropped
/// (review helper-37: the value limit, `max_file_bytes`, sparse files and an upper-case extension
/// were judged by vigild alone, so a partner's check passed files the service then refused).
@Suite(.serialized) struct CheckAgreesWithServiceTests {
    /// A file a partner has, by name: its bytes, or a sparse file (a header, then a hole).
    enum Contents {
        case text(String)
        case sparse
        /// A Unix socket bound at the name (review helper-38: vigild told a partner to change
        /// its mode, `vigil check` could not read it).
        case socket
    }

    static let header = "indicator,period,value\n"

    static let files: [(name: String, contents: Contents)] = [
        ("good.csv", .text(header + "missing.incidents,2013-03,40\nmissing.incidents,2013-04,38\n")),
        ("BAD.CSV", .text(header + "missing.incidents,2013-03,forty\n")),
        ("big.csv", .text("# " + String(repeating: "x", count: 70_000) + "\n" + header + "missing.incidents,2013-03,40\n")),
        ("many.csv", .text(header + (1...6).map { "missing.incidents,2012-0\($0),\(30 + $0)\n" }.joined())),
        ("holes.csv", .sparse),
        ("sock.csv", .socket),
    ]

    /// Writes a file: a sparse one is the header, a hole of nine 4 KiB blocks, then a row.
    static func put(_ contents: Contents, to path: String) throws {
        switch contents {
        case .text(let text): try text.write(toFile: path, atomically: false, encoding: .utf8)
        case .sparse:
            let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            #expect(fd >= 0)
            defer { close(fd) }
            let head = Array(header.utf8)
            let tail = Array("\nmissing.incidents,2013-03,40\n".utf8)
            #expect(Glibc.write(fd, head, head.count) == head.count)
            #expect(pwrite(fd, tail, tail.count, 40_960) == tail.count)
        case .socket:
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            #expect(fd >= 0)
            defer { close(fd) }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let bytes = Array(path.utf8)
            #expect(bytes.count < MemoryLayout.size(ofValue: address.sun_path))
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (i, byte) in bytes.enumerated() { raw[i] = byte }
                raw[bytes.count] = 0
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            #expect(bound == 0)
        }
    }

    @Test func checkPrintsTheReceiptVigildWritesForEachFile() throws {
        let root = try VigilBinary.deployment()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let config = root + "/etc/vigil.yaml"
        let yaml = try String(contentsOfFile: config, encoding: .utf8)
        try (yaml + "\nmax_file_bytes: 65536\nmax_values_per_partner: 5\n").write(
            toFile: config, atomically: true, encoding: .utf8)
        // What the partner checks, in a folder of its own.
        let mine = root + "/mine/police"
        try FileManager.default.createDirectory(atPath: mine, withIntermediateDirectories: true)
        var checked: [String: String] = [:]
        for (name, contents) in Self.files {
            try Self.put(contents, to: mine + "/" + name)
            let result = try VigilBinary.run(["check", "--config", config, "--partner", "police", mine + "/" + name])
            #expect(result.status == (name == "good.csv" ? 0 : 1), "\(name): \(result.stdout)\(result.stderr)")
            checked[name] = result.stdout
        }
        // A folder is searched as vigild takes a folder's files: BAD.CSV too.
        let folder = try VigilBinary.run(["check", "--config", config, "--partner", "police", mine])
        #expect(folder.stdout.contains("REJECTED police/BAD.CSV:"), "\(folder.stdout)")

        // The same files dropped, one at a time, each answered before the next.
        let daemon = try VigilBinary.startDaemon(root: root)
        defer { if daemon.isRunning { daemon.terminate() } }
        let drop = root + "/drop/police"
        try FileManager.default.createDirectory(atPath: drop, withIntermediateDirectories: true)
        func receipts() -> Set<String> {
            Set(
                ((try? FileManager.default.contentsOfDirectory(atPath: root + "/receipts/police")) ?? []).filter {
                    $0.hasSuffix(".receipt.txt")
                })
        }
        for (name, contents) in Self.files {
            let before = receipts()
            let part = drop + "/.part-" + name
            try Self.put(contents, to: part)
            #expect(rename(part, drop + "/" + name) == 0)
            let deadline = Date().addingTimeInterval(20)
            while receipts().subtracting(before).isEmpty && Date() < deadline { usleep(20_000) }
            let new = receipts().subtracting(before)
            #expect(new.count == 1, "\(name): \(new)")
            guard let receipt = new.first else { continue }
            let text = try String(contentsOfFile: root + "/receipts/police/" + receipt, encoding: .utf8)
            // A refusal is the same text; an acceptance's receipt goes on with what was stored and
            // the alerts, which only the store knows.
            if name == "good.csv" {
                #expect(text.hasPrefix(checked[name] ?? "?"), "\(name)")
                #expect(text.contains("\n  2 new value(s), 0 revised, 0 unchanged\n"))
            } else {
                #expect(checked[name] == text, "\(name)")
            }
        }
        #expect(checked["BAD.CSV"]?.hasPrefix("REJECTED police/BAD.CSV:") == true, "\(checked["BAD.CSV"] ?? "")")
        guard case .text(let big) = Self.files[2].contents else { return }
        #expect(
            checked["big.csv"]
                == "REJECTED police/big.csv: it is \(big.utf8.count) bytes or more, over the limit of 65536 bytes; it was not read\n"
        )
        #expect(
            checked["holes.csv"]
                == "REJECTED police/holes.csv: it is a sparse file (it has holes); write the file out in full and drop it again; it was not read\n"
        )
        #expect(checked["sock.csv"] == "REJECTED police/sock.csv: it is a socket, not a regular file; it was not read\n")
        #expect(
            checked["many.csv"]?.contains("error[feed.quota]: this file has 6 values, more than the 5 a partner may have stored")
                == true,
            "\(checked["many.csv"] ?? "")")
    }

    /// A name that is not UTF-8 (review helper-37: `vigil check` said `no such file or folder`
    /// for a file that exists, because the name reaches it with U+FFFD in place of its bytes):
    /// refused as vigild refuses it, given by name or found in a folder.
    @Test func aNameThatIsNotUTF8IsRefusedAsTheServiceRefusesIt() throws {
        let root = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/police", withIntermediateDirectories: true)
        // Beside it, a valid name spelt with U+FFFD (bytes EF BF BD): the file Swift's repaired
        // name would open (review helper-38: both were read as the valid one and accepted).
        let script = """
            printf 'indicator,period,value\\nmissing.incidents,2013-03,40\\n' > "police/$(printf 'bad\\377.csv')"
            printf 'indicator,period,value\\nmissing.incidents,2013-03,40\\n' > "police/$(printf 'bad\\357\\277\\275.csv')"
            "$0" check --config "$1" --partner police "police/$(printf 'bad\\377.csv')"; echo "exit $?"
            "$0" check --config "$1" police; echo "exit $?"
            "$0" check --config "$1" "$PWD/police" | grep REJECTED
            "$0" check --config "$1" "police/$(printf 'bad\\377.csv')" "police/$(printf 'bad\\357\\277\\275.csv')" | cut -d: -f1
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, VigilBinary.path, VigilBinary.root + "/config/vigil.yaml"]
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        // Named from its bytes, as vigild's receipt names it (review helper-39).
        let refusal =
            #"REJECTED police/bad\xff.csv: its name is not valid UTF-8; rename it with letters, digits, '-', '_' and '.'; it was not read"#
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.prefix(2) == [refusal, "exit 1"])
        // The folder: one refused, one accepted (in either order: their sorted names are equal).
        #expect(lines.count == 8 && lines[4] == "exit 1", "\(lines)")
        // Found in a folder given by its full path, it is still named by its partner folder.
        #expect(lines[5] == refusal)
        let heads = Set(lines[2...3].map { $0.prefix { $0 != ":" } })
        #expect(heads == [#"REJECTED police/bad\xff.csv"#, "ACCEPTED police/bad\u{FFFD}.csv"])
        #expect(lines[2...3].contains(refusal))
        // Both names typed: each is what it is (review helper-39: both were refused).
        #expect(lines.suffix(2) == [#"REJECTED police/bad\xff.csv"#, "ACCEPTED police/bad\u{FFFD}.csv"])
    }

    /// A folder whose name is not UTF-8, found in a partner's folder, is refused for its name, in
    /// vigild's words (`aFolderNamedInBytesIsAnsweredForItsNameAsCheckAnswersIt`; review helper-39).
    @Test func aFolderNamedInBytesIsRefusedForItsName() throws {
        let root = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/police", withIntermediateDirectories: true)
        let raw: [UInt8] = Array((root + "/police/dir").utf8) + [0xFF]
        #expect(mkdir(raw.map { CChar(bitPattern: $0) } + [0], 0o750) == 0)
        let run = try VigilBinary.run(["check", "--config", VigilBinary.root + "/config/vigil.yaml", "police"], in: root)
        let answer =
            "REJECTED police/dir\\xff: its name is not valid UTF-8; rename it with letters, digits, '-', '_' and '.'; it was not read\n"
        #expect(run.stdout == answer)
        #expect(run.status == 1)
    }

    /// A file that says it is empty and is not (/proc's), or that grows while it is read, is not
    /// judged on what `fstat` said (review helper-38: /proc/self/pagemap was read 4.5 GB past a
    /// 100,000-byte limit): reading stops past `max_file_bytes` (oversized), and a file whose size
    /// moved is refused as changed, as vigild's copy is.
    @Test func aFileLargerThanItSaysIsStoppedAtTheLimit() throws {
        let root = try VigilBinary.deployment()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let config = root + "/etc/vigil.yaml"
        let small = root + "/etc/small.yaml"
        try (try String(contentsOfFile: config, encoding: .utf8) + "\nmax_file_bytes: 1000\n").write(
            toFile: small, atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: root + "/mine/police", withIntermediateDirectories: true)
        #expect(symlink("/proc/self/maps", root + "/mine/police/maps.csv") == 0)
        let over = try VigilBinary.run(["check", "--config", small, root + "/mine/police/maps.csv"])
        #expect(over.status == 1)
        // Read up to the limit and stopped: not "not read" (review helper-39).
        #expect(
            over.stdout
                == "REJECTED police/maps.csv: it is over the limit of 1000 bytes: it grew, or said it was smaller, while it was read; nothing read was used\n",
            "\(over.stdout)")
        let changed = try VigilBinary.run(["check", "--config", config, root + "/mine/police/maps.csv"])
        #expect(
            changed.stdout
                == "REJECTED police/maps.csv: it changed while it was being read; drop it again once it is complete (write, then rename)\n"
        )
    }

    /// A folder with no feed file in it is an error for `check` and `evaluate` alike, even beside
    /// a file (review helper-38: `vigil check EMPTY FILE` exited 0).
    @Test func aFolderWithoutFeedFilesIsAnError() throws {
        let root = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/empty", withIntermediateDirectories: true)
        try "notes".write(toFile: root + "/empty/notes.txt", atomically: true, encoding: .utf8)
        let good = VigilBinary.root + "/config/examples/peterborough-2012-13/police/missing-incidents.csv"
        for arguments in [["check", root + "/empty", good], ["evaluate", "--ephemeral", root + "/empty"]] {
            let result = try VigilBinary.run(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr == "\(root)/empty: error[file.unreadable]: no feed files (.csv or .json) in this folder\n")
        }
    }

    /// A folder a check cannot read, or one too deep to walk, is an error, not passed over: a
    /// check that passed over it would pass files it never saw (review helper-39: a mode-000
    /// folder holding a feed was left out, exit 0).
    @Test func aFolderTooDeepToWalkIsAnError() throws {
        let root = try VigilBinary.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let deep = root + "/police" + String(repeating: "/d", count: 33)
        try FileManager.default.createDirectory(atPath: deep, withIntermediateDirectories: true)
        try "indicator,period,value\n".write(toFile: deep + "/x.csv", atomically: true, encoding: .utf8)
        let result = try VigilBinary.run(["check", root + "/police"])
        #expect(result.status == 2)
        #expect(
            result.stderr.hasSuffix(": error[file.unreadable]: more than 32 folders deep; check the folders nearer the top\n"))
    }
}
