import EGovCore
import Fluent
import SQLKit
import XCTest
import XCTVapor
@testable import EGovServer

/// A mutable clock for tests: set "now" instead of sleeping.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date {
        get { lock.lock(); defer { lock.unlock() }; return current }
        set { lock.lock(); current = newValue; lock.unlock() }
    }
    func advance(_ seconds: TimeInterval) { now = now.addingTimeInterval(seconds) }
}

/// Builds a migrated app on a database of its own: a copy of a template migrated (and seeded) once
/// per build of the test binary (see TestDatabaseTemplate): on SQLite a copied data folder, with
/// `EGOV_TEST_DATABASE_URL` set a database `CREATE`d from a template database on that server.
enum TestApp {
    /// The PostgreSQL server the tests use; each test's own database is `app.settings.databaseURL`.
    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["EGOV_TEST_DATABASE_URL"], !url.isEmpty else { return nil }
        return url
    }

    static func make(seedDemo: Bool = true, clock: TestClock? = nil, publicURL: String? = nil) async throws -> (Application, String) {
        let dataDir = FileManager.default.temporaryDirectory.appendingPathComponent("egov-test-\(UUID().uuidString)").path
        var settings = Settings.fromEnvironment()
        settings.dataDirectory = dataDir
        settings.jwtSecret = "test-secret-\(UUID().uuidString)"
        if let seedTime = seedDemo ? clock?.now : Date() {
            let copy = try await TestDatabaseTemplate.copy(seeded: seedDemo, seedTime: seedTime, into: dataDir, postgresURL: postgresURL)
            settings.databaseURL = copy.databaseURL
        } else {
            // The demo seed stamps the clock's time: without a test clock, seed now, as the app would.
            if let postgresURL { settings.databaseURL = try await TestDatabaseTemplate.emptyDatabase(postgresURL: postgresURL).databaseURL }
            try await TestDatabaseTemplate.build(settings, seeded: true, clock: nil)
        }
        let app = try await Application.make(.testing)
        app.logger.logLevel = .error // keep test output to what matters
        if let publicURL { settings.publicURL = publicURL }
        do {
            try await configure(app, settings: settings, clock: clock.map { clock in AppClock(now: { clock.now }) } ?? .system)
            try await app.autoMigrate() // finds every migration applied in the copy
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        return (app, dataDir)
    }
}

/// Base class: a fresh app per test, shut down afterwards.
class EGovTestCase: XCTestCase {
    var app: Application!
    var dataDir: String!
    let clock = TestClock(ISO8601DateFormatter().date(from: "2026-03-02T02:00:00Z")!) // Monday 09:00 in Hà Nội

    var seedDemo: Bool { true }

    override func setUp() async throws {
        try await super.setUp()
        (app, dataDir) = try await TestApp.make(seedDemo: seedDemo, clock: clock)
    }

    override func tearDown() async throws {
        try await app?.asyncShutdown()
        app = nil
        // After every app of the test has shut down (some make a second one).
        try await TestDatabaseTemplate.dropCopies()
        if let dataDir { try? FileManager.default.removeItem(atPath: dataDir) }
        try await super.tearDown()
    }

    var sql: SQLDatabase { app.db as! SQLDatabase }

    // MARK: API helpers

    func token(_ username: String, password: String = DemoSeed.password, file: StaticString = #filePath, line: UInt = #line) async throws -> String {
        var token = ""
        try await app.test(.POST, "/api/v1/auth/token", beforeRequest: { req async throws in
            try req.content.encode(["username": username, "password": password])
        }, afterResponse: { res async throws in
            XCTAssertEqual(res.status, .ok, "sign-in of \(username): \(res.body.string)", file: file, line: line)
            token = try res.content.decode(TokenPair.self).accessToken
        })
        return token
    }

