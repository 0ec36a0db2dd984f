import NIOCore
import NIOPosix
import XCTest
@testable import EGovServer

/// The SMTP client against a tiny SMTP server on 127.0.0.1 that records the conversation.
final class SMTPMailSenderTests: XCTestCase {
    func test_sendsEnvelopeUTF8SubjectAndBase64Body() async throws {
        let server = try await FakeSMTPServer.start()
        let settings = SMTPSettings(host: "127.0.0.1", port: server.port, username: "egov", password: "bí mật", from: "no-reply@egov.test", startTLS: true)
        let mail = OutgoingMail(to: "congdan@example.vn", subject: "Mã xác nhận tài khoản Cổng dịch vụ công của ông Trần Văn Công",
                                body: "Mã xác nhận của bạn là 123456.\nMã có hiệu lực trong 30 phút.")
        try await SMTPMailSender(settings: settings).send(mail)
        try await server.stop()

        let commands = server.commands
        XCTAssertTrue(commands[0].hasPrefix("EHLO "))
        XCTAssertEqual(commands[1], "AUTH PLAIN " + Data("\0egov\0bí mật".utf8).base64EncodedString())
        XCTAssertEqual(Array(commands[2...]), ["MAIL FROM:<no-reply@egov.test>", "RCPT TO:<congdan@example.vn>", "DATA", "QUIT"])

        let message = try XCTUnwrap(server.messages.first)
        XCTAssertEqual(message.header("From"), "no-reply@egov.test")
        XCTAssertEqual(message.header("To"), "congdan@example.vn")
        XCTAssertEqual(message.header("Content-Type"), "text/plain; charset=UTF-8")
        XCTAssertEqual(message.header("Content-Transfer-Encoding"), "base64")
        let rawSubject = try XCTUnwrap(message.header("Subject"))
        XCTAssertTrue(rawSubject.hasPrefix("=?UTF-8?B?"))
        XCTAssertTrue(rawSubject.split(separator: " ").allSatisfy { $0.count <= 75 }, "encoded words stay within 75 characters")
        XCTAssertEqual(Self.decodeEncodedWords(rawSubject), mail.subject)
        let body = String(decoding: try XCTUnwrap(Data(base64Encoded: message.body.joined())), as: UTF8.self)
        XCTAssertEqual(body, "Mã xác nhận của bạn là 123456.\r\nMã có hiệu lực trong 30 phút.")
    }

    func test_usesAuthLoginWhenThatIsAllTheServerOffersAndSkipsAuthWithoutCredentials() async throws {
        let server = try await FakeSMTPServer.start(authMechanisms: "LOGIN")
        var settings = SMTPSettings(host: "127.0.0.1", port: server.port, username: "egov", password: "secret", from: "a@egov.test", startTLS: false)
        try await SMTPMailSender(settings: settings).send(OutgoingMail(to: "b@example.vn", subject: "Xin chào", body: "Nội dung"))
        settings.username = nil
        try await SMTPMailSender(settings: settings).send(OutgoingMail(to: "c@example.vn", subject: "Xin chào", body: "Nội dung"))
        try await server.stop()
        let commands = server.commands.filter { !$0.hasPrefix("EHLO") }
        XCTAssertEqual(Array(commands.prefix(3)), ["AUTH LOGIN", Data("egov".utf8).base64EncodedString(), Data("secret".utf8).base64EncodedString()])
        XCTAssertFalse(commands.dropFirst(3).contains { $0.hasPrefix("AUTH") })
        XCTAssertEqual(server.messages.count, 2)
    }

    func test_aRefusedRecipientIsAnError() async throws {
        let server = try await FakeSMTPServer.start(refuseRecipients: true)
        let settings = SMTPSettings(host: "127.0.0.1", port: server.port, username: nil, password: nil, from: "a@egov.test", startTLS: false)
        do {
            try await SMTPMailSender(settings: settings).send(OutgoingMail(to: "ghost@example.vn", subject: "x", body: "y"))
            XCTFail("a 550 was accepted")
        } catch let error as SMTPError {
            XCTAssertTrue(error.description.contains("550"), error.description)
        }
        try await server.stop()
    }

