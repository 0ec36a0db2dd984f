import Vapor

struct HomePages: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get(use: home)
    }

    func home(req: Request) async throws -> Response {
        let actor = try req.actor
        let capabilities = CapabilityCatalog.all.compactMap { entry in
            entry.href.map { Capability(name: entry.name, summary: entry.summary, href: $0, available: true) }
        }
        let waiting = HomePage.Waiting(
            incoming: try await IncomingDocumentQueries.waitingCount(for: actor, on: req.db),
            outgoing: try await OutgoingDocumentQueries.waitingCount(for: actor, on: req.db),
            dossiers: try await DossierQueries.waitingCount(for: actor, on: req.db))
        return try await req.render("home", HomePage(shell: req.shell("Trang chủ"), waiting: waiting, capabilities: capabilities,
                                                     coming: CapabilityCatalog.all.filter { $0.href == nil }.map(\.name).joined(separator: ", ")))
    }
}
