import EGovCore
import Vapor

/// The portal's catalogue: anyone finds a procedure and reads it, with no sign-in.
struct PortalProcedurePages: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("portal") { req in req.redirect(to: "/portal/procedures") }
        let procedures = routes.grouped("portal", "procedures")
        procedures.get(use: list)
        procedures.get(":procedureID", use: show)
    }

    func list(req: Request) async throws -> Response {
        var search = try ProcedureSearch.from(req)
        search.inForceOn = LocalDate.inVietnam(req.now)
        let list = try await ProcedureListModel.build(req, search: search)
        return try await req.render("portal-procedures", PortalProceduresPage(shell: try await req.portalShell("Thủ tục hành chính"), list: list))
    }

    func show(req: Request) async throws -> Response {
        let detail = try await ProcedureDetail.load(try req.uuidParameter("procedureID"), actor: req.auth.get(Actor.self),
                                                    today: LocalDate.inVietnam(req.now), on: req.db).2
        return try await req.render("portal-procedure", PortalProcedurePage(shell: try await req.portalShell(detail.record.name), procedure: ProcedureView(detail)))
    }
}
