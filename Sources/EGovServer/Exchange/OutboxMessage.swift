import Fluent
import Vapor

/// What crosses an agency boundary: an issued document for a recipient agency, or a dossier
/// handed to a cooperating agency on its processing route. Other capabilities build one and
/// give it to `ExchangeOutbox.enqueue`, inside their own transaction.
struct ExchangeEnvelope: Sendable {
    enum Payload: Sendable, Equatable {
        /// Văn bản đi: delivered by the exchange hub (trục liên thông).
        case outgoingDocument(id: UUID)
        /// Hồ sơ liên thông: the receiving agency takes over as holder.
        case dossier(id: UUID, code: String)
    }

    enum Recipient: Sendable {
        /// An agency of the directory, known by id (the drafter chose it).
        case agency(id: UUID, name: String)
        /// An agency named by its code (a procedure's route names its steps by code).
        case agencyCode(String)
    }

    let payload: Payload
    let fromAgencyID: UUID
    let recipient: Recipient
}

/// A message in the outbox, one per envelope.
final class OutboxMessage: Model, @unchecked Sendable {
    static let schema = "exchange_envelopes"

    enum State: String, Codable, Sendable {
        /// Chờ gửi: waiting for the hub.
        case waiting
        /// Đã chuyển: the recipient is on this node and has it.
        case delivered
    }

    enum Kind: String, Codable, Sendable {
        case outgoingDocument = "outgoing_document"
        case dossier
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "kind") var kind: String
    @Parent(key: "agency_id") var agency: Agency
    /// The document or dossier the message carries.
    @Field(key: "object_id") var objectID: UUID
    /// Set for documents, so listings show the document's number and subject.
    @OptionalParent(key: "document_id") var document: OutgoingDocument?
    @Field(key: "recipient_agency_id") var recipientAgencyID: UUID
    @Field(key: "recipient_name") var recipientName: String
    @Field(key: "state") var state: String
    @OptionalField(key: "delivered_at") var deliveredAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// The one seam for what leaves an agency: documents and dossiers alike go through `enqueue`,
/// and no other capability reads or writes the exchange's tables.
struct ExchangeOutbox: Sendable {
    /// What `enqueue` tells the caller.
    struct Receipt: Sendable {
        let recipientAgencyID: UUID
        /// True when the recipient is an agency of this node and already has it.
        let deliveredOnThisNode: Bool
    }

    let clock: AppClock

    /// Queues `envelope` in the caller's transaction `db`, so it is sent only if the change commits.
    @discardableResult
    func enqueue(_ envelope: ExchangeEnvelope, on db: Database) async throws -> Receipt {
        let message = OutboxMessage()
        message.$agency.id = envelope.fromAgencyID
        switch envelope.recipient {
        case .agency(let id, let name):
            message.recipientAgencyID = id
            message.recipientName = name
        case .agencyCode(let code):
            guard let agency = try await Agency.query(on: db).filter(\.$code == code).first(), agency.isActive else {
                throw EGovError.conflict(unreachable(envelope.payload, code: code), code: "exchange_unreachable")
            }
            message.recipientAgencyID = agency.id!
            message.recipientName = agency.name
        }
        switch envelope.payload {
        case .outgoingDocument(let id):
            message.kind = OutboxMessage.Kind.outgoingDocument.rawValue
            message.objectID = id
            message.$document.id = id
            message.state = OutboxMessage.State.waiting.rawValue
        case .dossier(let id, _):
            // Every agency of a route lives on this node today; the hub will carry the others.
            message.kind = OutboxMessage.Kind.dossier.rawValue
            message.objectID = id
            message.state = OutboxMessage.State.delivered.rawValue
            message.deliveredAt = clock.now()
        }
        try await message.create(on: db)
        return Receipt(recipientAgencyID: message.recipientAgencyID, deliveredOnThisNode: message.state == OutboxMessage.State.delivered.rawValue)
    }

    private func unreachable(_ payload: ExchangeEnvelope.Payload, code: String) -> String {
        switch payload {
        case .dossier(_, let dossierCode): "Cơ quan phối hợp mã \(code) không còn trong danh bạ; không chuyển được hồ sơ \(dossierCode)."
        case .outgoingDocument: "Cơ quan nhận mã \(code) không còn trong danh bạ."
        }
    }

    /// The documents an agency has sent or is sending, newest first.
    static func documentMessages(of agencyID: UUID, on db: Database) async throws -> [OutboxMessage] {
        try await OutboxMessage.query(on: db).filter(\.$agency.$id == agencyID)
            .filter(\.$kind == OutboxMessage.Kind.outgoingDocument.rawValue).with(\.$document)
            .sort(\.$createdAt, .descending).limit(500).all()
    }

    static func messages(forDocument documentID: UUID, on db: Database) async throws -> [OutboxMessage] {
        try await OutboxMessage.query(on: db).filter(\.$kind == OutboxMessage.Kind.outgoingDocument.rawValue)
            .filter(\.$objectID == documentID).sort(\.$recipientName).all()
    }

    /// Where a dossier went across agencies, oldest first.
    static func messages(forDossier dossierID: UUID, on db: Database) async throws -> [OutboxMessage] {
        try await OutboxMessage.query(on: db).filter(\.$kind == OutboxMessage.Kind.dossier.rawValue)
            .filter(\.$objectID == dossierID).sort(\.$createdAt).all()
    }
}