    /// Sends a JSON request as a signed-in user and hands back the response.
    @discardableResult
    func api(_ method: HTTPMethod, _ path: String, as token: String?, json: (any Encodable & Sendable)? = nil,
             file: StaticString = #filePath, line: UInt = #line) async throws -> TestResponse {
        var captured: TestResponse!
        try await app.test(method, path, beforeRequest: { req async throws in
            if let token { req.headers.bearerAuthorization = .init(token: token) }
            if let json { try req.content.encode(AnyEncodable(json), as: .json) }
        }, afterResponse: { res async throws in
            captured = TestResponse(status: res.status, headers: res.headers, body: res.body.string)
        })
        return captured
    }

    func agency(_ code: String) async throws -> Agency {
        try await Agency.query(on: app.db).filter(\.$code == code).first()!
    }
    func user(_ username: String) async throws -> User {
        try await User.query(on: app.db).filter(\.$username == username).first()!
    }
    func unit(_ agencyCode: String, _ unitCode: String) async throws -> AgencyUnit {
        let agency = try await agency(agencyCode)
        return try await AgencyUnit.query(on: app.db).filter(\.$agency.$id == agency.id!).filter(\.$code == unitCode).first()!
    }

    /// A browser-like client for the web UI: keeps the session cookie and reads CSRF tokens from forms.
    func browser() -> Browser { Browser(app: app) }
}

struct TestResponse: Sendable {
    let status: HTTPResponseStatus
    let headers: HTTPHeaders
    let body: String

    func json<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: Data(body.utf8))
    }
    var error: APIErrorBody? { try? json(APIErrorBody.self) }
}

struct AnyEncodable: Encodable, Sendable {
    let value: any Encodable & Sendable
    init(_ value: any Encodable & Sendable) { self.value = value }
    func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}

final class Browser: @unchecked Sendable {
    let app: Application
    var cookie: String?
    var lastCSRF: String?

    init(app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String) async throws -> TestResponse {
        try await send(.GET, path, form: nil)
    }

    /// Posts a form with the CSRF token of the last page seen (unless `csrf` overrides it).
    @discardableResult
    func post(_ path: String, _ fields: [(String, String)], csrf: String? = nil) async throws -> TestResponse {
        var all = fields
        if let token = csrf ?? lastCSRF { all.append(("_csrf", token)) }
        return try await send(.POST, path, form: all)
    }

    /// Signs in through the form, then opens the page it was sent to (as a browser would), so the
    /// next form post carries the new session's CSRF token.
    func signIn(_ username: String, password: String = DemoSeed.password) async throws -> TestResponse {
        try await get("/sign-in")
        let response = try await post("/sign-in", [("username", username), ("password", password), ("next", "/")])
        if response.status == .seeOther, let location = response.headers.first(name: .location) { try await get(location) }
        return response
    }

    private func send(_ method: HTTPMethod, _ path: String, form: [(String, String)]?) async throws -> TestResponse {
        var captured: TestResponse!
        try await app.test(method, path, beforeRequest: { req async throws in
            if let cookie = self.cookie { req.headers.replaceOrAdd(name: .cookie, value: cookie) }
            if let form {
                var allowed = CharacterSet.alphanumerics
                allowed.insert(charactersIn: "-._~")
                let body = form.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
                    .joined(separator: "&")
                req.headers.contentType = .urlEncodedForm
                req.body = ByteBuffer(string: body)
            }
        }, afterResponse: { res async throws in
            if let setCookie = res.headers.first(name: .setCookie), let pair = setCookie.split(separator: ";").first {
                let value = pair.drop(while: { $0 != "=" }).dropFirst()
                self.cookie = value.isEmpty ? nil : String(pair) // an emptied cookie means the session ended
            }
            let body = res.body.string
            if let range = body.range(of: #"name="_csrf" value="([^"]+)""#, options: .regularExpression) {
                let match = body[range]
                self.lastCSRF = String(match.split(separator: "\"")[3])
            }
            captured = TestResponse(status: res.status, headers: res.headers, body: body)
        })
        return captured
    }
}
