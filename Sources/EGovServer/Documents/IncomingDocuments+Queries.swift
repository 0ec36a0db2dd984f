import EGovCore
import Fluent
import FluentSQL
import Vapor

/// Filters of the incoming-document list.
struct IncomingDocumentFilter: Sendable {
    var query: String = ""
    var state: IncomingDocumentState?
    var year: Int?
    var page: Int = 1
    static let pageSize = 50
}

enum IncomingDocumentQueries {
    /// Documents of the actor's agency that the actor may see, as one query (lists, search,
    /// and the single-document look-up all go through it).
    static func visibleQuery(to actor: Actor, on db: Database) -> QueryBuilder<IncomingDocument> {
        let query = IncomingDocument.query(on: db).filter(\.$agency.$id == actor.agencyID)
        if DocumentPermissions.seesWholeAgency(actor) { return query }
        let unitID = actor.unitID
        return query.group(.or) { or in
            or.filter(\.$assigneeID == actor.userID)
            or.filter(\.$presentedToID == actor.userID)
            if actor.has(.unitHead) { or.filter(\.$leadUnitID == unitID) }
            or.group(.and) { open in
                open.filter(\.$confidentiality == Confidentiality.normal.rawValue)
                open.group(.or) { units in
                    units.filter(\.$leadUnitID == unitID)
                    units.filter(.sql(embed: """
                        \(ident: IncomingDocument.schema).\(ident: "id") IN (SELECT document_id FROM \(ident: IncomingDocumentCooperatingUnit.schema) WHERE unit_id = \(bind: unitID))
                        """))
                }
            }
        }
    }

    /// One document the actor may see; anything else (another agency's, a confidential one
    /// not for them) is "not found", so its existence does not leak.
    static func visible(_ id: UUID, to actor: Actor, on db: Database) async throws -> IncomingDocument {
        guard let doc = try await visibleQuery(to: actor, on: db).filter(\.$id == id).first() else {
            throw EGovError.notFound("Không tìm thấy văn bản đến.")
        }
        return doc
    }

    static func list(_ filter: IncomingDocumentFilter, actor: Actor, on db: Database) async throws -> (rows: [IncomingDocument], hasMore: Bool) {
        var query = visibleQuery(to: actor, on: db)
        if let state = filter.state { query = query.filter(\.$state == state.rawValue) }
        if let year = filter.year { query = query.filter(\.$arrivalYear == year) }
        let terms = SearchTerms(filter.query)
        if !terms.isEmpty { query = query.filter(DocumentTextSearch.condition(table: IncomingDocument.schema, terms: terms, on: db)) }
        let rows = try await query
            .sort(\.$arrivalYear, .descending).sort(\.$arrivalNumber, .descending)
            .offset((max(filter.page, 1) - 1) * IncomingDocumentFilter.pageSize)
            .limit(IncomingDocumentFilter.pageSize + 1)
            .all()
        return (Array(rows.prefix(IncomingDocumentFilter.pageSize)), rows.count > IncomingDocumentFilter.pageSize)
    }

    /// Văn bản chờ xử lý: what waits for this actor's move, most urgent first, then earliest deadline.
    static func inbox(for actor: Actor, limit: Int = 200, on db: Database) async throws -> [IncomingDocument] {
        try await IncomingDocument.query(on: db)
            .filter(\.$agency.$id == actor.agencyID)
            .group(.or) { or in
                or.group(.and) {
                    $0.filter(\.$assigneeID == actor.userID)
                        .filter(\.$state ~~ [IncomingDocumentState.assigned.rawValue, IncomingDocumentState.inProgress.rawValue])
                }
                if actor.has(.leader) {
                    or.group(.and) { $0.filter(\.$presentedToID == actor.userID).filter(\.$state == IncomingDocumentState.presented.rawValue) }
                }
                if actor.has(.unitHead) {
                    or.group(.and) { $0.filter(\.$leadUnitID == actor.unitID).filter(\.$state == IncomingDocumentState.directed.rawValue) }
                }
                if actor.has(.clerk) {
                    or.filter(\.$state ~~ [IncomingDocumentState.registered.rawValue, IncomingDocumentState.returned.rawValue])
                }
            }
            .sort(\.$urgencyRank, .descending)
            .sort(\.$deadlineSort, .ascending)
            .sort(\.$registeredAt, .ascending)
            .sort(\.$id, .ascending)
            .limit(limit)
            .all()
    }

    static func cooperatingUnitIDs(of documentID: UUID, on db: Database) async throws -> [UUID] {
        try await IncomingDocumentCooperatingUnit.query(on: db).filter(\.$document.$id == documentID).all().map(\.unitID)
    }

    static func history(of documentID: UUID, on db: Database) async throws -> [DocumentEvent] {
        try await DocumentEvent.query(on: db).filter(\.$documentID == documentID).sort(\.$position).all()
    }

    static func attachments(of documentID: UUID, on db: Database) async throws -> [DocumentAttachment] {
        try await DocumentAttachment.query(on: db).filter(\.$documentID == documentID).sort(\.$uploadedAt).sort(\.$version).all()
    }
}
