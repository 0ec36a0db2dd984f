import EGovCore
import Fluent
import Vapor

/// One line of the tamper-evident audit log. Its hash covers every field and the previous hash.
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    /// The position in the chain, from 1, without gaps.
    @ID(custom: "sequence", generatedBy: .user) var id: Int64?
    /// Milliseconds since 1970: exact on both databases, so the hash can be recomputed.
    @Field(key: "occurred_at_ms") var occurredAtMillis: Int64
    @OptionalField(key: "actor_id") var actorID: String?
    @OptionalField(key: "actor_name") var actorName: String?
    @OptionalField(key: "agency_code") var agencyCode: String?
    @Field(key: "action") var action: String
    @OptionalField(key: "object_type") var objectType: String?
    @OptionalField(key: "object_id") var objectID: String?
    @OptionalField(key: "request_id") var requestID: String?
    @OptionalField(key: "details") var details: String?
    @Field(key: "previous_hash") var previousHash: String
    @Field(key: "hash") var hash: String

    init() {}

    init(record: AuditRecord) {
        self.id = record.sequence
        self.occurredAtMillis = record.occurredAtMillis
        self.actorID = record.actorID
        self.actorName = record.actorName
        self.agencyCode = record.agencyCode
        self.action = record.action
        self.objectType = record.objectType
        self.objectID = record.objectID
        self.requestID = record.requestID
        self.details = record.details
        self.previousHash = record.previousHash
        self.hash = record.hash
    }

    var record: AuditRecord {
        AuditRecord(
            sequence: id ?? 0, occurredAtMillis: occurredAtMillis, actorID: actorID, actorName: actorName,
            agencyCode: agencyCode, action: action, objectType: objectType, objectID: objectID,
            requestID: requestID, details: details, previousHash: previousHash)
    }

    var occurredAt: Date { Date(timeIntervalSince1970: Double(occurredAtMillis) / 1000) }
}

/// The newest entry's sequence and hash, updated in the same transaction as each append, so
/// deleting the last rows of the log is detected too.
final class AuditChainHead: Model, @unchecked Sendable {
    static let schema = "audit_chain_head"

    @ID(custom: "id", generatedBy: .user) var id: Int?
    @Field(key: "sequence") var sequence: Int64
    @Field(key: "hash") var hash: String

    init() {}

    init(sequence: Int64, hash: String) {
        self.id = 1
        self.sequence = sequence
        self.hash = hash
    }
}
