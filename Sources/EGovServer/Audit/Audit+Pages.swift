import EGovCore
import Fluent
import Vapor

struct AuditPages: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("admin", "audit", use: show)
    }

    func show(req: Request) async throws -> Response {
        let actor = try req.actor
        let filter = try req.query.decode(AuditFilter.self)
        let entries: [AuditEntry]
        var errors: [String: String] = [:]
        do { entries = try await filter.entries(for: actor, on: req.db) } catch let error as EGovError where !error.fieldErrors.isEmpty {
            entries = []
            errors = error.fieldErrors
        }
        let page = try filter.pageNumber()
        var verification: AuditVerification?
        if req.query[String.self, at: "verify"] != nil {
            guard AuditPermissions.canVerify(actor) else { throw EGovError.forbidden("Chỉ quản trị hệ thống được kiểm tra toàn bộ nhật ký.") }
            let chains = try await AuditLog.verifyChains(on: req.db)
            let broken = chains.filter { !$0.isIntact }
            let count = chains.reduce(0) { $0 + $1.entries }
            if broken.isEmpty {
                verification = AuditVerification(intact: true, message: "Nhật ký toàn vẹn: \(count) mục trong \(chains.count) chuỗi, chuỗi băm khớp. "
                                                 + chains.map(\.summary).joined(separator: " "))
            } else {
                // The broken chains first; the others are still named, so the admin sees which are sound.
                verification = AuditVerification(intact: false, message: "Nhật ký KHÔNG toàn vẹn ở \(broken.count)/\(chains.count) chuỗi. "
                                                 + (broken + chains.filter(\.isIntact)).map(\.summary).joined(separator: " "))
            }
        }
        let values = AuditFilterValues(
            action: filter.action ?? "", actor: filter.actor ?? "", agencyCode: filter.agencyCode ?? "",
            objectType: filter.objectType ?? "", from: filter.from ?? "", to: filter.to ?? "")
        func url(page: Int) -> String {
            var components = URLComponents()
            components.path = "/admin/audit"
            let items: [(String, String)] = [("action", values.action), ("actor", values.actor), ("agency_code", values.agencyCode),
                                             ("object_type", values.objectType), ("from", values.from), ("to", values.to)]
            components.queryItems = items.filter { !$0.1.isEmpty }.map { URLQueryItem(name: $0.0, value: $0.1) } + [URLQueryItem(name: "page", value: String(page))]
            return components.string ?? "/admin/audit"
        }
        let hasNext = entries.count > AuditFilter.pageSize
        var shell = req.shell("Nhật ký hệ thống")
        if !errors.isEmpty { shell.flash = errors.values.sorted().joined(separator: " ") }
        return try await req.render("audit", AuditPage(
            shell: shell, filters: values, actionLabels: AuditLabels.actions.map(\.label), entries: entries.prefix(AuditFilter.pageSize).map(AuditRow.init),
            page: page, previousURL: page > 1 ? url(page: page - 1) : nil, nextURL: hasNext ? url(page: page + 1) : nil,
            verifyURL: "/admin/audit?verify=1", verification: verification,
            scopeNote: actor.isSystemAdmin ? nil : "Bạn đang xem các mục của cơ quan \(actor.agencyName) (\(actor.agencyCode))."),
            status: errors.isEmpty ? .ok : .unprocessableEntity)
    }
}

extension AuditRow {
    init(_ entry: AuditEntry) {
        self.init(sequence: entry.id ?? 0, time: entry.occurredAt.vietnamTimestamp, actor: entry.actorName ?? "hệ thống",
                  agencyCode: entry.agencyCode ?? "", action: entry.action, actionLabel: AuditLabels.action(entry.action),
                  objectType: entry.objectType.map(AuditLabels.objectType) ?? "",
                  objectID: entry.objectID ?? "", requestID: entry.requestID ?? "", details: AuditLabels.details(entry.details ?? ""),
                  hashPrefix: String(entry.hash.prefix(12)))
    }
}
