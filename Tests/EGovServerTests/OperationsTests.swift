import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

final class OperationsTests: EGovTestCase {
    func test_healthAndReadinessAnswer() async throws {
        let health = try await api(.GET, "/healthz", as: nil)
        XCTAssertEqual(health.status, .ok)
        let ready = try await api(.GET, "/readyz", as: nil)
        XCTAssertEqual(ready.status, .ok)
        XCTAssertTrue(ready.body.contains("ready"))
    }

    func test_metricsCountRequestsByRoutePattern() async throws {
        let token = try await token("admin")
        let agency = try await agency("000.00.00.H49")
        try await api(.GET, "/api/v1/agencies/\(agency.id!)", as: token)
        let metrics = try await api(.GET, "/metrics", as: nil)
        XCTAssertEqual(metrics.status, .ok)
        XCTAssertTrue(metrics.body.contains(#"egov_http_requests_total{method="GET",route="/api/v1/agencies/:agencyID",status="200"} 1"#), metrics.body)
        XCTAssertTrue(metrics.body.contains("egov_http_request_duration_seconds_count"))
    }

    func test_responsesCarryTheRequestID() async throws {
        var id = ""
        try await app.test(.GET, "/healthz", beforeRequest: { req async throws in
            req.headers.replaceOrAdd(name: "X-Request-Id", value: "req-abc-123")
        }, afterResponse: { res async throws in
            id = res.headers.first(name: "X-Request-Id") ?? ""
        })
        XCTAssertEqual(id, "req-abc-123")
    }

    func test_unknownAPIRouteIsJSON404() async throws {
        let res = try await api(.GET, "/api/v1/nothing-here", as: nil)
        XCTAssertEqual(res.status, .notFound)
        XCTAssertEqual(res.error?.error, "not_found")
        XCTAssertFalse(res.error?.message.isEmpty ?? true)
    }

    func test_malformedJSONIsA400WithAMessage() async throws {
        let token = try await token("admin")
        var captured: (HTTPResponseStatus, String) = (.ok, "")
        try await app.test(.POST, "/api/v1/agencies", beforeRequest: { req async throws in
            req.headers.bearerAuthorization = .init(token: token)
            req.headers.contentType = .json
            req.body = ByteBuffer(string: "{\"code\": ")
        }, afterResponse: { res async throws in captured = (res.status, res.body.string) })
        XCTAssertEqual(captured.0, .badRequest)
        let body = try JSONDecoder().decode(APIErrorBody.self, from: Data(captured.1.utf8))
        XCTAssertEqual(body.error, "malformed_body")
    }

    func test_unknownPageIsTheFriendlyErrorPage() async throws {
        let res = try await browser().get("/khong-co-trang-nay")
        XCTAssertEqual(res.status, .notFound)
        XCTAssertTrue(res.body.contains("lang=\"vi\""))
        XCTAssertTrue(res.body.contains("Không tìm thấy"))
    }
}
