import EGovCore
import Fluent
import Vapor

/// Messages to applicants leave by e-mail when there is an address, else by SMS, through the job
/// queue: the message is enqueued in the transaction of the change it tells of, and the request
/// does not wait for the mail server.
enum ApplicantMessenger {
    /// To one e-mail address or phone number (a new one, before it is the account's). `key` names
    /// the effect when it has a name (a notification), so enqueueing it twice sends it once.
    static func enqueue(toContact contact: String, subject: String, body: String, key: String? = nil,
                        at now: Date, on db: Database) async throws {
        let payload = ApplicantMessageJob.Payload(to: contact, subject: subject, body: body)
        try await JobQueue.enqueue(try Job(ApplicantMessageJob.self, payload, key: key, at: now), on: db)
    }

    static func enqueue(to applicant: Applicant, subject: String, body: String, key: String? = nil,
                        at now: Date, on db: Database, logger: Logger) async throws {
        guard let contact = applicant.email ?? applicant.phone else {
            logger.warning("applicant \(applicant.id?.uuidString ?? "?") has no e-mail or phone; message not sent: \(subject)")
            return
        }
        try await enqueue(toContact: contact, subject: subject, body: body, key: key, at: now, on: db)
    }
}

/// Sends one message to an applicant. SMTP cannot take part in a database transaction, so the
/// send comes first and the job's success (the "sent" mark) is committed right after it: delivery
/// is at least once. Only a crash between the server's acceptance and that commit sends the
/// message again, under the same Message-ID. At most once would lose the message in the same
/// window, and a lost confirmation code or dossier notice costs the applicant more than a copy.
struct ApplicantMessageJob: JobHandler {
    static let kind = "applicant.message"
    /// 10 s doubling: the last try is about 20 minutes after the first, inside a code's 30 minutes.
    static let maxAttempts = 8

    struct Payload: Codable, Sendable {
        var to: String
        var subject: String
        /// Cleared once sent: a confirmation code is not kept in clear after it has gone out.
        var body: String?
    }

    func run(_ payload: Payload, in context: JobContext) async throws {
        guard let body = payload.body else { return }
        let app = context.application
        if ContactChannel(of: payload.to) == .email {
            try await app.egovServices.mail.send(OutgoingMail(to: payload.to, subject: payload.subject, body: body,
                                                       messageID: "job-\(context.job.id.uuidString.lowercased())"))
        } else {
            try await app.egovServices.textMessages.send(OutgoingTextMessage(to: payload.to, body: "\(payload.subject): \(body)"))
        }
        let sent = String(decoding: try JSONEncoder().encode(Payload(to: payload.to, subject: payload.subject, body: nil)), as: UTF8.self)
        let id = context.job.id
        try await context.finish { db in
            try await Job.query(on: db).filter(\.$id == id).set(\.$payload, to: sent).update()
        }
    }
}

/// Stores an in-app notification for an applicant and enqueues its e-mail or SMS in the same
/// transaction. The dossier work calls this when a dossier is accepted, needs a supplement, or has its result.
struct NotifyApplicant {
    let applicantID: UUID
    let title: String
    let body: String
    var link: String?

    @discardableResult
    func run(in ctx: UseCaseContext) async throws -> ApplicantNotification {
        try await ctx.recording(as: AuditContext(actor: nil, requestID: ctx.requestID)).audited { db, trail in
            try await record(in: ctx, on: db, trail: trail)
        }
    }

    /// The same inside the caller's transaction `db`: the notification and its message commit
    /// with the change they tell of, or not at all.
    @discardableResult
    func record(in ctx: UseCaseContext, on db: Database, trail: AuditTrail) async throws -> ApplicantNotification {
        let now = ctx.now
        guard let applicant = try await Applicant.find(applicantID, on: db) else { throw EGovError.notFound("Không tìm thấy tài khoản công dân, doanh nghiệp.") }
        let notification = ApplicantNotification(applicantID: applicantID, title: title, body: body, link: link, createdAt: now)
        notification.id = UUID()
        try await notification.create(on: db)
        trail.record("applicant.notify", objectType: "applicant", objectID: applicantID.uuidString, details: title)
        let text = link.map { "\(body)\n\n\(ctx.settings.publicURL)\($0)" } ?? body
        try await ApplicantMessenger.enqueue(to: applicant, subject: title, body: text, key: "applicant.notification:\(notification.id!)",
                                             at: now, on: db, logger: ctx.logger)
        return notification
    }
}

enum ApplicantNotificationQueries {
    /// The applicant's own notifications, newest first; the only way they are read.
    static func list(for applicant: PortalApplicant, limit: Int = 100, on db: Database) async throws -> [ApplicantNotification] {
        try await ApplicantNotification.query(on: db).filter(\.$applicant.$id == applicant.id)
            .sort(\.$createdAt, .descending).limit(limit).all()
    }

    static func markAllRead(for applicant: PortalApplicant, now: Date, on db: Database) async throws {
        try await ApplicantNotification.query(on: db).filter(\.$applicant.$id == applicant.id).filter(\.$readAt == nil)
            .set(\.$readAt, to: now).update()
    }

    static func unreadCount(for applicant: PortalApplicant, on db: Database) async throws -> Int {
        try await ApplicantNotification.query(on: db).filter(\.$applicant.$id == applicant.id).filter(\.$readAt == nil).count()
    }
}
