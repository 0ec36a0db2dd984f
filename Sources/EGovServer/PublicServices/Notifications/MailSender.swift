import Vapor

/// One e-mail to one person. The body is plain text.
struct OutgoingMail: Sendable, Equatable {
    var to: String
    var subject: String
    var body: String
    /// The Message-ID's part before the `@`. A job sends every attempt of one message under the
    /// same one, so a copy resent after a crash is recognisably the same message.
    var messageID: String? = nil
}

/// One text message (SMS) to one phone.
struct OutgoingTextMessage: Sendable, Equatable {
    var to: String
    var body: String
}

/// How e-mail leaves the server: SMTP when configured, the log otherwise; tests record.
protocol MailSender: Sendable {
    func send(_ message: OutgoingMail) async throws
}

/// How text messages leave the server. No SMS gateway ships with EGov: a deployer plugs in
/// their operator's API here; until then messages go to the log.
protocol TextMessageSender: Sendable {
    func send(_ message: OutgoingTextMessage) async throws
}

/// The no-SMTP default: the message goes to the app log, so a developer can read confirmation codes.
struct LoggingMailSender: MailSender {
    let logger: Logger
    func send(_ message: OutgoingMail) async throws {
        logger.info("mail (no SMTP configured) to \(message.to): \(message.subject)\n\(message.body)")
    }
}

struct LoggingTextMessageSender: TextMessageSender {
    let logger: Logger
    func send(_ message: OutgoingTextMessage) async throws {
        logger.info("SMS (no gateway configured) to \(message.to): \(message.body)")
    }
}

