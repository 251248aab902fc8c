/// Which partner file names may be shown where more people read than the partner (the systemd
/// journal, the service's log). A partner chooses its file names, and a name can carry a child's
/// name or reference (`Jane Smith CHILD-REF-601.csv`; review helper-17). A name is shown only when
/// every word in it is the catalogue's own vocabulary (indicator and dimension ids, partner ids
/// and names), a word from a short list of what returns are called (`extract`, `monthly`, month
/// names…), or a number shaped like part of a date; otherwise the file is named by its hash. The
/// partner's own receipt always names the file as dropped: the partner wrote that name.
///
/// Review helper-30: `May White 2009-03-14 missing.csv` (a first name that is a month, a surname
/// that was a dimension value, a date of birth) and `extract 20090314 199912.csv` (numbers of a
/// person id's shape) were shown. Dimension values are no longer vocabulary, nor are catalogue
/// words that are people's names; a month that is also a first name counts only beside a
/// number, another month, `to` or `and`, in a name with a year; a name with a month holds no day
/// (two numbers at most); and a date's parts are separate numbers (a year, a month, a day), never
/// one run of six or eight digits, the shape of a case system's person id. Review helper-51:
/// beside a whole date, a word of one or two letters (initials) counts only as the start of an
/// indicator id spelt out in the name; and so beside a year with a month (helper-51's leftover).
public struct FileNameVocabulary: Sendable {
    private let words: Set<String>
    /// The words of indicator ids that begin with a word of one or two letters (`cp plans`):
    /// beside a day, such a word counts only as the start of one of these.
    private let shortStarts: [String: [[String]]]

    /// Words partners' file names commonly hold besides the catalogue's.
    public static let commonWords = Set<String>([
        "csv", "json", "tsv", "txt", "extract", "extracts", "return", "returns", "data", "file", "monthly",
        "quarterly", "annual", "annually", "yearly", "weekly", "month", "quarter", "year", "years", "fy", "q", "h",
        "final", "draft", "revised", "revision", "update", "updated", "copy", "v", "version", "report", "figures",
        "stats", "statistics", "summary", "snapshot", "to", "and", "of", "the", "for", "by", "in", "new", "end",
    ]).union(months)

    /// Words the catalogue may use that are also people's names: never shown.
    public static let personalNames: Set<String> = [
        "white", "black", "brown", "green", "grey", "gray", "young", "north", "south", "east", "west", "english", "irish",
        "england",
        "scott", "welsh", "wood", "hall", "king", "page", "rose", "grace", "hope", "faith", "will", "mark", "bill",
    ]

    /// Months that are also first names: shown only beside a number, a month, `to` or `and`, in a
    /// name with a year.
    public static let firstNameMonths: Set<String> = ["jan", "april", "may", "june", "august"]

    /// Month names and their abbreviations.
    static let months: Set<String> = [
        "jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july", "aug",
        "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december",
    ]

    /// The vocabulary of `catalogue`.
    public init(catalogue: Catalogue) {
        var words = Self.commonWords
        func add(_ text: String) {
            for word in Self.words(of: text) where !word.allSatisfy(\.isNumber) { words.insert(word) }
        }
        for indicator in catalogue.indicators { add(indicator.id) }
        for dimension in catalogue.dimensions.values { add(dimension.id) }
        for partner in catalogue.partners {
            add(partner.id)
            add(partner.name)
        }
        self.words = words.subtracting(Self.personalNames)
        var starts: [String: [[String]]] = [:]
        for indicator in catalogue.indicators {
            let idWords = Self.words(of: indicator.id)
            if idWords.count > 1, let first = idWords.first, first.count <= 2 { starts[first, default: []].append(idWords) }
        }
        shortStarts = starts
    }

