import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Hands a message to an SMTP server (the local MTA, `localhost:25`): EHLO, MAIL FROM, RCPT TO,
/// DATA with dot-stuffing, QUIT; every reply checked. No setuid helper is involved, so it works
/// under the digest unit's `NoNewPrivileges=yes`, which stops most MTAs' `sendmail` programs.
struct SMTPClient {
    let host: String
    let port: Int

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(_ server: String) {
        let colon = server.lastIndex(of: ":") ?? server.endIndex
        host = String(server[..<colon])
        port = colon < server.endIndex ? Int(server[server.index(after: colon)...]) ?? 25 : 25
    }

    func send(from: String, to: [String], message: String) throws {
        let fd = try connect()
        defer { close(fd) }
        var buffer: [UInt8] = []
        func reply() throws -> (Int, String) {
            // A reply is one or more lines; the last has a space after the code.
            while true {
                if let end = buffer.firstIndex(of: 10) {
                    let line = String(decoding: buffer[..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    buffer.removeSubrange(...end)
                    let code = Int(line.prefix(3)) ?? 0
                    if line.count < 4 || line[line.index(line.startIndex, offsetBy: 3)] == " " { return (code, line) }
                    continue
                }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, 4096) }
                guard n > 0 else { throw Failure(description: "the mail server at \(host):\(port) closed the connection") }
                buffer += chunk[..<n]
            }
        }
        func command(_ text: String, expect: Int) throws {
            if !text.isEmpty { try write(fd, text + "\r\n") }
            let (code, line) = try reply()
            guard code / 100 == expect / 100 else {
                throw Failure(
                    description:
                        "the mail server at \(host):\(port) refused \(text.isEmpty ? "the message" : "'\(text.prefix(40))'"): \(line)"
                )
            }
        }
        try command("", expect: 220)
        try command("EHLO localhost", expect: 250)
        try command("MAIL FROM:<\(from)>", expect: 250)
        for address in to { try command("RCPT TO:<\(address)>", expect: 250) }
        try command("DATA", expect: 354)
        let stuffed = message.components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
        try write(fd, stuffed + (stuffed.hasSuffix("\r\n") ? "" : "\r\n") + ".\r\n")
        try command("", expect: 250)
        try? command("QUIT", expect: 221)
    }

    private func connect() throws -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw Failure(description: "cannot resolve the mail server \(host)")
        }
        defer { freeaddrinfo(list) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let e = entry {
            let fd = socket(e.pointee.ai_family, e.pointee.ai_socktype, e.pointee.ai_protocol)
            if fd >= 0 {
                if Glibc.connect(fd, e.pointee.ai_addr, e.pointee.ai_addrlen) == 0 { return fd }
                close(fd)
            }
            entry = e.pointee.ai_next
        }
        throw Failure(description: "cannot connect to the mail server at \(host):\(port): \(String(cString: strerror(errno)))")
    }

    private func write(_ fd: Int32, _ text: String) throws {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure(description: "cannot write to the mail server at \(host):\(port)") }
            bytes = bytes.dropFirst(n)
        }
    }
}
