import EGovCore
import Fluent
import JWT
import NIOConcurrencyHelpers
import Vapor

/// A person as the national eID (VNeID) or another OpenID Connect provider vouches for them.
struct ExternalIdentity: Sendable, Equatable {
    /// The provider's stable id for the person (`sub`).
    var subject: String
    var fullName: String
    /// CCCD number (12 digits).
    var identityNumber: String?
    var phone: String?
    var email: String?
}

/// The plug-in point for signing citizens in with an external identity provider.
/// `GenericOIDCProvider` speaks standard OpenID Connect; a provider with other rules implements this.
protocol ExternalIdentityProvider: Sendable {
    /// Shown on the button, e.g. "VNeID".
    var displayName: String { get }
    /// Where to send the browser; `state` and `nonce` come back and are checked.
    func authorizationURL(state: String, nonce: String) async throws -> String
    /// Trades the code from the callback for the verified identity; `nonce` is the one sent.
    func exchange(code: String, nonce: String) async throws -> ExternalIdentity
}

/// `EGOV_OIDC_*`: set the issuer, client id and redirect URL to turn eID sign-in on.
struct OIDCSettings: Sendable, Equatable {
    var issuer: String
    var clientID: String
    var clientSecret: String?
    var redirectURL: String
    var displayName: String
    var scopes: String
    /// The ID-token claim holding the CCCD number (providers name it differently).
    var identityClaim: String

    static func fromEnvironment(_ value: (String) -> String?) -> OIDCSettings? {
        guard let issuer = value("EGOV_OIDC_ISSUER"), let clientID = value("EGOV_OIDC_CLIENT_ID"),
              let redirect = value("EGOV_OIDC_REDIRECT_URL") else { return nil }
        return OIDCSettings(issuer: issuer, clientID: clientID, clientSecret: value("EGOV_OIDC_CLIENT_SECRET"), redirectURL: redirect,
                            displayName: value("EGOV_OIDC_DISPLAY_NAME") ?? "VNeID",
                            scopes: value("EGOV_OIDC_SCOPES") ?? "openid profile email phone",
                            identityClaim: value("EGOV_OIDC_IDENTITY_CLAIM") ?? "identity_number")
    }
}

/// Standard OpenID Connect (authorization code flow): the discovery document, the token
/// endpoint with `client_secret_post`, and the ID token verified against the provider's JWKS.
struct GenericOIDCProvider: ExternalIdentityProvider {
    let settings: OIDCSettings
    let client: any Client
    private let cache = NIOLockedValueBox<Discovery?>(nil)

    init(settings: OIDCSettings, client: any Client) {
        self.settings = settings
        self.client = client
    }

    var displayName: String { settings.displayName }

    struct Discovery: Codable, Sendable {
        let issuer: String
        let authorizationEndpoint: String
        let tokenEndpoint: String
        let jwksURI: String
        enum CodingKeys: String, CodingKey {
            case issuer, authorizationEndpoint = "authorization_endpoint", tokenEndpoint = "token_endpoint", jwksURI = "jwks_uri"
        }
    }

    struct IDTokenClaims: JWTPayload {
        var iss: IssuerClaim
        var sub: SubjectClaim
        var aud: AudienceClaim
        var exp: ExpirationClaim
        var nonce: String?
        var name: String?
        var email: String?
        var phoneNumber: String?
        enum CodingKeys: String, CodingKey { case iss, sub, aud, exp, nonce, name, email, phoneNumber = "phone_number" }
        func verify(using algorithm: some JWTAlgorithm) async throws { try exp.verifyNotExpired() }
    }

    func discovery() async throws -> Discovery {
        if let cached = cache.withLockedValue({ $0 }) { return cached }
        let issuer = settings.issuer.hasSuffix("/") ? String(settings.issuer.dropLast()) : settings.issuer
        let response = try await client.get(URI(string: issuer + "/.well-known/openid-configuration"))
        guard response.status == .ok else { throw Abort(.badGateway, reason: "OIDC discovery answered \(response.status.code)") }
        let document = try response.content.decode(Discovery.self)
        cache.withLockedValue { $0 = document }
        return document
    }

    func authorizationURL(state: String, nonce: String) async throws -> String {
        var components = URLComponents(string: try await discovery().authorizationEndpoint)
        let existing = components?.queryItems ?? []
        components?.queryItems = existing + [
            .init(name: "response_type", value: "code"), .init(name: "client_id", value: settings.clientID),
            .init(name: "redirect_uri", value: settings.redirectURL), .init(name: "scope", value: settings.scopes),
            .init(name: "state", value: state), .init(name: "nonce", value: nonce),
        ]
        guard let url = components?.string else { throw Abort(.internalServerError, reason: "bad OIDC authorization endpoint") }
        return url
    }

