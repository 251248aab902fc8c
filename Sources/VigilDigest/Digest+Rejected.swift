import VigilCore
import VigilStore

extension Digest {
    /// A partner's files rejected in the window: how many, and why in a chair's words (review
    /// helper-54: "Children's Services 2", with no reason, beside a LADO return overdue because
    /// its file gave a whole year where half-years are due).
    public struct Rejected: Sendable, Hashable {
        /// The partner's name.
        public var partner: String
        /// Files rejected.
        public var count: Int
        /// Each reason, in the order of `Digest.rejectionWords`, with how many files it stopped.
        public var reasons: [Reason]

        /// One reason and the files it stopped.
        public struct Reason: Sendable, Hashable {
            /// The reason in words.
            public var words: String
            /// How many files.
            public var files: Int
        }

        /// "Peterborough City Council Children's Services: 2 files (a period of the wrong kind,
        /// or one not yet ended: 2)". No file name: a partner chooses names, and names can
        /// identify a child.
        public var text: String {
            let why = reasons.map { "\($0.words): \($0.files)" }.joined(separator: "; ")
            return "\(partner): \(count) file\(count == 1 ? "" : "s")" + (why.isEmpty ? "" : " (\(why))")
        }
    }

    /// Error codes as a board paper words them, in the order a paper lists them.
    static let rejectionWords: [(code: String, words: String)] = [
        ("file.unreadable", "not read (too large, not text, or not a plain file)"),
        ("feed.syntax", "not valid CSV or JSON"),
        ("feed.header", "columns missing or not known"),
        ("feed.permission", "an indicator this partner does not supply"),
        ("feed.indicator", "an indicator not in the catalogue"),
        ("feed.period", "a period of the wrong kind, or one not yet ended"),
        ("feed.value", "a value the indicator cannot take"),
        ("feed.dimension", "a breakdown value not in the catalogue"),
        ("feed.duplicate", "the same figure twice"),
        ("feed.quota", "more values than the partner may store"),
        ("store.failed", "not stored by the service (kept for IT)"),
        ("store.locked", "not stored by the service (kept for IT)"),
    ]

    /// The distinct codes in a rejected file's errors (`police/x.csv:2:27: error[feed.period]: …`).
    /// The file's own name comes first and a partner chooses it: it is passed over whole, and
    /// the code read after it (review helper-56: a file named `error[store.failed].csv` put "not
    /// stored by the service" on the board's paper). Vigil's message after the code never
    /// quotes a partner's text, so without the name the last code is the error's.
    static func rejectionCodes(_ errors: [String], path: String) -> Set<String> {
        var codes: Set<String> = []
        for error in errors {
            var rest = Substring(error)
            if rest.hasPrefix(path + ":") { rest = rest.dropFirst(path.count + 1) }
            guard let open = rest.range(of: "error[", options: .backwards),
                let close = rest[open.upperBound...].firstIndex(of: "]")
            else { continue }
            let code = String(rest[open.upperBound..<close])
            if code != VigilError.Code.truncated.rawValue { codes.insert(code) }
        }
        return codes
    }

    /// Per partner (by name), its rejected files with their reasons, from the files' errors.
    static func rejected(_ files: [FileRecord], name: (String) -> String) -> Rejected {
        var byWords: [String: Int] = [:]
        for file in files {
            let codes = rejectionCodes(file.errors, path: file.path)
            var words = Set(codes.map { code in rejectionWords.first { $0.code == code }?.words ?? "other problems" })
            if words.isEmpty { words = ["other problems"] }
            for word in words { byWords[word, default: 0] += 1 }
        }
        let order = rejectionWords.map(\.words) + ["other problems"]
        let reasons = byWords.sorted { (order.firstIndex(of: $0.key) ?? 0) < (order.firstIndex(of: $1.key) ?? 0) }.map {
            Rejected.Reason(words: $0.key, files: $0.value)
        }
        return Rejected(partner: name(files.first?.partner ?? "unknown"), count: files.count, reasons: reasons)
    }
}
