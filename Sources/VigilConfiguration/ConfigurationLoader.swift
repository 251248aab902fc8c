import Foundation
import VigilCore

#if canImport(Glibc)
    import Glibc
#endif

/// A loaded and validated configuration: the main file, the catalogue and every rule.
public struct LoadedConfiguration: Sendable {
    /// The main file's settings.
    public var config: VigilConfig
    /// The main file's path.
    public var path: String
    /// Its folder; relative paths resolve against it.
    public var baseDirectory: String
    /// The validated catalogue.
    public var catalogue: Catalogue
    /// The validated rules.
    public var rules: [Rule]
    /// Indicators the rule files leave unwatched on purpose, with the reason.
    public var notWatched: [String: String] = [:]
    /// The rule files read.
    public var ruleFiles: [String]
    /// The rule unit-test files found.
    public var testFiles: [String]
    /// Record-level extract definitions.
    public var recordFeeds: [RecordFeed]

    /// A feed parser for this configuration (aggregate feeds and record-level extracts), with the
    /// per-file bound of `max_values_per_partner`.
    public var parser: FeedParser {
        var parser = FeedParser(catalogue: catalogue, recordFeeds: recordFeeds)
        parser.valueLimit = config.maxValuesPerPartner
        return parser
    }

    /// Resolves a configured path against the configuration folder.
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : (baseDirectory as NSString).appendingPathComponent(path)
    }
}

/// Reads configuration files from disk and validates them together, reporting every error.
public enum ConfigurationLoader {
    /// Loads `vigil.yaml`, its catalogue and rule files.
    ///
    /// - Throws: `VigilErrors` listing every problem in every file.
    public static func load(path: String) throws -> LoadedConfiguration {
        let diagnostics = Diagnostics()
        let base = (path as NSString).deletingLastPathComponent
        guard let text = readText(path, diagnostics),
            let config = VigilConfig.parse(yaml: text, file: path, diagnostics: diagnostics)
        else { throw VigilErrors(diagnostics.errors) }
        let resolve = { (p: String) in p.hasPrefix("/") ? p : (base as NSString).appendingPathComponent(p) }
        let cataloguePath = resolve(config.catalogue)
        guard let catalogueText = readText(cataloguePath, diagnostics),
            let catalogue = Catalogue.parse(yaml: catalogueText, file: cataloguePath, diagnostics: diagnostics)
        else { throw VigilErrors(diagnostics.errors) }
        for partner in config.partners where catalogue.partner(partner) == nil {
            diagnostics.error(.config, "partner '\(partner)' is not in the catalogue's partners", at: SourceLocation(file: path))
        }
        for recipient in config.digest.recipients {
            for p in recipient.priorities where catalogue.priority(p) == nil {
                diagnostics.error(
                    .config, "recipient '\(recipient.name)': \(p) is not one of the board's priorities", at: recipient.location)
            }
        }
        let ruleFiles = config.rules.flatMap { expand(resolve($0), diagnostics, at: path) }
        let texts = ruleFiles.compactMap { file in readText(file, diagnostics).map { (path: file, text: $0) } }
        var (rules, notWatched) = RuleSet.parsePack(files: texts, catalogue: catalogue, diagnostics: diagnostics)
        // The return schedule chases every scheduled feed no rule file already chases.
        rules += ReturnSchedule(catalogue: catalogue).overdueRules(excluding: rules, catalogue: catalogue)
        let testFiles = config.tests.flatMap { expand(resolve($0), Diagnostics(), at: path) }
        let recordFeeds = config.records.flatMap { expand(resolve($0), diagnostics, at: path) }.flatMap { file in
            readText(file, diagnostics).map {
                RecordFeed.parse(yaml: $0, file: file, catalogue: catalogue, diagnostics: diagnostics)
            } ?? []
        }
        try diagnostics.throwIfAny()
        return LoadedConfiguration(
            config: config, path: path, baseDirectory: base, catalogue: catalogue, rules: rules,
            notWatched: notWatched, ruleFiles: ruleFiles, testFiles: testFiles, recordFeeds: recordFeeds)
    }

    static func readText(_ path: String, _ diagnostics: Diagnostics) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else {
            diagnostics.error(.unreadable, "cannot read the file (missing or not readable)", at: SourceLocation(file: path))
            return nil
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            diagnostics.error(.unreadable, "the file is not valid UTF-8", at: SourceLocation(file: path))
            return nil
        }
        return text
    }

    /// Expands `*` in the last path component; a pattern with no match is an error, a plain path is kept.
    static func expand(_ pattern: String, _ diagnostics: Diagnostics, at config: String) -> [String] {
        let name = (pattern as NSString).lastPathComponent
        guard name.contains("*") || name.contains("?") else { return [pattern] }
        let directory = (pattern as NSString).deletingLastPathComponent
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let matches = entries.filter { fnmatch(name, $0, 0) == 0 && !$0.hasPrefix(".") }.sorted()
        if matches.isEmpty {
            diagnostics.error(.config, "no files match '\(pattern)'", at: SourceLocation(file: config))
        }
        return matches.map { (directory as NSString).appendingPathComponent($0) }
    }
}