    func exchange(code: String, nonce: String) async throws -> ExternalIdentity {
        let discovery = try await discovery()
        // Sent, never read back: `Encodable` only.
        struct TokenForm: Encodable {
            let grant_type = "authorization_code"
            let code: String
            let redirect_uri: String
            let client_id: String
            let client_secret: String?
        }
        struct TokenAnswer: Content { let id_token: String }
        let tokenResponse = try await client.post(URI(string: discovery.tokenEndpoint)) { req in
            try req.content.encode(TokenForm(code: code, redirect_uri: settings.redirectURL, client_id: settings.clientID,
                                             client_secret: settings.clientSecret), as: .urlEncodedForm)
        }
        guard tokenResponse.status == .ok else { throw Abort(.badGateway, reason: "OIDC token endpoint answered \(tokenResponse.status.code)") }
        let idToken = try tokenResponse.content.decode(TokenAnswer.self).id_token
        let jwks = try await client.get(URI(string: discovery.jwksURI)).content.decode(JWKS.self)
        let keys = try await JWTKeyCollection().add(jwks: jwks)
        let claims = try await keys.verify(idToken, as: IDTokenClaims.self)
        guard claims.iss.value == discovery.issuer, claims.aud.value.contains(settings.clientID), claims.nonce == nonce else {
            throw Abort(.unauthorized, reason: "ID token issuer, audience or nonce mismatch")
        }
        return ExternalIdentity(subject: claims.sub.value, fullName: claims.name ?? "", identityNumber: try identityNumber(in: idToken),
                                phone: claims.phoneNumber, email: claims.email)
    }

    /// The configured identity claim, read from the (already verified) token's payload.
    private func identityNumber(in token: String) throws -> String? {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return nil }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object[settings.identityClaim].map { "\($0)" }
    }
}

/// Signs in the applicant an external identity belongs to: the account already linked to its
/// subject, else the confirmed citizen account with the same CCCD number, else a new one
/// (confirmed: the eID has verified the person).
struct SignInWithExternalIdentity {
    let identity: ExternalIdentity

    func run(in ctx: UseCaseContext) async throws -> Applicant {
        let identity = self.identity
        guard !identity.subject.isEmpty else { throw EGovError.badRequest("Nhà cung cấp định danh không trả về mã người dùng.") }
        let unusablePassword = try await ctx.services.passwords.hash(TokenIssuer.randomToken())
        let number = identity.identityNumber.flatMap { ApplicantIdentityNumber.normalise($0, for: .citizen) }
        let now = ctx.now
        return try await ctx.recording(as: AuditContext(actor: nil, requestID: ctx.requestID)).audited { db, trail in
            if let linked = try await Applicant.query(on: db).filter(\.$externalSubject == identity.subject).first() {
                trail.record("applicant.sign_in", objectType: "applicant", objectID: linked.id?.uuidString, details: "eID")
                return try Self.usable(linked)
            }
            if let number, let existing = try await Applicant.query(on: db).filter(\.$identityNumber == number)
                .filter(\.$kind == Applicant.Kind.citizen.rawValue).filter(\.$confirmedAt != nil).first() {
                existing.externalSubject = identity.subject
                try await existing.update(on: db)
                trail.record("applicant.link_eid", objectType: "applicant", objectID: existing.id?.uuidString)
                return try Self.usable(existing)
            }
            // Contacts another account already uses are left out rather than refusing the person.
            let email = identity.email.map { FormText.clean($0).lowercased() }.flatMap { FormText.looksLikeEmail($0) ? $0 : nil }
            let phone = identity.phone.flatMap(VietnamesePhone.normalise)
            let emailFree = try await email.asyncMap { try await Applicant.query(on: db).filter(\.$email == $0).first() == nil } ?? false
            let phoneFree = try await phone.asyncMap { try await Applicant.query(on: db).filter(\.$phone == $0).first() == nil } ?? false
            let name = FormText.clean(identity.fullName)
            let applicant = Applicant(kind: .citizen, fullName: name.isEmpty ? "Công dân" : name, email: emailFree ? email : nil,
                                      phone: phoneFree ? phone : nil, identityNumber: number, passwordHash: unusablePassword)
            applicant.confirmedAt = now
            applicant.externalSubject = identity.subject
            try await applicant.create(on: db)
            trail.record("applicant.register", objectType: "applicant", objectID: applicant.id?.uuidString, details: "eID")
            return applicant
        }
    }

    private static func usable(_ applicant: Applicant) throws -> Applicant {
        guard applicant.isActive else {
            throw EGovError(status: .forbidden, code: "account_disabled", message: "Tài khoản đã bị khóa. Vui lòng liên hệ bộ phận một cửa để được hỗ trợ.")
        }
        return applicant
    }
}
