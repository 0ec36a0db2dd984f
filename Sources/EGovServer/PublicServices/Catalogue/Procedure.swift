import EGovCore
import Fluent
import SQLKit
import Vapor

/// A procedure of the catalogue (thủ tục hành chính) as one agency implements it. The same
/// national code is implemented by many agencies (every province has `1.001776`), so the
/// code is unique per agency only.
final class Procedure: Model, @unchecked Sendable {
    static let schema = "procedures"

    @ID(key: .id) var id: UUID?
    @Parent(key: "agency_id") var agency: Agency
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    @Field(key: "field") var field: String
    @Field(key: "implementing_level") var implementingLevel: String
    @Field(key: "online_level") var onlineLevel: String
    /// Raw values joined by commas.
    @Field(key: "channels") var channels: String
    /// One step a line.
    @Field(key: "steps") var steps: String
    /// JSON array of `RequiredDocument`.
    @Field(key: "required_documents") var requiredDocuments: String
    @Field(key: "time_limit_days") var timeLimitDays: Int
    @Field(key: "fees") var fees: String
    @Field(key: "fee_amount") var feeAmount: Int
    @Field(key: "conditions") var conditions: String
    @Field(key: "result") var result: String
    @Field(key: "legal_basis") var legalBasis: String
    @OptionalField(key: "effective_from") var effectiveFrom: String?
    @OptionalField(key: "effective_to") var effectiveTo: String?
    @Field(key: "status") var status: String
    /// JSON array of `DossierFormField`.
    @Field(key: "form_fields") var formFields: String
    /// JSON array of `ProcessingStep`.
    @Field(key: "processing_steps") var processingSteps: String
    /// Code, name and field folded (no diacritics, lower case) for search.
    @Field(key: "search_text") var searchText: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(agencyID: UUID, record: ProcedureRecord) {
        self.$agency.id = agencyID
        apply(record)
    }

    func apply(_ record: ProcedureRecord) {
        code = record.code
        name = record.name
        field = record.field
        implementingLevel = record.implementingLevel.rawValue
        onlineLevel = record.onlineLevel.rawValue
        channels = record.channels.map(\.rawValue).joined(separator: ",")
        steps = record.steps.joined(separator: "\n")
        requiredDocuments = Self.json(record.requiredDocuments)
        timeLimitDays = record.timeLimitDays
        fees = record.fees
        feeAmount = record.feeAmount
        conditions = record.conditions
        result = record.result
        legalBasis = record.legalBasis
        effectiveFrom = record.effectiveFrom?.iso
        effectiveTo = record.effectiveTo?.iso
        status = record.status.rawValue
        formFields = Self.json(record.formFields)
        processingSteps = Self.json(record.processingSteps)
        searchText = record.searchText
    }

    /// The stored procedure as plain data; `agencyCode` is the implementing agency's.
    func record(agencyCode: String?) -> ProcedureRecord {
        ProcedureRecord(
            code: code, name: name, field: field, agencyCode: agencyCode,
            implementingLevel: ImplementingLevel(rawValue: implementingLevel) ?? .province,
            onlineLevel: OnlineLevel(rawValue: onlineLevel) ?? .none,
            channels: channels.split(separator: ",").compactMap { SubmissionChannel(rawValue: String($0)) },
            steps: steps.split(separator: "\n").map(String.init),
            requiredDocuments: Self.decoded(requiredDocuments),
            timeLimitDays: timeLimitDays, fees: fees, feeAmount: feeAmount, conditions: conditions, result: result,
            legalBasis: legalBasis, effectiveFrom: effectiveFrom.flatMap(LocalDate.init(iso:)),
            effectiveTo: effectiveTo.flatMap(LocalDate.init(iso:)), status: ProcedureStatus(rawValue: status) ?? .suspended,
            formFields: Self.decoded(formFields), processingSteps: Self.decoded(processingSteps))
    }

    private static func json<T: Encodable>(_ value: [T]) -> String {
        (try? String(decoding: JSONEncoder().encode(value), as: UTF8.self)) ?? "[]"
    }
    private static func decoded<T: Decodable>(_ text: String) -> [T] {
        (try? JSONDecoder().decode([T].self, from: Data(text.utf8))) ?? []
    }
}

extension Procedure: AgencyScoped {
    static let agencyIDKey: FieldKey = "agency_id"
}

struct CreateProcedures: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(Procedure.schema)
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("code", .string, .required)
            .field("name", .string, .required)
            .field("field", .string, .required)
            .field("implementing_level", .string, .required)
            .field("online_level", .string, .required)
            .field("channels", .string, .required)
            .field("steps", .string, .required)
            .field("required_documents", .string, .required)
            .field("time_limit_days", .int, .required)
            .field("fees", .string, .required)
            .field("fee_amount", .int, .required)
            .field("conditions", .string, .required)
            .field("result", .string, .required)
            .field("legal_basis", .string, .required)
            .field("effective_from", .string)
            .field("effective_to", .string)
            .field("status", .string, .required)
            .field("search_text", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "agency_id", "code")
            .create()
    }
    func revert(on db: Database) async throws { try await db.schema(Procedure.schema).delete() }
}

/// The online form and the processing route of each procedure, added once dossiers arrived.
struct AddProcedureFormAndRoute: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(Procedure.schema)
            .field("form_fields", .string, .required, .sql(.default("[]")))
            .update()
        // SQLite adds one column per ALTER TABLE.
        try await db.schema(Procedure.schema)
            .field("processing_steps", .string, .required, .sql(.default("[]")))
            .update()
    }
    func revert(on db: Database) async throws {
        try await db.schema(Procedure.schema).deleteField("processing_steps").update()
        try await db.schema(Procedure.schema).deleteField("form_fields").update()
    }
}
