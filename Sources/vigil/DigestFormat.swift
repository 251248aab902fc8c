import ArgumentParser

/// Digest formats.
enum DigestFormat: String, ExpressibleByArgument, CaseIterable {
    case html, markdown, text, pdf
    var fileExtension: String {
        switch self {
        case .markdown: return "md"
        case .html: return "html"
        case .text: return "txt"
        case .pdf: return "pdf"
        }
    }
}
