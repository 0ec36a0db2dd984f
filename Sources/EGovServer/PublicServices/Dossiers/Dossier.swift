import EGovCore
import Fluent
import SQLKit
import Vapor

/// A dossier (hồ sơ thủ tục hành chính) handed to an agency's one-stop office, online or at
/// the counter. The applicant's contact details are copied onto it: the public look-up and the
/// forms need them whether or not the applicant has an account.
final class Dossier: Model, @unchecked Sendable {
    static let schema = "dossiers"

    @ID(key: .id) var id: UUID?
    /// The receiving agency (cơ quan tiếp nhận).
    @Parent(key: "agency_id") var agency: Agency
    @Parent(key: "procedure_id") var procedure: Procedure
    @Field(key: "code") var code: String
    @Field(key: "channel") var channel: String
    @Field(key: "status") var status: Int
    @OptionalField(key: "applicant_id") var applicantID: UUID?
    @Field(key: "applicant_kind") var applicantKind: String
    @Field(key: "applicant_name") var applicantName: String
    /// CCCD or tax code: with the code, it opens the public look-up.
    @Field(key: "applicant_identity") var applicantIdentity: String
    @Field(key: "applicant_phone") var applicantPhone: String
    @Field(key: "applicant_email") var applicantEmail: String
    @Field(key: "applicant_address") var applicantAddress: String
    /// JSON object: form field key → value.
    @Field(key: "form_values") var formValues: String
    @Field(key: "submitted_at") var submittedAt: Date
    /// The officer who entered a counter or postal dossier.
    @OptionalField(key: "entered_by_id") var enteredByID: UUID?
    @OptionalField(key: "accepted_at") var acceptedAt: Date?
    /// The date on the receipt (ngày hẹn trả).
    @OptionalField(key: "promised_date") var promisedDate: String?
    /// The promised date moved on by the days spent on supplements: what on-time is judged by.
    @OptionalField(key: "due_date") var dueDate: String?
    @Field(key: "supplement_requests") var supplementRequests: Int
    /// The day a supplement was asked for, while the applicant owes it.
    @OptionalField(key: "paused_since") var pausedSince: String?
    /// -1 at the one-stop office; otherwise the index of the processing step holding it.
    @Field(key: "step_index") var stepIndex: Int
    @Field(key: "holder_agency_id") var holderAgencyID: UUID
    @OptionalField(key: "holder_unit_id") var holderUnitID: UUID?
    @OptionalField(key: "step_started_at") var stepStartedAt: Date?
    @OptionalField(key: "step_due_date") var stepDueDate: String?
    @Field(key: "fee_owed") var feeOwed: Int
    @Field(key: "fee_paid") var feePaid: Int
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @OptionalField(key: "result_returned_at") var resultReturnedAt: Date?
    /// early | on_time | late, once processing ended.
    @OptionalField(key: "timeliness") var timeliness: String?
    /// A late dossier's new appointment (phiếu xin lỗi và hẹn lại ngày trả kết quả).
    @OptionalField(key: "apology_date") var apologyDate: String?
    @OptionalField(key: "apology_reason") var apologyReason: String?
    /// Why it was refused, stopped or sent back for a supplement (the last such reason).
    @Field(key: "reason") var reason: String
    /// JSON array of the slots the counter received on paper instead of as files.
    @Field(key: "paper_slots") var paperSlots: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    var dossierStatus: DossierStatus { DossierStatus(rawValue: status) ?? .new }
    var submissionChannel: SubmissionChannel { SubmissionChannel(rawValue: channel) ?? .inPerson }
    var values: [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(formValues.utf8))) ?? [:]
    }
    var paperSlotList: [String] {
        (try? JSONDecoder().decode([String].self, from: Data(paperSlots.utf8))) ?? []
    }
}

extension Dossier: AgencyScoped {
    static let agencyIDKey: FieldKey = "agency_id"
}

/// One line of a dossier's history: a move, who made it, and where the dossier went. Hand-overs
/// are the lines of the processing control slip (phiếu kiểm soát quá trình giải quyết).
final class DossierEvent: Model, @unchecked Sendable {
    static let schema = "dossier_events"

    @ID(key: .id) var id: UUID?
    @Parent(key: "dossier_id") var dossier: Dossier
    @Field(key: "at") var at: Date
    /// officer | applicant
    @Field(key: "actor_kind") var actorKind: String
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    @Field(key: "move") var move: String
    @Field(key: "from_status") var fromStatus: Int
    @Field(key: "to_status") var toStatus: Int
    @Field(key: "from_place") var fromPlace: String
    @Field(key: "to_place") var toPlace: String
    /// The agency now holding the dossier: other agencies on the route see it from then on.
    @Field(key: "to_agency_id") var toAgencyID: UUID
    /// Whether the place handing over finished its part early, on time or late.
    @OptionalField(key: "timeliness") var timeliness: String?
    @Field(key: "note") var note: String

