import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// Keeps every e-mail and SMS instead of sending it, so tests can read confirmation codes.
final class RecordingSender: MailSender, TextMessageSender, @unchecked Sendable {
    private let lock = NSLock()
    private var _mails: [OutgoingMail] = []
    private var _texts: [OutgoingTextMessage] = []

    var mails: [OutgoingMail] { lock.lock(); defer { lock.unlock() }; return _mails }
    var texts: [OutgoingTextMessage] { lock.lock(); defer { lock.unlock() }; return _texts }

    func send(_ message: OutgoingMail) async throws { lock.withLock { _mails.append(message) } }
    func send(_ message: OutgoingTextMessage) async throws { lock.withLock { _texts.append(message) } }

    /// The six-digit code in the last message to `recipient` (an e-mail or a phone).
    func lastCode(to recipient: String) -> String? {
        let bodies = mails.filter { $0.to == recipient }.map(\.body) + texts.filter { $0.to == recipient }.map(\.body)
        guard let body = bodies.last, let range = body.range(of: #"\b[0-9]{6}\b"#, options: .regularExpression) else { return nil }
        return String(body[range])
    }
}

/// A fresh app whose mail and SMS go to `sender`.
class ApplicantTestCase: EGovTestCase {
    let sender = RecordingSender()

    override func setUp() async throws {
        try await super.setUp()
        app.egovServices.mail = sender
        app.egovServices.textMessages = sender
    }

    static let password = "MatKhau2026"

    /// Registers through the API and runs the job queue (the code goes out); fails the test unless the account was created.
    @discardableResult
    func register(email: String? = nil, phone: String? = nil, name: String = "Lê Thị Hoa", kind: String = "citizen",
                  identityNumber: String? = nil, password: String = ApplicantTestCase.password,
                  file: StaticString = #filePath, line: UInt = #line) async throws -> ApplicantDTO {
        var body: [String: String] = ["full_name": name, "kind": kind, "password": password]
        body["email"] = email
        body["phone"] = phone
        body["identity_number"] = identityNumber
        let res = try await api(.POST, "/api/v1/portal/register", as: nil, json: body)
        XCTAssertEqual(res.status, .created, res.body, file: file, line: line)
        try await app.jobs.runUntilIdle()
        return try res.json(ApplicantDTO.self)
    }

    /// Registers, confirms with the code that arrived and returns an access token.
    func confirmedApplicantToken(email: String, phone: String? = nil, password: String = ApplicantTestCase.password) async throws -> String {
        try await register(email: email, phone: phone, password: password)
        let confirm = try await api(.POST, "/api/v1/portal/confirm", as: nil, json: ["login": email, "code": sender.lastCode(to: email) ?? ""])
        XCTAssertEqual(confirm.status, .ok, confirm.body)
        return try await applicantToken(email, password: password)
    }

    func applicantToken(_ login: String, password: String = ApplicantTestCase.password) async throws -> String {
        let res = try await api(.POST, "/api/v1/portal/auth/token", as: nil, json: ["login": login, "password": password])
        XCTAssertEqual(res.status, .ok, res.body)
        return try res.json(ApplicantToken.Response.self).accessToken
    }
}

extension Browser {
    /// Signs in on the portal and opens the page it lands on (for its CSRF token).
    @discardableResult
    func portalSignIn(_ login: String, password: String) async throws -> TestResponse {
        try await get("/portal/sign-in")
        let response = try await post("/portal/sign-in", [("login", login), ("password", password), ("next", "/portal/account")])
        if response.status == .seeOther, let location = response.headers.first(name: .location) { try await get(location) }
        return response
    }
}
