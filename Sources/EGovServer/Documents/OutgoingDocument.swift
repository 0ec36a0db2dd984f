import EGovCore
import Fluent
import Vapor

/// An outgoing document (văn bản đi) from draft to issue.
final class OutgoingDocument: Model, @unchecked Sendable {
    static let schema = "outgoing_documents"

    @ID(key: .id) var id: UUID?
    @Parent(key: "agency_id") var agency: Agency
    /// Đơn vị soạn thảo
    @Field(key: "drafting_unit_id") var draftingUnitID: UUID
    @Field(key: "drafter_id") var drafterID: UUID
    @Field(key: "type_code") var typeCode: String
    /// Trích yếu (≤ 500 characters).
    @Field(key: "subject") var subject: String
    /// Notes on the content for reviewers; the text itself is in the attachments.
    @Field(key: "summary") var summary: String
    @Field(key: "urgency") var urgency: String
    @Field(key: "urgency_rank") var urgencyRank: Int
    @Field(key: "confidentiality") var confidentiality: String
    @Field(key: "page_count") var pageCount: Int
    /// Chữ viết tắt tên cơ quan ban hành used in the notation, e.g. `UBND`.
    @Field(key: "issuer_notation") var issuerNotation: String
    @Field(key: "state") var state: String
    @OptionalField(key: "reviewer_id") var reviewerID: UUID?
    @OptionalField(key: "review_note") var reviewNote: String?
    @OptionalField(key: "signer_id") var signerID: UUID?
    @OptionalField(key: "signer_name") var signerName: String?
    @OptionalField(key: "signer_position") var signerPosition: String?
    /// TM., KT., TL., TUQ., Q. or empty.
    @OptionalField(key: "signing_mark") var signingMark: String?
    /// The authority line above the signature ("KT. CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN"); edXML's Competence.
    @OptionalField(key: "signer_competence") var signerCompetence: String?
    @OptionalField(key: "signed_at") var signedAt: Date?
    /// The register (sổ) the number is taken from: ordinary and secret documents have their own.
    @Field(key: "register") var register: String
    @OptionalField(key: "number") var number: Int?
    @OptionalField(key: "number_year") var numberYear: Int?
    @OptionalField(key: "number_notation") var numberNotation: String?
    @OptionalField(key: "issued_date") var issuedDate: String?
    /// The date lists and search sort by: the day the draft was started, then the issue date.
    @Field(key: "document_date") var documentDate: String
    @OptionalField(key: "issued_at") var issuedAt: Date?
    @OptionalField(key: "issued_by_id") var issuedByID: UUID?
    @Field(key: "search_text") var searchText: String
    @OptionalField(key: "attachment_text") var attachmentText: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    static let ordinaryRegister = Confidentiality.normal.outgoingRegister
    static let secretRegister = Confidentiality.secret.outgoingRegister

    var workflowState: OutgoingDocumentState { OutgoingDocumentState(rawValue: state) ?? .draft }
    var urgencyLevel: Urgency { Urgency(rawValue: urgency) ?? .normal }
    var confidentialityLevel: Confidentiality { Confidentiality(rawValue: confidentiality) ?? .normal }
    var documentType: DocumentType? { DocumentType.byCode(typeCode) }

    func refreshDerivedFields() {
        urgencyRank = urgencyLevel.rank
        register = confidentialityLevel.outgoingRegister
        // Set only when it changes: writing it re-indexes the document's full text.
        let text = SearchTerms.indexText([subject, numberNotation ?? "", signerName ?? "", summary])
        if $searchText.value != text { searchText = text }
    }
}

extension OutgoingDocument: AgencyScoped {
    static let agencyIDKey: FieldKey = "agency_id"
}

/// Nơi nhận: a unit or person of the agency, another agency from the directory, or anyone else by name.
final class OutgoingRecipient: Model, @unchecked Sendable {
    static let schema = "outgoing_recipients"

    enum Kind: String, Codable, Sendable { case unit, person, agency, external }

    @ID(key: .id) var id: UUID?
    @Parent(key: "document_id") var document: OutgoingDocument
    @Field(key: "kind") var kind: String
    @OptionalField(key: "unit_id") var unitID: UUID?
    @OptionalField(key: "user_id") var userID: UUID?
    @OptionalField(key: "recipient_agency_id") var recipientAgencyID: UUID?
    @Field(key: "name") var name: String
    /// The drafter's order ("Như trên;" before "Lưu: VT"); nil on rows saved before it was kept.
    @OptionalField(key: "position") var position: Int?

    init() {}
    init(documentID: UUID, kind: Kind, unitID: UUID? = nil, userID: UUID? = nil, agencyID: UUID? = nil, name: String) {
        self.$document.id = documentID
        self.kind = kind.rawValue
        self.unitID = unitID
        self.userID = userID
        self.recipientAgencyID = agencyID
        self.name = name
    }
}

/// A detached signature over one attachment, as the signer made it.
final class DocumentSignatureRecord: Model, @unchecked Sendable {
    static let schema = "document_signatures"

    @ID(key: .id) var id: UUID?
    @Field(key: "document_id") var documentID: UUID
    @Field(key: "attachment_id") var attachmentID: UUID
    @Field(key: "content_sha256") var contentSHA256: String
    /// The `DetachedSignature` as JSON: what any verifier needs, certificate included.
    @Field(key: "signature_json") var signatureJSON: String
    @Field(key: "signer_id") var signerID: UUID
    @Field(key: "signer_name") var signerName: String
    @Field(key: "signed_at") var signedAt: Date

    init() {}
}
