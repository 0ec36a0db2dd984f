import EGovCore
import Fluent
import Foundation
import Vapor

/// The agency's seal as a signing identity (chữ ký số của cơ quan): what the clerk signs an
/// issued document with. Like a person's identity, its key is sealed under the keystore key.
final class AgencySealRecord: Model, @unchecked Sendable {
    static let schema = "agency_seals"

    @ID(key: .id) var id: UUID?
    @Field(key: "agency_id") var agencyID: UUID
    @Field(key: "certificate_pem") var certificatePEM: String
    @Field(key: "sealed_private_key") var sealedPrivateKey: String
    @Field(key: "serial_hex") var serialHex: String
    @Field(key: "not_after") var notAfter: Date
    @Field(key: "is_active") var isActive: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?

    init() {}
}

enum AgencySeals {
    /// Issues (or renews) an agency's seal certificate from the node's development CA. The
    /// subject names the agency (CN and O) and carries its identifier code as UID.
    static func issue(for agency: Agency, keystore: SigningKeystore, now: Date, validityDays: Int = 1825,
                      on db: Database) async throws -> AgencySealRecord {
        let sealed = try keystore.issueSealed(
            to: SubjectInfo(fullName: agency.name, username: agency.code, organization: agency.name, organizationalUnit: nil, email: nil),
            now: now, validityDays: validityDays)
        let record = AgencySealRecord()
        record.agencyID = agency.id!
        record.certificatePEM = sealed.certificatePEM
        record.sealedPrivateKey = sealed.sealedPrivateKey
        record.serialHex = sealed.serialHex
        record.notAfter = sealed.notAfter
        record.isActive = true
        try await AgencySealRecord.query(on: db).filter(\.$agencyID == agency.id!).set(\.$isActive, to: false).update()
        try await record.create(on: db)
        return record
    }

    static func current(for agencyID: UUID, keystore: SigningKeystore, on db: Database) async throws -> IssuedIdentity? {
        guard let record = try await AgencySealRecord.query(on: db).filter(\.$agencyID == agencyID).filter(\.$isActive == true)
            .sort(\.$createdAt, .descending).first() else { return nil }
        return try keystore.unsealed(certificatePEM: record.certificatePEM, sealedPrivateKey: record.sealedPrivateKey)
    }
}

/// A PDF the node stamped for an outgoing document: the leader's signed revision of a draft
/// file, then the issued revision with the number, date and seal. The bytes live in the
/// attachment store; the draft file and its detached signature are left as they were.
final class OutgoingStampedFile: Model, @unchecked Sendable {
    static let schema = "outgoing_stamped_files"

    enum Stage: String, Sendable {
        /// Bản đã ký: the draft with the leader's visible PDF signature.
        case signed
        /// Bản phát hành: with the number, date and the agency's seal as a second signature.
        case issued
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "document_id") var documentID: UUID
    /// The draft file it was made from.
    @Field(key: "attachment_id") var attachmentID: UUID
    @Field(key: "stage") var stage: String
    @Field(key: "file_name") var fileName: String
    @Field(key: "sha256") var sha256: String
    @Field(key: "size") var size: Int
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// PAdES for outgoing documents: the leader's signature and the agency's seal embedded in
/// the PDF itself, beside the detached signatures; plus the signer's title (competence) and
/// the recipients' order as the drafter wrote it.
struct AddOutgoingPAdES: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(AgencySealRecord.schema)
            .id()
            .field("agency_id", .uuid, .required, .references(Agency.schema, "id"))
            .field("certificate_pem", .string, .required)
            .field("sealed_private_key", .string, .required)
            .field("serial_hex", .string, .required)
            .field("not_after", .datetime, .required)
            .field("is_active", .bool, .required)
            .field("created_at", .datetime)
            .create()
        try await db.schema(OutgoingStampedFile.schema)
            .id()
            .field("document_id", .uuid, .required, .references(OutgoingDocument.schema, "id"))
            .field("attachment_id", .uuid, .required)
            .field("stage", .string, .required)
            .field("file_name", .string, .required)
            .field("sha256", .string, .required)
            .field("size", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await db.schema(OutgoingDocument.schema).field("signer_competence", .string).update()
        try await db.schema(OutgoingRecipient.schema).field("position", .int).update()
    }

    func revert(on db: Database) async throws {
        try await db.schema(OutgoingRecipient.schema).deleteField("position").update()
        try await db.schema(OutgoingDocument.schema).deleteField("signer_competence").update()
        try await db.schema(OutgoingStampedFile.schema).delete()
        try await db.schema(AgencySealRecord.schema).delete()
    }
}
