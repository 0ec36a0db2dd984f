import EGovCore
import Fluent
import Vapor

/// A file attached to a document. The bytes live in the content-addressed store under the
/// data folder; this row keeps the name people see and the hash that finds and checks them.
final class DocumentAttachment: Model, @unchecked Sendable {
    static let schema = "document_attachments"

    @ID(key: .id) var id: UUID?
    @Parent(key: "agency_id") var agency: Agency
    @Field(key: "document_id") var documentID: UUID
    @Field(key: "document_kind") var documentKind: String
    @Field(key: "file_name") var fileName: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    /// Lowercase hex SHA-256 of the content.
    @Field(key: "sha256") var sha256: String
    /// Versions of the same file name count up from 1 (drafts keep every save).
    @Field(key: "version") var version: Int
    @Field(key: "uploaded_by_id") var uploadedByID: UUID
    @Field(key: "uploaded_at") var uploadedAt: Date
    /// The text pdftotext found in a PDF, folded (nil for other types or until extracted).
    @OptionalField(key: "extracted_text") var extractedText: String?
    /// pending, done, failed, unavailable (no pdftotext on this node) or nil (not a PDF).
    @OptionalField(key: "text_state") var textState: String?

    init() {}

    var attachmentType: AttachmentContentType? { AttachmentContentType(rawValue: contentType) }
}

extension DocumentAttachment: AgencyScoped {
    static let agencyIDKey: FieldKey = "agency_id"
}
