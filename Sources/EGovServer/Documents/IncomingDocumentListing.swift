import EGovCore
import Foundation

/// An incoming document as lists, the inbox and search show it: its columns but the indexed
/// text, read straight from the rows (see `ColumnRow`), and what the permissions ask of it.
struct IncomingDocumentListing: ColumnRow, IncomingDocumentFacts {
    let id: UUID
    let agencyID: UUID
    let arrivalYear: Int
    let arrivalNumber: Int
    let arrivalDate: String
    let registeredAt: Date
    let senderAgencyID: UUID?
    let senderName: String
    let numberNotation: String
    let typeCode: String
    let issuedDate: String
    let subject: String
    let signerName: String
    let signerPosition: String
    let urgency: String
    let urgencyRank: Int
    let confidentiality: String
    let pageCount: Int
    let requestedDueDate: String?
    let deadline: String?
    let deadlineSort: String
    let state: String
    let presentedToID: UUID?
    let leadUnitID: UUID?
    let assigneeID: UUID?
    let directionNote: String?
    let result: String?
    let replyOutgoingID: UUID?

    typealias Columns = CodingKeys
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, agencyID = "agency_id", arrivalYear = "arrival_year", arrivalNumber = "arrival_number"
        case arrivalDate = "arrival_date", registeredAt = "registered_at", senderAgencyID = "sender_agency_id"
        case senderName = "sender_name", numberNotation = "number_notation", typeCode = "type_code", issuedDate = "issued_date"
        case subject, signerName = "signer_name", signerPosition = "signer_position", urgency, urgencyRank = "urgency_rank"
        case confidentiality, pageCount = "page_count", requestedDueDate = "requested_due_date", deadline
        case deadlineSort = "deadline_sort", state, presentedToID = "presented_to_id", leadUnitID = "lead_unit_id"
        case assigneeID = "assignee_id", directionNote = "direction_note", result, replyOutgoingID = "reply_outgoing_id"
    }

    init(_ doc: IncomingDocument) {
        id = doc.id!
        agencyID = doc.$agency.id
        arrivalYear = doc.arrivalYear
        arrivalNumber = doc.arrivalNumber
        arrivalDate = doc.arrivalDate
        registeredAt = doc.registeredAt
        senderAgencyID = doc.senderAgencyID
        senderName = doc.senderName
        numberNotation = doc.numberNotation
        typeCode = doc.typeCode
        issuedDate = doc.issuedDate
        subject = doc.subject
        signerName = doc.signerName
        signerPosition = doc.signerPosition
        urgency = doc.urgency
        urgencyRank = doc.urgencyRank
        confidentiality = doc.confidentiality
        pageCount = doc.pageCount
        requestedDueDate = doc.requestedDueDate
        deadline = doc.deadline
        deadlineSort = doc.deadlineSort
        state = doc.state
        presentedToID = doc.presentedToID
        leadUnitID = doc.leadUnitID
        assigneeID = doc.assigneeID
        directionNote = doc.directionNote
        result = doc.result
        replyOutgoingID = doc.replyOutgoingID
    }

}

/// What the permissions and presenters read of an incoming document, whether a model or a
/// listing, and what follows from it.
protocol IncomingDocumentFacts {
    var agencyID: UUID { get }
    var state: String { get }
    var urgency: String { get }
    var confidentiality: String { get }
    var typeCode: String { get }
    var presentedToID: UUID? { get }
    var leadUnitID: UUID? { get }
    var assigneeID: UUID? { get }
}

extension IncomingDocumentFacts {
    var workflowState: IncomingDocumentState { IncomingDocumentState(rawValue: state) ?? .registered }
    var urgencyLevel: Urgency { Urgency(rawValue: urgency) ?? .normal }
    var confidentialityLevel: Confidentiality { Confidentiality(rawValue: confidentiality) ?? .normal }
    var documentType: DocumentType? { DocumentType.byCode(typeCode) }
}

extension IncomingDocument: IncomingDocumentFacts {
    var agencyID: UUID { $agency.id }
}
