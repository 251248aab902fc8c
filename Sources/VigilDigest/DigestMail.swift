import Foundation

/// A digest as one MIME message (RFC 2045–2047): `multipart/mixed` holding a
/// `multipart/alternative` of the text and HTML editions, and the PDF as an attachment. Pure: the
/// caller supplies the date, the message id and the boundary seed; headers cannot be split by any
/// value (addresses are checked, the subject is encoded).
public struct DigestMail: Sendable {
    /// The sender.
    public var from: String
    /// The recipients.
    public var to: [String]
    /// The subject (any text; encoded when not ASCII).
    public var subject: String
    /// The plain-text edition.
    public var text: String
    /// The HTML edition.
    public var html: String
    /// The PDF, if rendered.
    public var pdf: [UInt8]?
    /// The PDF's file name.
    public var pdfName: String = "digest.pdf"

    /// Creates a message.
    public init(from: String, to: [String], subject: String, text: String, html: String, pdf: [UInt8]?) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.pdf = pdf
    }

    /// The message with CRLF line ends, ready for SMTP `DATA` (before dot-stuffing).
    public func render(date: Date, messageID: String, boundary: String) -> String {
        let mixed = "mixed-" + boundary
        let alternative = "alt-" + boundary
        var lines: [String] = [
            "From: \(from)",
            "To: \(to.joined(separator: ", "))",
            "Subject: \(DigestMail.encodedHeader(subject))",
            "Date: \(DigestMail.rfc5322(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: multipart/mixed; boundary=\"\(mixed)\"",
            "",
            "This is a MIME message: the digest as text, HTML and PDF.",
            "--\(mixed)",
            "Content-Type: multipart/alternative; boundary=\"\(alternative)\"",
            "",
            "--\(alternative)",
        ]
        lines += part("text/plain; charset=utf-8", Array(text.utf8))
        lines.append("--\(alternative)")
        lines += part("text/html; charset=utf-8", Array(html.utf8))
        lines.append("--\(alternative)--")
        if let pdf {
            lines.append("--\(mixed)")
            lines += part("application/pdf; name=\"\(pdfName)\"", pdf, disposition: "attachment; filename=\"\(pdfName)\"")
        }
        lines.append("--\(mixed)--")
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    private func part(_ type: String, _ bytes: [UInt8], disposition: String? = nil) -> [String] {
        var lines = ["Content-Type: \(type)", "Content-Transfer-Encoding: base64"]
        if let disposition { lines.append("Content-Disposition: \(disposition)") }
        lines.append("")
        let encoded = Data(bytes).base64EncodedString()
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines
    }

    /// A header value: printable ASCII as it is (line breaks become spaces), anything else as an
    /// RFC 2047 encoded word.
    static func encodedHeader(_ text: String) -> String {
        let flat = String(text.map { $0 == "\n" || $0 == "\r" ? " " : $0 })
        if flat.unicodeScalars.allSatisfy({ $0.value >= 32 && $0.value < 127 }) { return flat }
        return "=?UTF-8?B?" + Data(flat.utf8).base64EncodedString() + "?="
    }

    /// "Wed, 02 Dec 2026 06:34:00 +0000".
    static func rfc5322(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