    /// `=?UTF-8?B?…?=` words separated by folding white space, joined back.
    static func decodeEncodedWords(_ header: String) -> String {
        header.split(whereSeparator: { $0 == " " || $0 == "\r" || $0 == "\n" }).map { word -> String in
            let text = String(word)
            guard text.hasPrefix("=?UTF-8?B?"), text.hasSuffix("?=") else { return text }
            let payload = text.dropFirst("=?UTF-8?B?".count).dropLast(2)
            return String(decoding: Data(base64Encoded: String(payload)) ?? Data(), as: UTF8.self)
        }.joined()
    }
}

/// Records commands and messages; answers like a permissive mail server.
final class FakeSMTPServer: @unchecked Sendable {
    struct Message {
        var headers: [String] = []
        var body: [String] = []
        func header(_ name: String) -> String? {
            headers.first { $0.lowercased().hasPrefix(name.lowercased() + ":") }.map { String($0.dropFirst(name.count + 1)).trimmingCharacters(in: .whitespaces) }
        }
    }

    private let lock = NSLock()
    private var _commands: [String] = []
    private var _messages: [Message] = []
    let authMechanisms: String
    let refuseRecipients: Bool
    private var channel: Channel?

    var commands: [String] { lock.lock(); defer { lock.unlock() }; return _commands }
    var messages: [Message] { lock.lock(); defer { lock.unlock() }; return _messages }
    var port: Int { channel?.localAddress?.port ?? 0 }

    private init(authMechanisms: String, refuseRecipients: Bool) {
        self.authMechanisms = authMechanisms
        self.refuseRecipients = refuseRecipients
    }

    static func start(authMechanisms: String = "PLAIN LOGIN", refuseRecipients: Bool = false) async throws -> FakeSMTPServer {
        let server = FakeSMTPServer(authMechanisms: authMechanisms, refuseRecipients: refuseRecipients)
        server.channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                    try channel.pipeline.syncOperations.addHandler(FakeSMTPHandler(server: server))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        return server
    }

    func stop() async throws { try await channel?.close() }

    fileprivate func record(command: String) { lock.lock(); _commands.append(command); lock.unlock() }
    fileprivate func record(message: Message) { lock.lock(); _messages.append(message); lock.unlock() }
}

private final class FakeSMTPHandler: ChannelInboundHandler {
    typealias InboundIn = String
    typealias OutboundOut = ByteBuffer

    let server: FakeSMTPServer
    var message: FakeSMTPServer.Message?
    var inBody = false
    var authLoginSteps = 0

    init(server: FakeSMTPServer) { self.server = server }

    func channelActive(context: ChannelHandlerContext) { reply("220 fake.test ESMTP", context) }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        if var current = message {
            if line == "." {
                server.record(message: current)
                message = nil
                inBody = false
                return reply("250 2.0.0 queued", context)
            }
            if inBody {
                current.body.append(line)
            } else if line.isEmpty {
                inBody = true
            } else if line.first == " ", !current.headers.isEmpty {
                current.headers[current.headers.count - 1] += line // a folded header goes on
            } else {
                current.headers.append(line)
            }
            message = current
            return
        }
        server.record(command: line)
        if authLoginSteps > 0 {
            authLoginSteps -= 1
            return reply(authLoginSteps == 0 ? "235 2.7.0 accepted" : "334 UGFzc3dvcmQ6", context)
        }
        let verb = line.split(separator: " ").first.map { $0.uppercased() } ?? ""
        switch verb {
        case "EHLO": reply("250-fake.test\r\n250-AUTH \(server.authMechanisms)\r\n250 8BITMIME", context)
        case "AUTH" where line.uppercased() == "AUTH LOGIN":
            authLoginSteps = 2
            reply("334 VXNlcm5hbWU6", context)
        case "AUTH": reply("235 2.7.0 accepted", context)
        case "MAIL": reply("250 2.1.0 ok", context)
        case "RCPT": reply(server.refuseRecipients ? "550 5.1.1 no such user" : "250 2.1.5 ok", context)
        case "DATA":
            message = FakeSMTPServer.Message()
            reply("354 end with <CRLF>.<CRLF>", context)
        case "QUIT":
            reply("221 bye", context)
            context.close(promise: nil)
        default: reply("500 unknown command", context)
        }
    }

    private func reply(_ text: String, _ context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text + "\r\n")), promise: nil)
    }
}
