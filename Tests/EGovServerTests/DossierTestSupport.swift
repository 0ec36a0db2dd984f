import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

struct UploadPart: Sendable {
    let field: String
    let fileName: String
    let data: Data
}

extension EGovTestCase {
    /// Posts a multipart form as the browser, with its session cookie and CSRF token.
    func postForm(_ browser: Browser, _ path: String, fields: [(String, String)], files: [UploadPart] = []) async throws -> TestResponse {
        try await multipart(path, token: nil, fields: fields + [("_csrf", browser.lastCSRF ?? "")], files: files, cookie: browser.cookie)
    }

    /// A multipart/form-data request with text fields and files (several per field allowed).
    func multipart(_ path: String, token: String?, fields: [(String, String)] = [],
                   files: [UploadPart] = [], cookie: String? = nil, method: HTTPMethod = .POST) async throws -> TestResponse {
        var captured: TestResponse!
        let boundary = "egov-\(UUID().uuidString)"
        var body = Data()
        for (name, value) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for part in files {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.field)\"; filename=\"\(part.fileName)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8))
            body.append(part.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        try await app.test(method, path, beforeRequest: { req async throws in
            if let token { req.headers.bearerAuthorization = .init(token: token) }
            if let cookie { req.headers.replaceOrAdd(name: .cookie, value: cookie) }
            req.headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
            req.body = ByteBuffer(data: body)
        }, afterResponse: { res async throws in
            captured = TestResponse(status: res.status, headers: res.headers, body: res.body.string)
        })
        return captured
    }

    func demoApplicantToken(_ login: String = "congdan@egov.local") async throws -> String {
        let res = try await api(.POST, "/api/v1/portal/auth/token", as: nil, json: ["login": login, "password": DemoSeed.password])
        XCTAssertEqual(res.status, .ok, res.body)
        return try res.json(ApplicantToken.Response.self).accessToken
    }

    func procedureID(_ code: String, agency: String) async throws -> UUID {
        let owner = try await self.agency(agency)
        return try await Procedure.query(on: app.db).filter(\.$agency.$id == owner.id!).filter(\.$code == code).first()!.id!
    }

    /// A Vietnam wall-clock time (UTC+7).
    func vietnamTime(_ isoDate: String, _ hour: Int, _ minute: Int) -> Date {
        let day = LocalDate(iso: isoDate)!
        var components = DateComponents(year: day.year, month: day.month, day: day.day, hour: hour - 7, minute: minute)
        components.timeZone = TimeZone(identifier: "UTC")
        return Calendar(identifier: .gregorian).date(from: components)!
    }
}
