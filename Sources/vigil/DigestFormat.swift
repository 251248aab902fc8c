import ArgumentParser

/// Digest formats.
enum DigestFormat: String, ExpressibleByArgument, CaseIterable {
    case html, markdown, text
    var fileExtension: String { self == .markdown ? "md" : self == .html ? "html" : "txt" }
}
