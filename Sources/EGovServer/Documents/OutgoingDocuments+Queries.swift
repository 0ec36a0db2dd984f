import EGovCore
import Fluent
import FluentSQL
import Vapor

struct OutgoingDocumentFilter: Sendable {
    var query: String = ""
    var state: OutgoingDocumentState?
    var page: Int = 1
    static let pageSize = 50
}

enum OutgoingDocumentQueries {
    /// The outgoing documents the actor may see, as one query (the same rule as
    /// `OutgoingDocumentPermissions.canView`).
    static func visibleQuery(to actor: Actor, on db: Database) -> QueryBuilder<OutgoingDocument> {
        OutgoingDocument.query(on: db).owned(by: actor).group(.or) { or in
            or.filter(\.$drafterID == actor.userID)
            or.filter(\.$signerID == actor.userID)
            if actor.has(.leader) { or.filter(\.$state ~~ OutgoingDocumentPermissions.leaderStates.map(\.rawValue)) }
            if actor.has(.clerk) { or.filter(\.$state ~~ OutgoingDocumentPermissions.clerkStates.map(\.rawValue)) }
            if actor.has(.unitHead) {
                or.group(.and) { $0.filter(\.$draftingUnitID == actor.unitID).filter(\.$state != OutgoingDocumentState.draft.rawValue) }
            }
            or.group(.and) { open in
                open.filter(\.$confidentiality == Confidentiality.normal.rawValue)
                open.group(.or) { mine in
                    mine.filter(\.$draftingUnitID == actor.unitID)
                    mine.group(.and) { issued in
                        issued.filter(\.$state == OutgoingDocumentState.issued.rawValue)
                        issued.filter(.sql(embed: """
                            \(ident: OutgoingDocument.schema).\(ident: "id") IN (SELECT document_id FROM \(ident: OutgoingRecipient.schema) WHERE unit_id = \(bind: actor.unitID) OR user_id = \(bind: actor.userID))
                            """))
                    }
                }
            }
        }
    }

    static func visible(_ id: UUID, to actor: Actor, on db: Database) async throws -> OutgoingDocument {
        guard let doc = try await visibleQuery(to: actor, on: db).filter(\.$id == id).first() else {
            throw EGovError.notFound("Không tìm thấy văn bản đi.")
        }
        return doc
    }

    static func list(_ filter: OutgoingDocumentFilter, actor: Actor, on db: Database) async throws -> (rows: [OutgoingDocument], hasMore: Bool) {
        let terms = SearchTerms(filter.query)
        let found = try await list(filter, terms: terms, actor: actor, on: db)
        if found.rows.isEmpty, let loose = terms.loosened { return try await list(filter, terms: loose, actor: actor, on: db) }
        return found
    }

    private static func list(_ filter: OutgoingDocumentFilter, terms: SearchTerms, actor: Actor, on db: Database) async throws -> (rows: [OutgoingDocument], hasMore: Bool) {
        var query = visibleQuery(to: actor, on: db)
        if let state = filter.state { query = query.filter(\.$state == state.rawValue) }
        if !terms.isEmpty { query = query.filter(DocumentTextSearch.condition(table: OutgoingDocument.schema, terms: terms, on: db)) }
        let rows = try await query.sort(\.$updatedAt, .descending).sort(\.$id)
            .offset((max(filter.page, 1) - 1) * OutgoingDocumentFilter.pageSize).limit(OutgoingDocumentFilter.pageSize + 1).all()
        return (Array(rows.prefix(OutgoingDocumentFilter.pageSize)), rows.count > OutgoingDocumentFilter.pageSize)
    }

    /// Drafts waiting for this actor: returned to their drafter, under review by the unit head,
    /// approved for any leader to sign, signed for a clerk to issue.
    static func inbox(for actor: Actor, limit: Int = 200, on db: Database) async throws -> [OutgoingDocument] {
        try await waiting(for: actor, on: db).sort(\.$urgencyRank, .descending).sort(\.$updatedAt).sort(\.$id).limit(limit).all()
    }

    /// How many drafts wait for this actor (the home page's count).
    static func waitingCount(for actor: Actor, on db: Database) async throws -> Int {
        try await waiting(for: actor, on: db).count()
    }

    private static func waiting(for actor: Actor, on db: Database) -> QueryBuilder<OutgoingDocument> {
        OutgoingDocument.query(on: db)
            .owned(by: actor)
            .group(.or) { or in
                or.group(.and) { $0.filter(\.$drafterID == actor.userID).filter(\.$state == OutgoingDocumentState.returned.rawValue) }
                if actor.has(.unitHead) {
                    or.group(.and) { $0.filter(\.$draftingUnitID == actor.unitID).filter(\.$state == OutgoingDocumentState.inReview.rawValue) }
                }
                if actor.has(.leader) { or.filter(\.$state == OutgoingDocumentState.approved.rawValue) }
                if actor.has(.clerk) { or.filter(\.$state == OutgoingDocumentState.signed.rawValue) }
            }
    }

    static func recipients(of documentID: UUID, on db: Database) async throws -> [OutgoingRecipient] {
        inDrafterOrder(try await OutgoingRecipient.query(on: db).filter(\.$document.$id == documentID).all())
    }

    /// Nơi nhận as the drafter listed them; rows saved before the order was kept come after,
    /// by kind and name as they used to.
    static func inDrafterOrder(_ recipients: [OutgoingRecipient]) -> [OutgoingRecipient] {
        recipients.sorted { a, b in
            switch (a.position, b.position) {
            case let (x?, y?): return x < y
            case (_?, nil): return true
            case (nil, _?): return false
            case (nil, nil): return (a.kind, a.name) < (b.kind, b.name)
            }
        }
    }

    static func signatures(of documentID: UUID, on db: Database) async throws -> [DocumentSignatureRecord] {
        try await DocumentSignatureRecord.query(on: db).filter(\.$documentID == documentID).sort(\.$signedAt).all()
    }

    /// The current version of each attached file (by name), in upload order.
    static func currentAttachments(of documentID: UUID, on db: Database) async throws -> [DocumentAttachment] {
        let all = try await IncomingDocumentQueries.attachments(of: documentID, on: db)
        var latest: [String: DocumentAttachment] = [:]
        for row in all where (latest[row.fileName]?.version ?? 0) < row.version { latest[row.fileName] = row }
        return all.filter { latest[$0.fileName]?.id == $0.id }
    }
}
