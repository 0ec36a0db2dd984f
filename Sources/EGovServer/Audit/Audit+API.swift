import Fluent
import Vapor

struct AuditEntryDTO: Content {
    let sequence: Int64
    /// The chain key: an agency code, `system`, `applicants` or `legacy`.
    let chain: String
    let occurredAt: Date
    let actorID: String?
    let actorName: String?
    let agencyCode: String?
    let action: String
    let objectType: String?
    let objectID: String?
    let requestID: String?
    let details: String?
    let previousHash: String
    let hash: String

    enum CodingKeys: String, CodingKey {
        case sequence, chain, action, details, hash
        case occurredAt = "occurred_at", actorID = "actor_id", actorName = "actor_name", agencyCode = "agency_code"
        case objectType = "object_type", objectID = "object_id", requestID = "request_id", previousHash = "previous_hash"
    }

    init(_ entry: AuditEntry) {
        sequence = entry.id ?? 0
        chain = entry.chain
        occurredAt = entry.occurredAt
        actorID = entry.actorID
        actorName = entry.actorName
        agencyCode = entry.agencyCode
        action = entry.action
        objectType = entry.objectType
        objectID = entry.objectID
        requestID = entry.requestID
        details = entry.details
        previousHash = entry.previousHash
        hash = entry.hash
    }
}

struct AuditPageDTO: Content {
    let entries: [AuditEntryDTO]
    let page: Int
    let hasMore: Bool
    enum CodingKeys: String, CodingKey { case entries, page, hasMore = "has_more" }
}

struct AuditVerificationDTO: Content {
    /// Every chain intact.
    let intact: Bool
    let entries: Int
    /// The first bad entry of the first broken chain.
    let firstBadSequence: Int64?
    let message: String
    let chains: [AuditChainDTO]
    enum CodingKeys: String, CodingKey { case intact, entries, message, chains, firstBadSequence = "first_bad_sequence" }
}

struct AuditChainDTO: Content {
    let chain: String
    let intact: Bool
    let entries: Int
    let firstBadSequence: Int64?
    let message: String
    enum CodingKeys: String, CodingKey { case chain, intact, entries, message, firstBadSequence = "first_bad_sequence" }

    init(_ status: AuditChainStatus) {
        chain = status.chain
        intact = status.isIntact
        entries = status.entries
        firstBadSequence = status.problem?.firstBadSequence
        message = status.summary
    }
}

/// `/api/v1/audit`.
struct AuditAPI: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("audit", use: list)
        routes.get("audit", "verify", use: verify)
    }

    func list(req: Request) async throws -> AuditPageDTO {
        let filter = try req.query.decode(AuditFilter.self)
        let entries = try await filter.entries(for: try req.actor, on: req.db)
        return AuditPageDTO(entries: entries.prefix(AuditFilter.pageSize).map(AuditEntryDTO.init), page: try filter.pageNumber(),
                            hasMore: entries.count > AuditFilter.pageSize)
    }

    func verify(req: Request) async throws -> AuditVerificationDTO {
        guard AuditPermissions.canVerify(try req.actor) else { throw EGovError.forbidden("Chỉ quản trị hệ thống được kiểm tra toàn bộ nhật ký.") }
        let count = try await AuditEntry.query(on: req.db).count()
        let chains = try await AuditLog.verifyChains(on: req.db)
        let broken = chains.filter { !$0.isIntact }
        if let first = broken.first?.problem {
            return AuditVerificationDTO(intact: false, entries: count, firstBadSequence: first.firstBadSequence,
                                        message: broken.map(\.summary).joined(separator: " "), chains: chains.map(AuditChainDTO.init))
        }
        return AuditVerificationDTO(intact: true, entries: count, firstBadSequence: nil,
                                    message: "Nhật ký toàn vẹn: \(chains.count) chuỗi.", chains: chains.map(AuditChainDTO.init))
    }
}
