import Fluent
import JWT
import Vapor

/// The signed-in citizen or business, as portal handlers read it (`req.applicant`). Never an `Actor`:
/// nothing a civil servant may do is reachable through it.
struct PortalApplicant: Authenticatable, Sendable, Equatable {
    let id: UUID
    let kind: Applicant.Kind
    let fullName: String
    let email: String?
    let phone: String?
    let identityNumber: String?

    init(_ applicant: Applicant) {
        id = applicant.id!
        kind = applicant.applicantKind
        fullName = applicant.fullName
        email = applicant.email
        phone = applicant.phone
        identityNumber = applicant.identityNumber
    }

    var login: String { email ?? phone ?? id.uuidString }
    var auditContext: AuditContext { AuditContext(applicantID: id, login: login, requestID: nil) }

    /// nil when the account is gone, deactivated, unconfirmed, or its password changed since.
    static func load(id: UUID, credentialVersion: Int, on db: Database) async throws -> PortalApplicant? {
        guard let applicant = try await Applicant.find(id, on: db), applicant.isActive, applicant.confirmedAt != nil,
              applicant.credentialVersion == credentialVersion else { return nil }
        return PortalApplicant(applicant)
    }
}

extension Request {
    /// The signed-in applicant; 401 when there is none.
    var applicant: PortalApplicant {
        get throws {
            guard let applicant = auth.get(PortalApplicant.self) else {
                throw EGovError.unauthorized("Bạn cần đăng nhập tài khoản công dân, doanh nghiệp để tiếp tục.")
            }
            return applicant
        }
    }

    /// Audit context naming the signed-in applicant (or nobody, before sign-in).
    var applicantAuditContext: AuditContext {
        guard let applicant = auth.get(PortalApplicant.self) else { return AuditContext(actor: nil, requestID: id) }
        return AuditContext(applicantID: applicant.id, login: applicant.login, requestID: id)
    }
}

/// The portal's keys in the session record, apart from the civil servants' (`uid`, `ver`).
enum ApplicantSession {
    static let applicantKey = "applicant_id"
    static let versionKey = "applicant_ver"
    static let signedInAtKey = "applicant_at"
    static let oidcStateKey = "oidc_state"
    static let oidcNonceKey = "oidc_nonce"
    static let oidcNextKey = "oidc_next"

    /// A fresh session (new id, no civil-servant keys), so one browser is never both at once.
    static func signIn(_ applicant: Applicant, on req: Request) async throws {
        if let oldID = req.session.id {
            try await req.application.sessions.driver.deleteSession(oldID, for: req).get()
        }
        req.auth.logout(Actor.self)
        req.session.id = nil
        req.session.data = SessionData()
        req.session.data[applicantKey] = applicant.id!.uuidString
        req.session.data[versionKey] = String(applicant.credentialVersion)
        req.session.data[signedInAtKey] = String(Int(req.now.timeIntervalSince1970))
        req.session.data[WebSession.csrfKey] = TokenIssuer.randomToken()
        req.auth.login(PortalApplicant(applicant))
    }

    static func signOut(on req: Request) {
        req.auth.logout(PortalApplicant.self)
        req.session.destroy()
    }
}

/// Loads the applicant of a portal session (and drops the portal keys when the account changed).
/// Like `SessionActorMiddleware`, a task only when there is an applicant to load.
struct ApplicantSessionMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: Responder) -> EventLoopFuture<Response> {
        guard let id = request.webSessionID(ApplicantSession.applicantKey) else { return next.respond(to: request) }
        return next.respond(to: request) {
            let signedInAt = request.session.data[ApplicantSession.signedInAtKey].flatMap(TimeInterval.init) ?? 0
            if request.now.timeIntervalSince1970 - signedInAt <= WebSession.maximumAge,
               let version = request.session.data[ApplicantSession.versionKey].flatMap(Int.init),
               let applicant = try await PortalApplicant.load(id: id, credentialVersion: version, on: request.db) {
                request.auth.login(applicant)
            } else {
                request.session.destroy()
            }
        }
    }
}

/// The `kind` an applicant's access token carries; civil servants' tokens carry none.
enum ApplicantToken {
    static let kind = "applicant"

    struct Response: Content {
        let accessToken: String
        let tokenType: String
        let expiresIn: Int
        enum CodingKeys: String, CodingKey { case accessToken = "access_token", tokenType = "token_type", expiresIn = "expires_in" }
    }

    static func issue(for applicant: Applicant, on req: Request) async throws -> Response {
        let lifetime = req.application.settings.accessTokenLifetime
        let payload = AccessTokenPayload(sub: .init(value: applicant.id!.uuidString), exp: .init(value: req.now.addingTimeInterval(lifetime)),
                                         iat: .init(value: req.now), ver: applicant.credentialVersion, kind: kind)
        return Response(accessToken: try await req.jwt.sign(payload), tokenType: "Bearer", expiresIn: Int(lifetime))
    }
}

/// Authenticates portal API requests carrying an applicant's bearer token; other tokens are
/// left alone here (and refused by `RequireApplicantMiddleware`).
struct ApplicantBearerMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        if let bearer = request.headers.bearerAuthorization,
           let payload = try? await request.jwt.verify(bearer.token, as: AccessTokenPayload.self), payload.kind == ApplicantToken.kind {
            guard payload.exp.value > request.now else {
                throw EGovError.unauthorized("Mã truy cập đã hết hạn. Vui lòng đăng nhập lại.", code: "token_expired")
            }
            guard let id = UUID(uuidString: payload.sub.value),
                  let applicant = try await PortalApplicant.load(id: id, credentialVersion: payload.ver, on: request.db) else {
                throw EGovError.unauthorized("Mã truy cập không còn hiệu lực.", code: "invalid_token")
            }
            request.auth.login(applicant)
        }
        return try await next.respond(to: request)
    }
}

/// Portal routes for signed-in applicants: pages send the visitor to the portal's sign-in,
/// the API answers 401.
struct RequireApplicantMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard request.auth.has(PortalApplicant.self) else {
            if request.url.path.hasPrefix("/api/") || request.method != .GET { _ = try request.applicant }
            return request.redirect(to: "/portal/sign-in?next=\(PortalPages.queryEncoded(request.url.string))")
        }
        return try await next.respond(to: request)
    }
}
