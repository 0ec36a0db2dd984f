import Fluent
import Vapor

/// A document waiting to travel to another agency over the exchange hub (trục liên thông).
/// The exchange capability delivers it; until then it is visible as "waiting to send".
final class OutboxMessage: Model, @unchecked Sendable {
    static let schema = "exchange_outbox"

    enum State: String, Codable, Sendable {
        /// Chờ gửi
        case waiting
    }

    @ID(key: .id) var id: UUID?
    @Parent(key: "agency_id") var agency: Agency
    @Parent(key: "document_id") var document: OutgoingDocument
    @Field(key: "recipient_agency_id") var recipientAgencyID: UUID
    @Field(key: "recipient_name") var recipientName: String
    @Field(key: "state") var state: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
}

/// The outbox's service: other capabilities hand documents over here and never touch its table.
enum ExchangeOutbox {
    /// Queues an issued document for each recipient agency, inside the caller's transaction.
    static func enqueue(documentID: UUID, from agencyID: UUID, to recipients: [(agencyID: UUID, name: String)], on db: Database) async throws {
        for recipient in recipients {
            let message = OutboxMessage()
            message.$agency.id = agencyID
            message.$document.id = documentID
            message.recipientAgencyID = recipient.agencyID
            message.recipientName = recipient.name
            message.state = OutboxMessage.State.waiting.rawValue
            try await message.create(on: db)
        }
    }

    static func messages(of agencyID: UUID, on db: Database) async throws -> [OutboxMessage] {
        try await OutboxMessage.query(on: db).filter(\.$agency.$id == agencyID).with(\.$document)
            .sort(\.$createdAt, .descending).limit(500).all()
    }

    static func messages(forDocument documentID: UUID, on db: Database) async throws -> [OutboxMessage] {
        try await OutboxMessage.query(on: db).filter(\.$document.$id == documentID).sort(\.$recipientName).all()
    }
}
