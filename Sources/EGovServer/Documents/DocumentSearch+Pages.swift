import EGovCore
import Fluent
import Vapor

/// `/documents/search`: the search box and filters over both kinds of documents.
struct DocumentSearchPages: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("documents", "search", use: search)
    }

    func search(req: Request) async throws -> Response {
        let actor = try req.actor
        let filter = try DocumentSearchFilter(query: req)
        let searched = !filter.isEmpty || req.query[String.self, at: "direction"] != nil
        let (hits, hasMore) = searched ? try await DocumentSearch.run(filter, actor: actor, on: req.db) : ([], false)
        let units = try await AgencyUnit.query(on: req.db).owned(by: actor).sort(\.$name).all()
        let directionLabels: [DocumentSearchFilter.Direction: String] = [.all: "Cả văn bản đến và đi", .incoming: "Văn bản đến", .outgoing: "Văn bản đi"]
        let states = IncomingDocumentState.allCases.map { Option(value: $0.rawValue, label: "Đến: \($0.label)", selected: $0.rawValue == filter.state) }
            + OutgoingDocumentState.allCases.filter { IncomingDocumentState(rawValue: $0.rawValue) == nil }
                .map { Option(value: $0.rawValue, label: "Đi: \($0.label)", selected: $0.rawValue == filter.state) }
        let rows = hits.map { hit in
            let urgency = Urgency(rawValue: hit.urgency) ?? .normal
            let stateLabel = hit.kind == "incoming" ? IncomingDocumentState(rawValue: hit.state)?.label : OutgoingDocumentState(rawValue: hit.state)?.label
            return SearchRow(kindLabel: hit.kind == "incoming" ? "Đến" : "Đi", url: hit.url, date: IncomingDocumentPageBuilder.date(hit.date),
                             numberNotation: hit.numberNotation, subject: hit.subject, party: hit.party, stateLabel: stateLabel ?? hit.state,
                             urgencyLabel: urgency.label, isUrgent: urgency.isUrgent)
        }
        return try await req.render("document-search", DocumentSearchPage(
            shell: req.shell("Tìm kiếm văn bản"), query: filter.query, from: filter.from?.iso ?? "", to: filter.to?.iso ?? "",
            directionOptions: DocumentSearchFilter.Direction.allCases.map { Option(value: $0.rawValue, label: directionLabels[$0]!, selected: $0 == filter.direction) },
            typeOptions: [Option(value: "", label: "Tất cả loại", selected: filter.typeCode == nil)]
                + DocumentType.all.map { Option(value: $0.code, label: $0.name, selected: $0.code == filter.typeCode) },
            stateOptions: [Option(value: "", label: "Tất cả trạng thái", selected: filter.state == nil)] + states,
            urgencyOptions: [Option(value: "", label: "Mọi độ khẩn", selected: filter.urgency == nil)]
                + Urgency.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == filter.urgency) },
            unitOptions: [Option(value: "", label: "Mọi đơn vị", selected: filter.unitID == nil)]
                + units.map { Option(value: $0.id!.uuidString, label: $0.name, selected: $0.id == filter.unitID) },
            searched: searched, rows: rows, page: filter.page,
            previousURL: filter.page > 1 ? req.pageURL(filter.page - 1) : nil, nextURL: hasMore ? req.pageURL(filter.page + 1) : nil))
    }
}
