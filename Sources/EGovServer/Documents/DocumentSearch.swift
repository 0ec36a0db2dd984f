import EGovCore
import Fluent
import FluentSQL
import Vapor

/// Tìm kiếm văn bản: one search over incoming and outgoing documents, with filters, in a
/// stable order (newest first, then by id), through each kind's visibility rule.
struct DocumentSearchFilter: Sendable {
    enum Direction: String, CaseIterable, Sendable { case all, incoming, outgoing }

    var query: String = ""
    var direction: Direction = .all
    var typeCode: String?
    var from: LocalDate?
    var to: LocalDate?
    /// A state of either workflow (e.g. `done`, `issued`).
    var state: String?
    var urgency: Urgency?
    var unitID: UUID?
    var page: Int = 1
    static let pageSize = 20

    /// From `?q=&direction=&type=&from=&to=&state=&urgency=&unit=&page=`; bad values are a 400
    /// naming the parameter.
    init(query req: Request) throws {
        func text(_ key: String) -> String { FormText.clean(req.query[String.self, at: key]) }
        query = text("q")
        if !text("direction").isEmpty {
            guard let direction = Direction(rawValue: text("direction")) else { throw EGovError.badRequest("Chiều văn bản \"\(text("direction"))\" không hợp lệ.") }
            self.direction = direction
        }
        if !text("type").isEmpty {
            guard DocumentType.byCode(text("type")) != nil else { throw EGovError.badRequest("Loại văn bản \"\(text("type"))\" không hợp lệ.") }
            typeCode = text("type")
        }
        for key in ["from", "to"] where !text(key).isEmpty {
            guard let date = LocalDate(iso: text(key)) else { throw EGovError.badRequest("Ngày \"\(text(key))\" không hợp lệ (dạng năm-tháng-ngày).") }
            if key == "from" { from = date } else { to = date }
        }
        if let from, let to, from > to { throw EGovError.badRequest("Từ ngày phải trước đến ngày.") }
        if !text("state").isEmpty {
            guard IncomingDocumentState(rawValue: text("state")) != nil || OutgoingDocumentState(rawValue: text("state")) != nil else {
                throw EGovError.badRequest("Trạng thái \"\(text("state"))\" không hợp lệ.")
            }
            state = text("state")
        }
        if !text("urgency").isEmpty {
            guard let urgency = Urgency(rawValue: text("urgency")) else { throw EGovError.badRequest("Độ khẩn \"\(text("urgency"))\" không hợp lệ.") }
            self.urgency = urgency
        }
        if !text("unit").isEmpty {
            guard let unit = UUID(uuidString: text("unit")) else { throw EGovError.badRequest("Đơn vị không hợp lệ.") }
            unitID = unit
        }
        page = try PageNumber.from(req, maximum: 500)
    }

    init() {}

    var isEmpty: Bool {
        query.isEmpty && typeCode == nil && from == nil && to == nil && state == nil && urgency == nil && unitID == nil
    }
}

struct DocumentHit: Content, Equatable {
    /// incoming or outgoing
    let kind: String
    let id: UUID
    /// Arrival date of an incoming document; issue date (or last change) of an outgoing one.
    let date: String
    let numberNotation: String
    let subject: String
    /// The sender of an incoming document; the drafting unit of an outgoing one.
    let party: String
    let state: String
    let urgency: String
    let url: String

    enum CodingKeys: String, CodingKey {
        case kind, id, date, subject, party, state, urgency, url
        case numberNotation = "number_notation"
    }
}

enum DocumentSearch {
    static func run(_ filter: DocumentSearchFilter, actor: Actor, on db: Database) async throws -> (hits: [DocumentHit], hasMore: Bool) {
        let terms = SearchTerms(filter.query)
        let found = try await run(filter, terms: terms, actor: actor, on: db)
        // Words that never stand side by side: look for them anywhere in the document.
        if found.hits.isEmpty, let loose = terms.loosened { return try await run(filter, terms: loose, actor: actor, on: db) }
        return found
    }

    private static func run(_ filter: DocumentSearchFilter, terms: SearchTerms, actor: Actor, on db: Database) async throws -> (hits: [DocumentHit], hasMore: Bool) {
        // Enough rows from each kind to fill this page after merging.
        let needed = filter.page * DocumentSearchFilter.pageSize + 1
        var hits: [DocumentHit] = []
        if filter.direction != .outgoing, filter.state.map({ IncomingDocumentState(rawValue: $0) != nil }) ?? true {
            hits += try await incoming(filter, terms: terms, actor: actor, limit: needed, on: db)
        }
        if filter.direction != .incoming, filter.state.map({ OutgoingDocumentState(rawValue: $0) != nil }) ?? true {
            hits += try await outgoing(filter, terms: terms, actor: actor, limit: needed, on: db)
        }
        // Newest first; on the same day incoming before outgoing, then by id (as each query sorted them).
        hits.sort { ($0.date, $1.kind, $0.id.uuidString) > ($1.date, $0.kind, $1.id.uuidString) }
        let start = (filter.page - 1) * DocumentSearchFilter.pageSize
        let pageHits = Array(hits.dropFirst(start).prefix(DocumentSearchFilter.pageSize))
        return (pageHits, hits.count > start + DocumentSearchFilter.pageSize)
    }