    /// Whether `name` may be shown: printable ASCII, at most 120 bytes, every word known.
    public func allows(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 120, name.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return false }
        let runs = Self.runs(of: name)
        let all = runs.map(\.word)
        // `Q1`, `H2`, `v3`: a quarter, a half or a version, whose digit is no part of a date.
        var labels = Set<Int>()
        for i in all.indices.dropLast()
        where runs[i].glued && Self.labelLetters.contains(all[i]) && all[i + 1].count == 1
            && all[i + 1].allSatisfy(\.isNumber)
        {
            labels.formUnion([i, i + 1])
        }
        // One label at most: more would carry digits past the three-number cap (review helper-52).
        guard labels.count <= 2 else { return false }
        let numbers = all.indices.filter { !labels.contains($0) && all[$0].allSatisfy(\.isNumber) }.map { all[$0] }
        // At most a date's three numbers (2013-04-30; 2012-13): more could spell a reference. A
        // name with a month names a month, not a day: a month and a full date is a first name
        // and a date of birth in shape.
        guard numbers.count <= (all.contains(where: Self.months.contains) ? 2 : 3) else { return false }
        let hasYear = numbers.contains { $0.count == 4 }
        let hasMonth = all.contains(where: Self.months.contains)
        // Three numbers are a whole date, a day among them; a year with a month (a number that
        // does not end a year's span, or a month's name) is a month of birth in shape: beside
        // either, a word of one or two letters is read as initials (`S K 2009-03-14`, `S K
        // 2009-03`: a child's initials and date or month of birth; reviews helper-51, helper-53)
        // unless it starts an indicator id spelt out in the name (`cp plans`).
        // A span's second part of 12 or less is a month too (`2009-10`: October 2009, review
        // helper-56); two short numbers with no year are a month and a year, or a day and a
        // month (`03 09`, `14 3`).
        let span = numbers.count == 2 && Self.endsSpan(of: numbers[0], numbers[1]) && (Int(numbers[1]) ?? 0) > 12
        let dated =
            numbers.count == 3 || (hasYear && (hasMonth || (numbers.count == 2 && !span)))
            || (numbers.count == 2 && !hasYear)
        for (i, word) in all.enumerated() where !labels.contains(i) {
            // A connective between two longer words (`April to June`) is no initials.
            func long(_ j: Int) -> Bool { all[j].count > 2 || all[j].allSatisfy(\.isNumber) }
            let joins = Self.connectives.contains(word) && i > 0 && i + 1 < all.count && long(i - 1) && long(i + 1)
            if dated && word.count <= 2 && !word.allSatisfy(\.isNumber) && !joins {
                let spelt = shortStarts[word, default: []].contains { id in
                    i + id.count <= all.count && Array(all[i..<(i + id.count)]) == id
                }
                guard spelt else { return false }
            }
            if word.allSatisfy(\.isNumber) {
                guard Self.isDatePart(word) else { return false }
                // Beside a month name, a short number is a day (`May 14 2009`: a first name and a
                // date of birth; review helper-32) unless it ends a year's span (`2012-13`: the
                // next year's last two digits; review helper-52, `March 2009 14` was read so).
                if hasMonth && word.count <= 2 && !(i > 0 && Self.endsSpan(of: all[i - 1], word)) {
                    return false
                }
                continue
            }
            guard words.contains(word) else { return false }
            if Self.firstNameMonths.contains(word) {
                let beside = [i > 0 ? all[i - 1] : nil, i + 1 < all.count ? all[i + 1] : nil].compactMap { $0 }
                let dated = beside.contains { $0.allSatisfy(\.isNumber) || Self.months.contains($0) || $0 == "to" || $0 == "and" }
                guard hasYear && dated else { return false }
            }
        }
        return true
    }

    /// How the journal names a partner's file: the name when it may be shown, else `(name not
    /// shown, SHA-256 1517db4b4bae)` (without the hash for an entry refused unread).
    public func shown(_ name: String, sha256: String) -> String {
        if allows(name) { return name }
        return "(name not shown" + (sha256.isEmpty ? ")" : ", SHA-256 \(sha256.prefix(12)))")
    }

    /// Whether `short` ends the year span `year`–`short` (`2012-13`, `2099-00`).
    static func endsSpan(of year: String, _ short: String) -> Bool {
        guard year.count == 4, let y = Int(year), let s = Int(short), short.count == 2 else { return false }
        return (y + 1) % 100 == s
    }

    /// Two-letter words that join others in a return's name (`April to June`, `cp plans by
    /// category`): beside a date, read as words only between two longer ones.
    static let connectives: Set<String> = ["to", "of", "by", "in"]

    /// Letters that, glued to one digit, label a quarter, a half or a version (`Q1`, `H2`, `v3`).
    static let labelLetters: Set<String> = ["q", "h", "v"]

    /// The lower-case runs of letters and of digits in `text`.
    static func words(of text: String) -> [String] { runs(of: text).map(\.word) }

    /// The lower-case runs of letters and of digits in `text`, each with whether the next run
    /// follows it with nothing between (`q1`).
    static func runs(of text: String) -> [(word: String, glued: Bool)] {
        var out: [(word: String, glued: Bool)] = []
        var current = ""
        var digits = false
        for character in text.lowercased() {
            let isDigit = character.isASCII && character.isNumber
            let isLetter = character.isASCII && character.isLetter
            if (isDigit || isLetter) && (current.isEmpty || isDigit == digits) {
                current.append(character)
                digits = isDigit
                continue
            }
            if !current.isEmpty { out.append((current, isDigit || isLetter)) }
            current = isDigit || isLetter ? String(character) : ""
            digits = isDigit
        }
        if !current.isEmpty { out.append((current, false)) }
        return out
    }

    /// A number that can be part of a date: up to 31 in one or two digits (a month, a day, a
    /// financial year's second half) or a year from 1990 to 2099. Six or eight digits in one run
    /// (201303, 20130430) are not: a case system's person id has that shape.
    static func isDatePart(_ digits: String) -> Bool {
        let value = Int(digits) ?? -1
        switch digits.count {
        case 1, 2: return value <= 31
        case 4: return (1990...2099).contains(value)
        default: return false
        }
    }
}
