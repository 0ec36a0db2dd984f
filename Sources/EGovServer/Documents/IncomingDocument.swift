import EGovCore
import Fluent
import Vapor

/// A registered incoming document (văn bản đến) and where it stands in its handling.
final class IncomingDocument: Model, @unchecked Sendable {
    static let schema = "incoming_documents"

    @ID(key: .id) var id: UUID?
    @Parent(key: "agency_id") var agency: Agency
    /// Số đến: one gap-free sequence per agency per calendar year.
    @Field(key: "arrival_year") var arrivalYear: Int
    @Field(key: "arrival_number") var arrivalNumber: Int
    /// Ngày đến (ISO date, Vietnam time).
    @Field(key: "arrival_date") var arrivalDate: String
    @Field(key: "registered_at") var registeredAt: Date
    @Field(key: "registered_by_id") var registeredByID: UUID
    /// The sender from the agency directory, when it is there.
    @OptionalField(key: "sender_agency_id") var senderAgencyID: UUID?
    /// Cơ quan ban hành, as printed on the document.
    @Field(key: "sender_name") var senderName: String
    /// Số, ký hiệu as printed, e.g. `123/QĐ-UBND`.
    @Field(key: "number_notation") var numberNotation: String
    @Field(key: "code_number") var codeNumber: Int
    @Field(key: "code_notation") var codeNotation: String
    @Field(key: "type_code") var typeCode: String
    /// Ngày ban hành (ISO date).
    @Field(key: "issued_date") var issuedDate: String
    /// Trích yếu (≤ 500 characters).
    @Field(key: "subject") var subject: String
    @Field(key: "signer_name") var signerName: String
    @Field(key: "signer_position") var signerPosition: String
    @Field(key: "urgency") var urgency: String
    /// Stored beside `urgency` so inboxes sort by it in SQL.
    @Field(key: "urgency_rank") var urgencyRank: Int
    @Field(key: "confidentiality") var confidentiality: String
    @Field(key: "page_count") var pageCount: Int
    /// Hạn trả lời requested by the sender (ISO date), if any.
    @OptionalField(key: "requested_due_date") var requestedDueDate: String?
    /// Hạn xử lý set by the leader's direction (ISO date).
    @OptionalField(key: "deadline") var deadline: String?
    /// `deadline`, or a far date when there is none, so "earliest deadline first" sorts alike on both databases.
    @Field(key: "deadline_sort") var deadlineSort: String
    @Field(key: "state") var state: String
    @OptionalField(key: "presented_to_id") var presentedToID: UUID?
    @OptionalField(key: "directed_by_id") var directedByID: UUID?
    @OptionalField(key: "direction_note") var directionNote: String?
    @OptionalField(key: "lead_unit_id") var leadUnitID: UUID?
    @OptionalField(key: "assignee_id") var assigneeID: UUID?
    @OptionalField(key: "result") var result: String?
    /// The outgoing document that answered this one (văn bản trả lời), when there is one.
    @OptionalField(key: "reply_outgoing_id") var replyOutgoingID: UUID?
    @OptionalField(key: "finished_at") var finishedAt: Date?
    /// Sender, number/notation and issue date folded, to find an earlier registration of the same document.
    @Field(key: "duplicate_key") var duplicateKey: String
    /// Subject, number/notation, sender and signer without diacritics, lower-cased: the metadata search text.
    @Field(key: "search_text") var searchText: String
    /// The words of the document's PDF files (pdftotext), folded; searched with the metadata.
    @OptionalField(key: "attachment_text") var attachmentText: String?
    /// The row's key in the SQLite full-text index (set by a trigger; unused on PostgreSQL).
    @OptionalField(key: "search_key") var searchKey: Int?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}


    func refreshDerivedFields() {
        urgencyRank = urgencyLevel.rank
        deadlineSort = InboxPriority.deadlineKey(deadline)
        if let issued = LocalDate(iso: issuedDate) {
            duplicateKey = IncomingDocumentIdentity.key(sender: senderName, numberNotation: numberNotation, issuedDate: issued)
        }
        // Set only when it changes: writing it re-indexes the document's full text.
        let text = SearchTerms.indexText([subject, numberNotation, senderName, signerName])
        if $searchText.value != text { searchText = text }
    }

}

extension IncomingDocument: AgencyScoped {
    static let agencyIDKey: FieldKey = "agency_id"
}

/// Đơn vị phối hợp: units the leader asked to cooperate with the lead unit.
final class IncomingDocumentCooperatingUnit: Model, @unchecked Sendable {
    static let schema = "incoming_document_cooperating_units"

    @ID(key: .id) var id: UUID?
    @Parent(key: "document_id") var document: IncomingDocument
    @Field(key: "unit_id") var unitID: UUID

    init() {}
    init(documentID: UUID, unitID: UUID) {
        self.$document.id = documentID
        self.unitID = unitID
    }
}

/// One line of a document's history: who moved it, from which state to which, and why.
final class DocumentEvent: Model, @unchecked Sendable {
    static let schema = "document_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "document_id") var documentID: UUID
    /// `incoming` or `outgoing`.
    @Field(key: "document_kind") var documentKind: String
    @Field(key: "occurred_at") var occurredAt: Date
    /// 1, 2, 3… per document: the order of events even when two share a timestamp.
    @Field(key: "position") var position: Int
    @Field(key: "actor_id") var actorID: UUID
    @Field(key: "actor_name") var actorName: String
    @Field(key: "action") var action: String
    @OptionalField(key: "from_state") var fromState: String?
    @Field(key: "to_state") var toState: String
    @Field(key: "note") var note: String

    init() {}

    init(documentID: UUID, kind: String, at: Date, actor: Actor, action: String, from: String?, to: String, note: String) {
        self.documentID = documentID
        self.position = 0
        self.documentKind = kind
        self.occurredAt = at
        self.actorID = actor.userID
        self.actorName = actor.fullName
        self.action = action
        self.fromState = from
        self.toState = to
        self.note = note
    }
}

extension DocumentEvent {
    /// Writes the event as the document's next one. Moves on one document run in serialised
    /// (audited) transactions, so counting the earlier events gives a unique position.
    func append(on db: Database) async throws {
        position = try await DocumentEvent.query(on: db).filter(\.$documentID == documentID).count() + 1
        try await create(on: db)
    }
}
