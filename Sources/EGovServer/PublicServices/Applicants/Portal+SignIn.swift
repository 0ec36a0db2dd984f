import Vapor

/// Every page of the applicant portal under `/portal`.
struct PortalPages: RouteCollection {
    /// Where a signed-in applicant lands when nothing else was asked for.
    static let home = "/portal/account"

    func boot(routes: RoutesBuilder) throws {
        try routes.register(collection: PortalRegisterPages())
        try routes.register(collection: PortalSignInPages())
        let signedIn = routes.grouped(RequireApplicantMiddleware())
        try signedIn.register(collection: PortalAccountPages())
        try signedIn.register(collection: PortalNotificationPages())
    }

    /// Only portal paths are followed after sign-in (no open redirect, no staff pages).
    static func safeNext(_ next: String?) -> String {
        let path = SignInPages.safeNext(next)
        return path.hasPrefix("/portal") ? path : home
    }

    static func queryEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~@/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}

/// `/portal/sign-in` with e-mail or phone and password, the national eID, and sign-out.
struct PortalSignInPages: RouteCollection {
    struct SignInForm: Content { var login: String?; var password: String?; var next: String? }

    func boot(routes: RoutesBuilder) throws {
        routes.get("sign-in", use: show)
        routes.post("sign-in", use: submit)
        routes.get("sign-in", "oidc", use: startExternal)
        routes.get("sign-in", "oidc", "callback", use: finishExternal)
        routes.post("sign-out", use: signOut)
    }

    private func page(_ req: Request, login: String = "", error: EGovError? = nil, next: String) async throws -> Response {
        let page = PortalSignInPage(shell: try await req.portalShell("Đăng nhập"), login: login, error: error?.message,
                                    needsConfirmation: error?.code == "account_unconfirmed", next: next,
                                    externalProvider: req.application.egovServices.externalIdentity?.displayName)
        return try await req.render("portal-sign-in", page, status: error?.status ?? .ok)
    }

    func show(req: Request) async throws -> Response {
        let next = PortalPages.safeNext(req.query[String.self, at: "next"])
        if req.auth.has(PortalApplicant.self) { return req.redirect(to: next) }
        return try await page(req, next: next)
    }

    func submit(req: Request) async throws -> Response {
        let form = try req.form(SignInForm.self)
        let next = PortalPages.safeNext(form.next)
        do {
            let applicant = try await ApplicantSignIn(login: form.login ?? "", password: form.password ?? "").run(in: req.useCase)
            try await ApplicantSession.signIn(applicant, on: req)
            return req.redirectAfterPost(to: next)
        } catch let error as EGovError {
            return try await page(req, login: FormText.clean(form.login), error: error, next: next)
        }
    }

    func signOut(req: Request) async throws -> Response {
        if let applicant = req.auth.get(PortalApplicant.self) {
            try await req.useCase.auditOnly([AuditEvent("applicant.sign_out", objectType: "applicant", objectID: applicant.id.uuidString)])
        }
        ApplicantSession.signOut(on: req)
        return req.redirectAfterPost(to: "/portal/sign-in")
    }

    // MARK: National eID (OpenID Connect)

    private func provider(_ req: Request) throws -> any ExternalIdentityProvider {
        guard let provider = req.application.egovServices.externalIdentity else {
            throw EGovError.notFound("Đăng nhập bằng định danh điện tử chưa được cấu hình trên hệ thống này.")
        }
        return provider
    }

    /// Sends the browser to the provider with a fresh state and nonce kept in the session.
    func startExternal(req: Request) async throws -> Response {
        let provider = try provider(req)
        let (state, nonce) = (TokenIssuer.randomToken(), TokenIssuer.randomToken())
        req.session.data[ApplicantSession.oidcStateKey] = state
        req.session.data[ApplicantSession.oidcNonceKey] = nonce
        req.session.data[ApplicantSession.oidcNextKey] = PortalPages.safeNext(req.query[String.self, at: "next"])
        let url: String
        do { url = try await provider.authorizationURL(state: state, nonce: nonce) } catch {
            req.logger.error("eID authorization URL failed: \(String(reflecting: error))")
            return try await page(req, error: Self.providerUnavailable(provider), next: PortalPages.home)
        }
        return req.redirect(to: url)
    }

    /// The provider sends the browser back here: the state must be the one this session sent.
    func finishExternal(req: Request) async throws -> Response {
        let provider = try provider(req)
        let expected = req.session.data[ApplicantSession.oidcStateKey]
        let nonce = req.session.data[ApplicantSession.oidcNonceKey] ?? ""
        let next = PortalPages.safeNext(req.session.data[ApplicantSession.oidcNextKey])
        for key in [ApplicantSession.oidcStateKey, ApplicantSession.oidcNonceKey, ApplicantSession.oidcNextKey] { req.session.data[key] = nil }
        guard let expected, let state = req.query[String.self, at: "state"],
              CSRFMiddleware.equal(Array(state.utf8), Array(expected.utf8)) else {
            let error = EGovError.badRequest("Phiên đăng nhập bằng \(provider.displayName) không hợp lệ hoặc đã hết hạn. Vui lòng thử lại.", code: "invalid_state")
            return try await page(req, error: error, next: next)
        }
        guard let code = req.query[String.self, at: "code"], !code.isEmpty else {
            let error = EGovError.unauthorized("Bạn chưa hoàn tất đăng nhập bằng \(provider.displayName).", code: "external_sign_in_cancelled")
            return try await page(req, error: error, next: next)
        }
        let identity: ExternalIdentity
        do { identity = try await provider.exchange(code: code, nonce: nonce) } catch {
            req.logger.error("eID code exchange failed: \(String(reflecting: error))")
            return try await page(req, error: Self.providerUnavailable(provider), next: next)
        }
        do {
            let applicant = try await SignInWithExternalIdentity(identity: identity).run(in: req.useCase)
            try await ApplicantSession.signIn(applicant, on: req)
            return req.redirect(to: next)
        } catch let error as EGovError {
            return try await page(req, error: error, next: next)
        }
    }

    private static func providerUnavailable(_ provider: any ExternalIdentityProvider) -> EGovError {
        EGovError(status: .badGateway, code: "external_provider_failed",
                  message: "Không kết nối được với \(provider.displayName). Vui lòng thử lại sau hoặc đăng nhập bằng mật khẩu.")
    }
}
