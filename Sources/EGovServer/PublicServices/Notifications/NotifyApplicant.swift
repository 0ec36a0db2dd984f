import EGovCore
import Fluent
import Vapor

/// Sends a message to an applicant by e-mail when they gave one, else by SMS. A failed send is
/// logged and swallowed: the use case that notified has already happened.
enum ApplicantMessenger {
    /// To one e-mail address or phone number (a new one, before it is the account's).
    static func deliver(toContact contact: String, subject: String, body: String, in ctx: UseCaseContext) async {
        do {
            if ContactChannel(of: contact) == .email {
                try await ctx.services.mail.send(OutgoingMail(to: contact, subject: subject, body: body))
            } else {
                try await ctx.services.textMessages.send(OutgoingTextMessage(to: contact, body: "\(subject): \(body)"))
            }
        } catch {
            ctx.logger.error("could not send \"\(subject)\" to \(contact): \(String(reflecting: error))")
        }
    }

    static func deliver(to applicant: Applicant, subject: String, body: String, in ctx: UseCaseContext) async {
        guard let contact = applicant.email ?? applicant.phone else {
            ctx.logger.warning("applicant \(applicant.id?.uuidString ?? "?") has no e-mail or phone; message not sent: \(subject)")
            return
        }
        await deliver(toContact: contact, subject: subject, body: body, in: ctx)
    }
}

/// Stores an in-app notification for an applicant and sends it by e-mail or SMS. The dossier
/// work calls this when a dossier is accepted, needs a supplement, or has its result.
struct NotifyApplicant {
    let applicantID: UUID
    let title: String
    let body: String
    var link: String?

    @discardableResult
    func run(in ctx: UseCaseContext) async throws -> ApplicantNotification {
        let (applicantID, title, body, link, now) = (self.applicantID, self.title, self.body, self.link, ctx.now)
        let (notification, applicant) = try await ctx.recording(as: AuditContext(actor: nil, requestID: ctx.requestID)).audited { db, trail in
            guard let applicant = try await Applicant.find(applicantID, on: db) else { throw EGovError.notFound("Không tìm thấy tài khoản công dân, doanh nghiệp.") }
            let notification = ApplicantNotification(applicantID: applicantID, title: title, body: body, link: link, createdAt: now)
            try await notification.create(on: db)
            trail.record("applicant.notify", objectType: "applicant", objectID: applicantID.uuidString, details: title)
            return (notification, applicant)
        }
        let text = link.map { "\(body)\n\n\(ctx.settings.publicURL)\($0)" } ?? body
        await ApplicantMessenger.deliver(to: applicant, subject: title, body: text, in: ctx)
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
