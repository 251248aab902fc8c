/// Who receives the digest and how (`digest:` in `vigil.yaml`): recipients per digest (the whole
/// board, or a sub-group by priority), sent as MIME email (text, HTML and a PDF) over SMTP to the
/// local mail server.
public struct DigestDelivery: Hashable, Sendable {
    /// One digest's recipients.
    public struct Recipient: Hashable, Sendable {
        /// A name for the list, e.g. "Whole board" or "CSE and missing sub-group".
        public var name: String
        /// Email addresses.
        public var to: [String]
        /// Only these priorities (empty: the whole board).
        public var priorities: [Int]
        /// Counts of 1 to 5 shown as `c` in this list's digest (`suppress_small`), for a list
        /// beyond the board (review helper-54: every emailed edition carried the small counts).
        public var suppressSmall: Bool = false
        /// Where it was declared (for errors about priorities, checked against the catalogue).
        public var location: SourceLocation
    }

    /// The recipients, in the order given.
    public var recipients: [Recipient] = []
    /// The sender address.
    public var from: String = "vigil@localhost"
    /// The SMTP server: `host:port` (default the local MTA, `localhost:25`).
    public var smtp: String = "localhost:25"
    /// Attach a PDF (rendered with headless Chromium).
    public var pdf: Bool = true

    /// Parses the `digest` section.
    static func parse(_ node: YAMLNode) -> DigestDelivery? {
        guard let f = YAMLFields(node, "digest", allowed: ["recipients", "from", "smtp", "pdf"]) else { return nil }
        var delivery = DigestDelivery()
        if let from = f["from"]?.string("from address") {
            if DigestDelivery.isAddress(from) {
                delivery.from = from
            } else {
                f["from"]?.error("'\(from)' is not an email address")
            }
        }
        if let smtp = f["smtp"]?.string("SMTP server") {
            if let colon = smtp.lastIndex(of: ":"), let port = Int(smtp[smtp.index(after: colon)...]), port > 0, port < 65536,
                colon != smtp.startIndex
            {
                delivery.smtp = smtp
            } else {
                f["smtp"]?.error("smtp must be host:port, e.g. localhost:25")
            }
        }
        delivery.pdf = f["pdf"]?.bool("pdf") ?? true
        for item in f["recipients"]?.sequence("recipients") ?? [] {
            guard let r = YAMLFields(item, "a recipient", allowed: ["name", "to", "priorities", "suppress_small"]) else {
                continue
            }
            let to = r.required("to", in: "a recipient")?.strings("addresses") ?? []
            for address in to where !DigestDelivery.isAddress(address) {
                r["to"]?.error("'\(address)' is not an email address")
            }
            if to.isEmpty { r["to"]?.error("a recipient needs at least one address") }
            delivery.recipients.append(
                Recipient(
                    name: r["name"]?.string("name") ?? "Whole board", to: to,
                    priorities: r["priorities"]?.ints("priorities") ?? [],
                    suppressSmall: r["suppress_small"]?.bool("suppress_small") ?? false, location: item.location))
        }
        return delivery
    }

    /// A plain address (`local@domain`): no spaces, angle brackets or line breaks, so it can go
    /// into a header or an SMTP command unchanged.
    public static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, text.utf8.count <= 254 else { return false }
        return text.unicodeScalars.allSatisfy { $0.value > 32 && $0.value < 127 && !"<>()[],;:\\\"".unicodeScalars.contains($0) }
    }
}