    init() {}
}

/// A file of a dossier: a required document or form file, a supplement, or a result.
final class DossierFile: Model, @unchecked Sendable {
    static let schema = "dossier_files"

    @ID(key: .id) var id: UUID?
    @Parent(key: "dossier_id") var dossier: Dossier
    /// submission | supplement | result
    @Field(key: "kind") var kind: String
    /// The form slot (`document_1`, a file field's key) or `result`.
    @Field(key: "slot") var slot: String
    @Field(key: "label") var label: String
    @Field(key: "file_name") var fileName: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "uploaded_at") var uploadedAt: Date

    init() {}
}

struct CreateDossiers: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(Dossier.schema)
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("procedure_id", .uuid, .required, .references(Procedure.schema, "id"))
            .field("code", .string, .required)
            .field("channel", .string, .required)
            .field("status", .int, .required)
            .field("applicant_id", .uuid)
            .field("applicant_kind", .string, .required)
            .field("applicant_name", .string, .required)
            .field("applicant_identity", .string, .required)
            .field("applicant_phone", .string, .required)
            .field("applicant_email", .string, .required)
            .field("applicant_address", .string, .required)
            .field("form_values", .string, .required)
            .field("submitted_at", .datetime, .required)
            .field("entered_by_id", .uuid)
            .field("accepted_at", .datetime)
            .field("promised_date", .string)
            .field("due_date", .string)
            .field("supplement_requests", .int, .required)
            .field("paused_since", .string)
            .field("step_index", .int, .required)
            .field("holder_agency_id", .uuid, .required)
            .field("holder_unit_id", .uuid)
            .field("step_started_at", .datetime)
            .field("step_due_date", .string)
            .field("fee_owed", .int, .required)
            .field("fee_paid", .int, .required)
            .field("finished_at", .datetime)
            .field("result_returned_at", .datetime)
            .field("timeliness", .string)
            .field("apology_date", .string)
            .field("apology_reason", .string)
            .field("reason", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "code")
            .create()
        try await db.schema(DossierEvent.schema)
            .id()
            .field("dossier_id", .uuid, .required, .references(Dossier.schema, "id"))
            .field("at", .datetime, .required)
            .field("actor_kind", .string, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("move", .string, .required)
            .field("from_status", .int, .required)
            .field("to_status", .int, .required)
            .field("from_place", .string, .required)
            .field("to_place", .string, .required)
            .field("to_agency_id", .uuid, .required)
            .field("timeliness", .string)
            .field("note", .string, .required)
            .create()
        try await db.schema(DossierFile.schema)
            .id()
            .field("dossier_id", .uuid, .required, .references(Dossier.schema, "id"))
            .field("kind", .string, .required)
            .field("slot", .string, .required)
            .field("label", .string, .required)
            .field("file_name", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("uploaded_at", .datetime, .required)
            .create()
        guard let sql = db as? SQLDatabase else { return }
        // The desk lists an agency's dossiers by status, newest first; an applicant lists their own;
        // a holder agency finds what it holds; the history is read per dossier.
        try await sql.raw("CREATE INDEX dossiers_agency_status ON dossiers (agency_id, status, submitted_at)").run()
        try await sql.raw("CREATE INDEX dossiers_applicant ON dossiers (applicant_id, submitted_at)").run()
        try await sql.raw("CREATE INDEX dossiers_holder ON dossiers (holder_agency_id, status)").run()
        try await sql.raw("CREATE INDEX dossier_events_dossier ON dossier_events (dossier_id, at)").run()
        try await sql.raw("CREATE INDEX dossier_events_agency ON dossier_events (to_agency_id, dossier_id)").run()
        try await sql.raw("CREATE INDEX dossier_files_dossier ON dossier_files (dossier_id)").run()
    }

    func revert(on db: Database) async throws {
        try await db.schema(DossierFile.schema).delete()
        try await db.schema(DossierEvent.schema).delete()
        try await db.schema(Dossier.schema).delete()
    }
}

/// A counter may take a paper instead of its scan: the receipt says which papers came on paper.
struct AddDossierPaperSlots: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(Dossier.schema).field("paper_slots", .string, .required, .sql(.default("[]"))).update()
    }
    func revert(on db: Database) async throws {
        try await db.schema(Dossier.schema).deleteField("paper_slots").update()
    }
}