    private static func incoming(_ filter: DocumentSearchFilter, terms: SearchTerms, actor: Actor, limit: Int, on db: Database) async throws -> [DocumentHit] {
        var query = IncomingDocumentQueries.visibleQuery(to: actor, on: db)
        if let type = filter.typeCode { query = query.filter(\.$typeCode == type) }
        if let from = filter.from { query = query.filter(\.$arrivalDate >= from.iso) }
        if let to = filter.to { query = query.filter(\.$arrivalDate <= to.iso) }
        if let state = filter.state { query = query.filter(\.$state == state) }
        if let urgency = filter.urgency { query = query.filter(\.$urgency == urgency.rawValue) }
        if let unitID = filter.unitID {
            query = query.group(.or) { or in
                or.filter(\.$leadUnitID == unitID)
                or.filter(.sql(embed: """
                    \(ident: IncomingDocument.schema).\(ident: "id") IN (SELECT document_id FROM \(ident: IncomingDocumentCooperatingUnit.schema) WHERE unit_id = \(bind: unitID))
                    """))
            }
        }
        let rows = try await newestRows(query, as: IncomingDocumentListing.self, dateColumn: "arrival_date", terms: terms, limit: limit, on: db)
        return rows.map { doc in
            DocumentHit(kind: "incoming", id: doc.id, date: doc.arrivalDate, numberNotation: doc.numberNotation, subject: doc.subject,
                        party: doc.senderName, state: doc.state, urgency: doc.urgency, url: "/documents/incoming/\(doc.id)")
        }
    }

    /// The first `limit` rows of `query`, newest `dateColumn` first (then by id). With a text:
    /// read the newest documents window by window (`NewestTextMatches`); a phrase too rare for
    /// that goes to the full-text index, and its few matches are sorted by the date's text, not
    /// the date column: sorting by the column would make either database walk the date index and
    /// test every document of the agency (seconds at 1 M).
    private static func newestRows<Model: FluentKit.Model, Row: ColumnRow>(
        _ query: QueryBuilder<Model>, as row: Row.Type, dateColumn: String, terms: SearchTerms, limit: Int, on db: Database
    ) async throws -> [Row] {
        let newestFirst = query.copy().sort(FieldKey(stringLiteral: dateColumn), .descending).sort("id", .descending)
        if terms.isEmpty { return try await newestFirst.limit(limit).all(row) }
        if let sql = db as? SQLDatabase, let rows = try await NewestTextMatches.find(
            newestFirst, as: row, order: [(dateColumn, true), ("id", true)], terms: terms, count: limit, on: sql) {
            return rows
        }
        let dateText = SQLOrderBy(expression: SQLQueryString("(\(ident: Model.schema).\(ident: dateColumn) || '')"), direction: SQLDirection.descending)
        return try await query.copy().filter(DocumentTextSearch.condition(table: Model.schema, terms: terms, on: db))
            .sort(.custom(dateText)).sort("id", .descending).limit(limit).all(row)
    }

    private static func outgoing(_ filter: DocumentSearchFilter, terms: SearchTerms, actor: Actor, limit: Int, on db: Database) async throws -> [DocumentHit] {
        var query = OutgoingDocumentQueries.visibleQuery(to: actor, on: db)
        if let type = filter.typeCode { query = query.filter(\.$typeCode == type) }
        if let from = filter.from { query = query.filter(\.$documentDate >= from.iso) }
        if let to = filter.to { query = query.filter(\.$documentDate <= to.iso) }
        if let state = filter.state { query = query.filter(\.$state == state) }
        if let urgency = filter.urgency { query = query.filter(\.$urgency == urgency.rawValue) }
        if let unitID = filter.unitID { query = query.filter(\.$draftingUnitID == unitID) }
        let rows = try await newestRows(query, as: OutgoingHitRow.self, dateColumn: "document_date", terms: terms, limit: limit, on: db)
        let units = try await AgencyUnit.query(on: db).owned(by: actor).all()
        let names = Dictionary(uniqueKeysWithValues: units.map { ($0.id!, $0.name) })
        return rows.map { doc in
            DocumentHit(kind: "outgoing", id: doc.id, date: doc.documentDate,
                        numberNotation: doc.numberNotation ?? "", subject: doc.subject, party: names[doc.draftingUnitID] ?? "",
                        state: doc.state, urgency: doc.urgency, url: "/documents/outgoing/\(doc.id)")
        }
    }
}

/// What a search hit shows of an outgoing document.
struct OutgoingHitRow: ColumnRow {
    let id: UUID
    let documentDate: String
    let numberNotation: String?
    let subject: String
    let draftingUnitID: UUID
    let state: String
    let urgency: String
    typealias Columns = CodingKeys
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, documentDate = "document_date", numberNotation = "number_notation", subject
        case draftingUnitID = "drafting_unit_id", state, urgency
    }
}

/// `GET /api/v1/documents/search`
struct DocumentSearchAPI: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("documents", "search") { req async throws -> DocumentSearchResult in
            let filter = try DocumentSearchFilter(query: req)
            let (hits, hasMore) = try await DocumentSearch.run(filter, actor: try req.actor, on: req.db)
            return DocumentSearchResult(page: filter.page, hasMore: hasMore, results: hits)
        }
    }
}

struct DocumentSearchResult: Content {
    let page: Int
    let hasMore: Bool
    let results: [DocumentHit]
    enum CodingKeys: String, CodingKey { case page, results, hasMore = "has_more" }
}
