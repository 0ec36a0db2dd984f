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
        let query = IncomingDocument.query(on: db).owned(by: actor)
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

    static func list(_ filter: IncomingDocumentFilter, actor: Actor, on db: Database) async throws -> (rows: [IncomingDocumentListing], hasMore: Bool) {
        let terms = SearchTerms(filter.query)
        let found = try await list(filter, terms: terms, actor: actor, on: db)
        // Words that never stand side by side: look for them anywhere in the document.
        if found.rows.isEmpty, let loose = terms.loosened { return try await list(filter, terms: loose, actor: actor, on: db) }
        return found
    }

    private static func list(_ filter: IncomingDocumentFilter, terms: SearchTerms, actor: Actor, on db: Database) async throws -> (rows: [IncomingDocumentListing], hasMore: Bool) {
        var query = visibleQuery(to: actor, on: db)
        if let state = filter.state { query = query.filter(\.$state == state.rawValue) }
        if let year = filter.year { query = query.filter(\.$arrivalYear == year) }
        let offset = (max(filter.page, 1) - 1) * IncomingDocumentFilter.pageSize
        func page(_ rows: [IncomingDocumentListing]) -> (rows: [IncomingDocumentListing], hasMore: Bool) {
            (Array(rows.prefix(IncomingDocumentFilter.pageSize)), rows.count > IncomingDocumentFilter.pageSize)
        }
        if !terms.isEmpty, let sql = db as? SQLDatabase, sql.dialect.name == "sqlite" {
            // Let the full-text index drive, newest match first, so a page stops after 50 hits
            // instead of sorting every match (search_key follows registration order).
            query = query.join(IncomingDocumentSearchRow.self, on: \IncomingDocument.$searchKey == \IncomingDocumentSearchRow.$id)
                .filter(.sql(embed: "\(ident: IncomingDocumentSearchRow.schema) MATCH \(bind: terms.fts5Query)"))
                .sort(IncomingDocumentSearchRow.self, \.$id, .descending)
        } else {
            query = query.sort(\.$arrivalYear, .descending).sort(\.$arrivalNumber, .descending)
            if !terms.isEmpty, let sql = db as? SQLDatabase {
                // PostgreSQL has no index giving matches in this order: see NewestTextMatches.
                if let rows = try await NewestTextMatches.find(query, as: IncomingDocumentListing.self, order: [("arrival_year", true), ("arrival_number", true)],
                                                              terms: terms, count: offset + IncomingDocumentFilter.pageSize + 1, on: sql) {
                    return page(Array(rows.dropFirst(offset)))
                }
                query = query.filter(DocumentTextSearch.condition(table: IncomingDocument.schema, terms: terms, on: db))
            }
        }
        return page(try await query.offset(offset).limit(IncomingDocumentFilter.pageSize + 1).all(IncomingDocumentListing.self))
    }

    /// Văn bản chờ xử lý: what waits for this actor's move, most urgent first, then earliest deadline.
    /// Each kind of waiting is its own indexed query (an OR of them would scan the agency's
    /// whole register); the few hundred rows they return are merged here.
    static let inboxPageSize = 50

    /// One page of the inbox, and whether more follow.
    static func inbox(for actor: Actor, page: Int, on db: Database) async throws -> (rows: [IncomingDocumentListing], hasMore: Bool) {
        let start = (max(page, 1) - 1) * inboxPageSize
        let parts = waitingParts(for: actor, on: db)
        func ordered<Query>(_ query: QueryBuilder<Query>) -> QueryBuilder<Query> {
            query.sort("urgency_rank", .descending).sort("deadline_sort").sort("registered_at").sort("id")
        }
        if parts.count == 1 {
            let rows = try await ordered(parts[0]).offset(start).limit(inboxPageSize + 1).all(IncomingDocumentListing.self)
            return (Array(rows.prefix(inboxPageSize)), rows.count > inboxPageSize)
        }
        // Several duties: merge their orders by the sort keys alone, then read the page's rows.
        var keys: [UUID: InboxKey] = [:]
        for part in parts {
            for key in try await ordered(part).limit(start + inboxPageSize + 1).all(InboxKey.self) { keys[key.id] = key }
        }
        let merged = keys.values.sorted { $0.priority < $1.priority }
        let pageIDs = merged.dropFirst(start).prefix(inboxPageSize).map(\.id)
        let position = Dictionary(uniqueKeysWithValues: pageIDs.enumerated().map { ($1, $0) })
        let rows = pageIDs.isEmpty ? [] : try await IncomingDocument.query(on: db).filter(\.$id ~~ pageIDs).all(IncomingDocumentListing.self)
        return (rows.sorted { position[$0.id]! < position[$1.id]! }, merged.count > start + inboxPageSize)
    }

    /// How many incoming documents wait for the actor's move (the home page's count).
    static func waitingCount(for actor: Actor, on db: Database) async throws -> Int {
        let parts = waitingParts(for: actor, on: db)
        if parts.count == 1 { return try await parts[0].count() }
        // One document can wait on two duties (direct and assign): count it once.
        var ids: Set<UUID> = []
        for part in parts { ids.formUnion(try await part.all(InboxKey.self).map(\.id)) }
        return ids.count
    }

    /// Each kind of document waiting for the actor's move, as its own indexed query.
    private static func waitingParts(for actor: Actor, on db: Database) -> [QueryBuilder<IncomingDocument>] {
        func waiting() -> QueryBuilder<IncomingDocument> { IncomingDocument.query(on: db).owned(by: actor) }
        var parts = [waiting().filter(\.$assigneeID == actor.userID)
            .filter(\.$state ~~ [IncomingDocumentState.assigned.rawValue, IncomingDocumentState.inProgress.rawValue])]
        if actor.has(.leader) {
            parts.append(waiting().filter(\.$presentedToID == actor.userID).filter(\.$state == IncomingDocumentState.presented.rawValue))
        }
        if actor.has(.unitHead) {
            parts.append(waiting().filter(\.$leadUnitID == actor.unitID).filter(\.$state == IncomingDocumentState.directed.rawValue))
        }
        if actor.has(.clerk) {
            parts.append(waiting().filter(\.$state ~~ [IncomingDocumentState.registered.rawValue, IncomingDocumentState.returned.rawValue]))
        }
        return parts
    }

    /// The inbox's sort keys of a document.
    struct InboxKey: ColumnRow {
        let id: UUID
        let urgencyRank: Int
        let deadlineSort: String
        let registeredAt: Date
        typealias Columns = CodingKeys
        enum CodingKeys: String, CodingKey, CaseIterable {
            case id, urgencyRank = "urgency_rank", deadlineSort = "deadline_sort", registeredAt = "registered_at"
        }

        var priority: InboxPriority {
            InboxPriority(urgencyRank: urgencyRank, deadlineKey: deadlineSort, registeredAt: registeredAt, tieBreak: id.uuidString)
        }
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
