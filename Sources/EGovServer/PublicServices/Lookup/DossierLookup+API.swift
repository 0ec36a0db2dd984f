import EGovCore
import Vapor

/// `GET /api/v1/lookup?code=&contact=`: the public look-up as JSON, no sign-in.
struct DossierLookupAPI: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("lookup", use: lookup)
    }

    func lookup(req: Request) async throws -> Response {
        try DossierLookup.admit(req)
        let query = DossierLookup.Query(req)
        let (code, contact) = (query.code ?? "", query.contact ?? "")
        return try await DossierLookup.find(code: code, contact: contact, names: req.application.egovServices.directoryNames, direct: req.application.egovServices.sqliteLookupReader, now: req.now, on: req.db).jsonResponse
    }
}
