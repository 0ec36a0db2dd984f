import Fluent
import SQLKit
import Vapor

/// `/healthz` (the process answers), `/readyz` (the database answers), `/metrics` (Prometheus).
struct OperationsRoutes: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("healthz") { _ in ["status": "ok"] }
        routes.get("readyz", use: ready)
        routes.get("metrics", use: metrics)
    }

    func ready(req: Request) async throws -> Response {
        do {
            guard let sql = req.db as? SQLDatabase else { throw EGovError.badRequest("no SQL database") }
            try await sql.raw("SELECT 1").run()
            return try await ["status": "ready"].encodeResponse(for: req)
        } catch {
            req.logger.error("readiness check failed: \(String(reflecting: error))")
            return try await APIErrorBody(error: "database_unavailable", message: "Cơ sở dữ liệu không phản hồi.")
                .encodeResponse(status: .serviceUnavailable, for: req)
        }
    }

    func metrics(req: Request) async throws -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: req.application.egovServices.requestMetrics.render()))
    }
}
