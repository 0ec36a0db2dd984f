import Crypto
import Fluent
import JWT
import Vapor

/// The short-lived bearer token of the JSON API.
struct AccessTokenPayload: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    /// The user's credential version when issued; a password change or deactivation bumps it.
    var ver: Int
    /// `applicant` for a citizen's or business's portal token; absent for civil servants.
    var kind: String? = nil

    // Expiry is checked against the app clock by `BearerActorMiddleware`.
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

struct TokenPair: Content {
    let accessToken: String
    let refreshToken: String
    let tokenType: String
    let expiresIn: Int

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token", refreshToken = "refresh_token", tokenType = "token_type", expiresIn = "expires_in"
    }
}

enum TokenIssuer {
    static func issue(for user: User, in ctx: UseCaseContext) async throws -> TokenPair {
        let settings = ctx.settings
        let now = ctx.now
        let payload = AccessTokenPayload(
            sub: .init(value: user.id!.uuidString), exp: .init(value: now.addingTimeInterval(settings.accessTokenLifetime)),
            iat: .init(value: now), ver: user.credentialVersion)
        let access = try await ctx.services.tokenKeys.sign(payload)
        let refresh = randomToken()
        let stored = RefreshToken(userID: user.id!, tokenHash: hash(refresh), expiresAt: now.addingTimeInterval(settings.refreshTokenLifetime))
        // Through SQLite's writer queue, so it never waits in SQLite's busy handler.
        try await ctx.services.auditLog.writeTransaction(on: ctx.db) { db in try await stored.create(on: db) }
        return TokenPair(accessToken: access, refreshToken: refresh, tokenType: "Bearer", expiresIn: Int(settings.accessTokenLifetime))
    }

    /// Trades a refresh token for a new pair; the old refresh token is used up.
    static func refresh(_ token: String, in ctx: UseCaseContext) async throws -> TokenPair {
        let invalid = EGovError.unauthorized("Mã làm mới không hợp lệ hoặc đã hết hạn. Vui lòng đăng nhập lại.", code: "invalid_refresh_token")
        guard let stored = try await RefreshToken.query(on: ctx.db).filter(\.$tokenHash == hash(token)).first() else { throw invalid }
        try await ctx.services.auditLog.writeTransaction(on: ctx.db) { db in try await stored.delete(on: db) }
        guard stored.revokedAt == nil, stored.expiresAt > ctx.now,
              let user = try await User.query(on: ctx.db).filter(\.$id == stored.$user.id).with(\.$agency).first(),
              user.isActive, user.agency.isActive else { throw invalid }
        return try await issue(for: user, in: ctx)
    }

    static func revoke(_ token: String, in ctx: UseCaseContext) async throws {
        let tokenHash = hash(token)
        try await ctx.services.auditLog.writeTransaction(on: ctx.db) { db in
            try await RefreshToken.query(on: db).filter(\.$tokenHash == tokenHash).delete()
        }
    }

    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}

/// Authenticates API requests carrying `Authorization: Bearer <access token>`.
/// A request without a token (the public API) passes without a task.
struct BearerActorMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: Responder) -> EventLoopFuture<Response> {
        guard let bearer = request.headers.bearerAuthorization else { return next.respond(to: request) }
        return next.respond(to: request) {
            let payload: AccessTokenPayload
            do {
                payload = try await request.jwt.verify(bearer.token, as: AccessTokenPayload.self)
            } catch {
                throw EGovError.unauthorized("Mã truy cập không hợp lệ.", code: "invalid_token")
            }
            // An applicant's token never makes an actor; the portal's own middleware reads it.
            if payload.kind == ApplicantToken.kind { return }
            guard payload.exp.value > request.now else {
                throw EGovError.unauthorized("Mã truy cập đã hết hạn. Hãy dùng mã làm mới để lấy mã mới.", code: "token_expired")
            }
            guard let userID = UUID(uuidString: payload.sub.value),
                  let actor = try await Actor.load(userID: userID, credentialVersion: payload.ver, on: request) else {
                throw EGovError.unauthorized("Mã truy cập không còn hiệu lực.", code: "invalid_token")
            }
            request.auth.login(actor)
        }
    }
}

/// Refuses requests with no signed-in actor.
struct RequireActorMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        _ = try request.actor
        return try await next.respond(to: request)
    }
}
