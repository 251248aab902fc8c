import Yams

/// A YAML node with its file, so that every configuration error can say `file:line:column`.
///
/// Accessors never throw: they record a `VigilError` in the shared `Diagnostics` and return nil,
/// so one pass over a file reports all of its errors.
public struct YAMLNode {
    /// The underlying Yams node.
    public let node: Node
    /// The file the node came from.
    public let file: String
    /// Where errors are collected.
    public let diagnostics: Diagnostics

    /// Wraps a node.
    public init(node: Node, file: String, diagnostics: Diagnostics) {
        self.node = node
        self.file = file
        self.diagnostics = diagnostics
    }

    /// Parses YAML text; a syntax error is recorded and nil returned.
    ///
    /// Every scalar is read as text (the accessors below convert it), so the nodes are composed
    /// with Yams' basic resolver: its default one matches each plain scalar against regular
    /// expressions for booleans, numbers, nulls and timestamps, again whenever a mapping's keys
    /// are compared for duplicates, and that was a third of reading the configuration. Duplicate
    /// keys are found as before, by their text (`1` and `'1'` are now the same key, as the
    /// accessors read them).
    public static func parse(_ text: String, file: String, diagnostics: Diagnostics) -> YAMLNode? {
        do {
            guard let node = try Yams.compose(yaml: text, .basic) else {
                diagnostics.error(.config, "the file is empty; expected a YAML mapping", at: SourceLocation(file: file))
                return nil
            }
            return YAMLNode(node: node, file: file, diagnostics: diagnostics)
        } catch let error as YamlError {
            diagnostics.error(.config, "invalid YAML: \(YAMLNode.describe(error))", at: YAMLNode.location(of: error, file: file))
            return nil
        } catch {
            diagnostics.error(.config, "invalid YAML: \(error)", at: SourceLocation(file: file))
            return nil
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        case .reader(let problem, _, _, _): return problem
        case .duplicatedKeysInMapping(let duplicates, _):
            return
                "duplicate key\(duplicates.count == 1 ? "" : "s") \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a mapping"
        default: return "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
        }
    }

    private static func location(of error: YamlError, file: String) -> SourceLocation {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return SourceLocation(file: file, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(_, let context):
            return SourceLocation(file: file, line: context.mark.line, column: context.mark.column)
        default: return SourceLocation(file: file)
        }
    }

    /// Where this node starts.
    public var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line, column: node.mark?.column)
    }

    /// Records an error at this node.
    public func error(_ message: String, code: VigilError.Code = .config) {
        diagnostics.error(code, message, at: location)
    }

    private func wrap(_ node: Node) -> YAMLNode { YAMLNode(node: node, file: file, diagnostics: diagnostics) }

    /// The mapping's entries in order, or nil (with an error) if this is not a mapping.
    public func mapping(_ what: String) -> [(key: String, keyNode: YAMLNode, value: YAMLNode)]? {
        guard case .mapping(let mapping) = node else {
            error("expected \(what) (a mapping of keys to values)")
            return nil
        }
        return mapping.map { pair in
            (key: pair.key.string ?? "", keyNode: wrap(pair.key), value: wrap(pair.value))
        }
    }

    /// The sequence's items, or nil (with an error) if this is not a sequence.
    public func sequence(_ what: String) -> [YAMLNode]? {
        guard case .sequence(let sequence) = node else {
            error("expected \(what) (a list)")
            return nil
        }
        return sequence.map(wrap)
    }

    /// A scalar's text, or nil (with an error).
    public func string(_ what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error("expected \(what) (a text value)")
            return nil
        }
        return scalar.string
    }

    /// A number, or nil (with an error).
    public func double(_ what: String) -> Double? {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string), value.isFinite else {
            error("expected \(what) (a number), found \(quoted)")
            return nil
        }
        return value
    }

    /// A whole number, or nil (with an error).
    public func int(_ what: String) -> Int? {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            error("expected \(what) (a whole number), found \(quoted)")
            return nil
        }
        return value
    }

    /// `true`/`false`, or nil (with an error).
    public func bool(_ what: String) -> Bool? {
        guard case .scalar(let scalar) = node else {
            error("expected \(what) (true or false)")
            return nil
        }
        switch scalar.string {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error("expected \(what) (true or false), found \(quoted)")
            return nil
        }
    }

    /// A list of texts (a single text is accepted as a one-item list).
    public func strings(_ what: String) -> [String]? {
        if case .scalar(let scalar) = node { return [scalar.string] }
        return sequence(what)?.compactMap { $0.string(what) }
    }

    /// A list of whole numbers (a single number is accepted as a one-item list).
    public func ints(_ what: String) -> [Int]? {
        if case .scalar = node { return int(what).map { [$0] } }
        return sequence(what)?.compactMap { $0.int(what) }
    }

    /// The node's text for error messages.
    public var quoted: String {
        switch node {
        case .scalar(let scalar): return "'\(scalar.string)'"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}

/// Reads the keys of a YAML mapping, reporting unknown keys and missing required ones.
public struct YAMLFields {
    private var entries: [String: YAMLNode] = [:]
    private let owner: YAMLNode

    /// Reads `node` as a mapping whose allowed keys are `allowed`; unknown keys are errors.
    public init?(_ node: YAMLNode, _ what: String, allowed: Set<String>) {
        owner = node
        guard let mapping = node.mapping(what) else { return nil }
        for entry in mapping {
            if !allowed.contains(entry.key) {
                let known = allowed.sorted().joined(separator: ", ")
                entry.keyNode.error("unknown key '\(entry.key)' in \(what); expected one of: \(known)")
            } else if entries[entry.key] != nil {
                entry.keyNode.error("duplicate key '\(entry.key)' in \(what)")
            } else {
                entries[entry.key] = entry.value
            }
        }
    }

    /// An optional key.
    public subscript(_ key: String) -> YAMLNode? { entries[key] }

    /// A required key; its absence is an error at the mapping.
    public func required(_ key: String, in what: String) -> YAMLNode? {
        if let node = entries[key] { return node }
        owner.error("missing required key '\(key)' in \(what)")
        return nil
    }

    /// Whether the key is present.
    public func has(_ key: String) -> Bool { entries[key] != nil }
}
