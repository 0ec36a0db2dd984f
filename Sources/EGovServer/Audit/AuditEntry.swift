import EGovCore
import Fluent
import Vapor

/// One line of the tamper-evident audit log. Its hash covers every field and the previous hash
/// of its chain (one chain per agency, see `AuditChain.Key`).
final class AuditEntry: Model, @unchecked Sendable {
    static let schema = "audit_entries"

    /// The entry's number in the whole log, rising along each chain. Legacy entries are
    /// numbered 1, 2, 3 … without gaps; later ones take the next free number as they are chained.
    @ID(custom: "sequence", generatedBy: .user) var id: Int64?
    /// The chain key: an agency code, `system`, `applicants` or `legacy`.
    @Field(key: "chain") var chain: String
    /// The number of the chain's previous entry (0 for its first); nil in the legacy chain.
    @OptionalField(key: "previous_sequence") var previousSequence: Int64?
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
        self.chain = record.chain ?? AuditChain.Key.legacy
        self.previousSequence = record.previousSequence
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
            sequence: id ?? 0, chain: chain == AuditChain.Key.legacy ? nil : chain, previousSequence: previousSequence,
            occurredAtMillis: occurredAtMillis, actorID: actorID, actorName: actorName,
            agencyCode: agencyCode, action: action, objectType: objectType, objectID: objectID,
            requestID: requestID, details: details, previousHash: previousHash)
    }

    var occurredAt: Date { Date(timeIntervalSince1970: Double(occurredAtMillis) / 1000) }
}

/// Each chain's newest entry number and hash, updated in the same transaction as each append,
/// so deleting the last rows of a chain is detected too. The row is also what an append locks:
/// writers of one agency queue on it, other agencies' writers do not.
final class AuditChainHead: Model, @unchecked Sendable {
    /// Named when the log had one head (row 1, now the legacy chain's).
    static let schema = "audit_chain_head"

    @ID(custom: "id", generatedBy: .database) var id: Int?
    @Field(key: "chain") var chain: String
    /// The chain's last entry number; 0 while the chain has none.
    @Field(key: "sequence") var sequence: Int64
    @Field(key: "hash") var hash: String

    init() {}
}
