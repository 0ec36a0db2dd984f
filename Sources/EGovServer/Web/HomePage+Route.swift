import Vapor

struct HomePages: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get(use: home)
    }

    func home(req: Request) async throws -> Response {
        _ = try req.actor
        let capabilities = CapabilityCatalog.all.map {
            Capability(name: $0.name, summary: $0.summary, href: $0.href ?? "#", available: $0.href != nil)
        }
        return try await req.render("home", HomePage(shell: req.shell("Trang chủ"), capabilities: capabilities))
    }
}
