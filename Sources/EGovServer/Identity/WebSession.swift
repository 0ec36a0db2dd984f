import Crypto
import Fluent
import Vapor

/// What the web UI keeps in its session cookie's server-side record.
enum WebSession {
    static let userKey = "uid"
    static let versionKey = "ver"
    static let pendingUserKey = "pending_uid"
    static let csrfKey = "csrf"
    static let flashKey = "flash"
    static let signedInAtKey = "at"
    /// A working day and then some: a session older than this signs in again.
    static let maximumAge: TimeInterval = 12 * 3600

    static func signIn(_ user: User, on req: Request) async throws {
        // A fresh session id on sign-in, so a session id planted before sign-in is worthless.
        if let oldID = req.session.id {
            try await req.application.sessions.driver.deleteSession(oldID, for: req).get()
        }
        req.session.id = nil
        req.session.data = SessionData()
        req.session.data[userKey] = user.id!.uuidString
        req.session.data[versionKey] = String(user.credentialVersion)
        req.session.data[signedInAtKey] = String(Int(req.now.timeIntervalSince1970))
        req.session.data[csrfKey] = TokenIssuer.randomToken()
    }

    static func signOut(on req: Request) {
        req.auth.logout(Actor.self)
        req.session.destroy()
    }

    /// The CSRF token of this session, created on first use. A request that failed before the
    /// sessions middleware ran (a bad static file path) has no session: its error page gets none.
    static func csrfToken(on req: Request) -> String {
        guard req.storage[SessionsRan.self] == true else { return "" }
        if let token = req.session.data[csrfKey] { return token }
        let token = TokenIssuer.randomToken()
        req.session.data[csrfKey] = token
        return token
    }

    static func setFlash(_ message: String, on req: Request) { req.session.data[flashKey] = message }
    static func takeFlash(on req: Request) -> String? {
        guard req.hasSession, let message = req.session.data[flashKey] else { return nil }
        req.session.data[flashKey] = nil
        return message
    }
}

/// Set once `SessionsMiddleware` has run for a request; reading `req.session` before that stops the process.
enum SessionsRan: StorageKey { typealias Value = Bool }

/// Loads the actor of a web session (and drops sessions whose account changed). The API is
/// left alone: it trusts bearer tokens only, so a cross-site form cannot use the cookie there.
/// A request with no such session (the API, the public, static files) passes without a task.
struct SessionActorMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: Responder) -> EventLoopFuture<Response> {
        // Runs right after `SessionsMiddleware`: from here on `req.session` may be read.
        request.storage[SessionsRan.self] = true
        guard let userID = request.webSessionID(WebSession.userKey) else { return next.respond(to: request) }
        return next.respond(to: request) {
            let signedInAt = request.session.data[WebSession.signedInAtKey].flatMap(TimeInterval.init) ?? 0
            if request.now.timeIntervalSince1970 - signedInAt > WebSession.maximumAge {
                request.session.destroy()
            } else if let version = request.session.data[WebSession.versionKey].flatMap(Int.init),
                      let actor = try await Actor.load(userID: userID, credentialVersion: version, on: request.db) {
                request.auth.login(actor)
            } else {
                request.session.destroy()
            }
        }
    }
}

extension Request {
    /// The account id a web session keeps under `key`; never for the API, which trusts bearer
    /// tokens only, so a cross-site form cannot use the cookie there.
    func webSessionID(_ key: String) -> UUID? {
        guard !url.path.hasPrefix("/api/"), hasSession, let raw = session.data[key] else { return nil }
        return UUID(uuidString: raw)
    }
}

/// Checks the CSRF token on every form POST of the web UI.
struct CSRFMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if request.method != .GET, request.method != .HEAD {
            // The token is inside the body: a large upload still streams in here (routes collect
            // their bodies after group middleware), so collect it first — up to the upload limit
            // only for signed-in people (officers, applicants), so nobody else can make the server hold 100 MB.
            if request.body.data == nil {
                let uploading = request.headers.contentType?.type == "multipart"
                    && (request.auth.has(Actor.self) || request.auth.has(PortalApplicant.self))
                let limit = uploading ? request.application.settings.maxUploadBytes : request.application.routes.defaultMaxBodySize.value
                _ = try await request.body.collect(max: limit).get()
            }
            let sent = (try? request.content.get(String.self, at: "_csrf")) ?? request.headers.first(name: "X-CSRF-Token")
            guard request.hasSession, let expected = request.session.data[WebSession.csrfKey], let sent,
                  Self.equal(Array(sent.utf8), Array(expected.utf8)) else {
                throw EGovError(status: .forbidden, code: "csrf_failed",
                                message: "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.")
            }
        }
        return try await next.respond(to: request)
    }

    /// Constant-time comparison.
    static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
