import Fluent
import SQLKit
import Vapor

/// A message to an applicant shown in the portal (thông báo), also sent by e-mail or SMS.
final class ApplicantNotification: Model, @unchecked Sendable {
    static let schema = "applicant_notifications"

    @ID(key: .id) var id: UUID?
    @Parent(key: "applicant_id") var applicant: Applicant
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    /// A portal path the notification is about, e.g. a dossier's page.
    @OptionalField(key: "link") var link: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "read_at") var readAt: Date?

    init() {}

    init(applicantID: UUID, title: String, body: String, link: String?, createdAt: Date) {
        self.$applicant.id = applicantID
        self.title = title
        self.body = body
        self.link = link
        self.createdAt = createdAt
    }
}

struct CreateApplicantNotifications: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(ApplicantNotification.schema)
            .id()
            .field("applicant_id", .uuid, .required, .references(Applicant.schema, "id"))
            .field("title", .string, .required)
            .field("body", .string, .required)
            .field("link", .string)
            .field("created_at", .datetime, .required)
            .field("read_at", .datetime)
            .create()
        guard let sql = db as? SQLDatabase else { return }
        try await sql.raw("CREATE INDEX applicant_notifications_newest ON applicant_notifications (applicant_id, created_at)").run()
    }

    func revert(on db: Database) async throws { try await db.schema(ApplicantNotification.schema).delete() }
}
