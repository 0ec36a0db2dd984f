import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Vapor

/// `EGOV_SMTP_*`: the mail server EGov hands its mail to.
struct SMTPSettings: Sendable, Equatable {
    var host: String
    var port: Int
    var username: String?
    var password: String?
    var from: String
    /// Upgrade with STARTTLS when the server offers it (port 587); a local relay on port 25 may not.
    var startTLS: Bool

    static func fromEnvironment(_ value: (String) -> String?) -> SMTPSettings? {
        guard let host = value("EGOV_SMTP_HOST") else { return nil }
        return SMTPSettings(host: host, port: value("EGOV_SMTP_PORT").flatMap(Int.init) ?? 587,
                            username: value("EGOV_SMTP_USERNAME"), password: value("EGOV_SMTP_PASSWORD"),
                            from: value("EGOV_SMTP_FROM") ?? "no-reply@\(host)",
                            startTLS: value("EGOV_SMTP_STARTTLS").map { $0.lowercased() != "false" } ?? true)
    }
}

struct SMTPError: Error, CustomStringConvertible {
    let description: String
}

/// A small SMTP client: one connection per message, EHLO, optional STARTTLS and AUTH PLAIN or
/// LOGIN, then MAIL FROM, RCPT TO and DATA with a UTF-8 subject (RFC 2047) and a base64 body.
struct SMTPMailSender: MailSender {
    let settings: SMTPSettings
    var timeout: TimeAmount = .seconds(30)
    /// Injected so tests can fix the Date and Message-ID headers.
    var now: @Sendable () -> Date = { Date() }

    func send(_ message: OutgoingMail) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: settings.host, port: settings.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let deadline = channel.channel.eventLoop.scheduleTask(in: timeout) { channel.channel.close(promise: nil) }
        defer { deadline.cancel() }
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(lines: inbound.makeAsyncIterator(), outbound: outbound)
            try await session.expect([220])
            var extensions = try await session.command("EHLO \(Self.helloName)", expect: 250)
            if settings.startTLS, extensions.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) {
                try await session.command("STARTTLS", expect: 220)
                let context = try NIOSSLContext(configuration: .makeClientConfiguration())
                let host = settings.host
                try await channel.channel.eventLoop.submit {
                    try channel.channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: host), position: .first)
                }.get()
                extensions = try await session.command("EHLO \(Self.helloName)", expect: 250)
            }
            if let username = settings.username {
                let password = settings.password ?? ""
                let auth = extensions.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased() ?? ""
                if auth.contains("PLAIN") || !auth.contains("LOGIN") {
                    let token = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
                    try await session.command("AUTH PLAIN \(token)", expect: 235)
                } else {
                    try await session.command("AUTH LOGIN", expect: 334)
                    try await session.command(Data(username.utf8).base64EncodedString(), expect: 334)
                    try await session.command(Data(password.utf8).base64EncodedString(), expect: 235)
                }
            }
            try await session.command("MAIL FROM:<\(settings.from)>", expect: 250)
            try await session.command("RCPT TO:<\(message.to)>", expect: 250, 251)
            try await session.command("DATA", expect: 354)
            try await session.command(Self.render(message, from: settings.from, date: now()) + "\r\n.", expect: 250)
            _ = try? await session.command("QUIT", expect: 221)
        }
    }

    private static var helloName: String { ProcessInfo.processInfo.hostName.isEmpty ? "localhost" : ProcessInfo.processInfo.hostName }

    /// Headers and base64 body, CRLF line ends; base64 lines never start with a dot, so no dot-stuffing is needed.
    static func render(_ message: OutgoingMail, from: String, date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
        let body = Data(message.body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8)
            .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return [
            "From: \(from)",
            "To: \(message.to)",
            "Subject: \(encodedWords(message.subject))",
            "Date: \(formatter.string(from: date))",
            "Message-ID: <\(message.messageID ?? UUID().uuidString.lowercased())@\(domain)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
            "",
            body,
        ].joined(separator: "\r\n")
    }

    /// RFC 2047 `=?UTF-8?B?…?=` words of at most 45 bytes each (75 characters encoded), folded.
    static func encodedWords(_ text: String) -> String {
        var words: [String] = []
        var chunk = ""
        for character in text {
            if chunk.utf8.count + String(character).utf8.count > 45 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(character)
        }
        if !chunk.isEmpty || words.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }
}

/// Reads replies (`250-…` continued, `250 …` last) and sends commands.
private struct SMTPSession {
    var lines: NIOAsyncChannelInboundStream<String>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    /// The reply's text lines after the code, e.g. the EHLO extensions.
    @discardableResult
    mutating func expect(_ codes: [Int]) async throws -> [String] {
        var texts: [String] = []
        while true {
            guard let line = try await lines.next() else { throw SMTPError(description: "the mail server closed the connection") }
            guard line.count >= 3, let code = Int(line.prefix(3)) else { throw SMTPError(description: "unreadable reply: \(line)") }
            texts.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                guard codes.contains(code) else { throw SMTPError(description: "mail server answered \(line)") }
                return texts
            }
        }
    }

    @discardableResult
    mutating func command(_ text: String, expect codes: Int...) async throws -> [String] {
        try await outbound.write(ByteBuffer(string: text + "\r\n"))
        return try await expect(codes)
    }
}

/// Splits the byte stream into lines without their CRLF (the tests' fake server uses it too).
struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return .needMoreData }
        let length = newline - buffer.readerIndex
        var line = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }
}
