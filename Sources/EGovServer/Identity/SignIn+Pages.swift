import Vapor

/// Sign-in, the TOTP step and sign-out of the web UI.
struct SignInPages: RouteCollection {
    struct SignInForm: Content {
        var username: String?
        var password: String?
        var next: String?
    }
    struct CodeForm: Content {
        var code: String?
        var next: String?
    }

    func boot(routes: RoutesBuilder) throws {
        routes.get("sign-in", use: show)
        routes.post("sign-in", use: submit)
        routes.get("sign-in", "totp", use: showSecondFactor)
        routes.post("sign-in", "totp", use: submitSecondFactor)
        routes.post("sign-out", use: signOut)
    }

    /// Only local paths are followed after sign-in (no open redirect).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\") else { return "/" }
        return next
    }

    func show(req: Request) async throws -> Response {
        if req.auth.has(Actor.self) { return req.redirect(to: "/") }
        let next = Self.safeNext(req.query[String.self, at: "next"])
        return try await req.render("sign-in", SignInPage(shell: req.shell("Đăng nhập"), username: "", error: nil, next: next))
    }

    func submit(req: Request) async throws -> Response {
        let form = try req.form(SignInForm.self)
        let next = Self.safeNext(form.next)
        do {
            switch try await SignIn(username: form.username ?? "", password: form.password ?? "", totpCode: nil).run(in: req.useCase) {
            case .signedIn(let user):
                try await WebSession.signIn(user, on: req)
                return req.redirectAfterPost(to: next)
            case .needsSecondFactor(let user):
                req.session.data[WebSession.pendingUserKey] = user.id!.uuidString
                return req.redirectAfterPost(to: "/sign-in/totp?next=\(next.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "/")")
            }
        } catch let error as EGovError {
            let page = SignInPage(shell: req.shell("Đăng nhập"), username: form.username ?? "", error: error.message, next: next)
            return try await req.render("sign-in", page, status: error.status)
        }
    }

    func showSecondFactor(req: Request) async throws -> Response {
        guard req.session.data[WebSession.pendingUserKey] != nil else { return req.redirect(to: "/sign-in") }
        let next = Self.safeNext(req.query[String.self, at: "next"])
        return try await req.render("sign-in-totp", SecondFactorPage(shell: req.shell("Xác thực hai lớp"), error: nil, next: next))
    }

    func submitSecondFactor(req: Request) async throws -> Response {
        let form = try req.form(CodeForm.self)
        let next = Self.safeNext(form.next)
        guard let raw = req.session.data[WebSession.pendingUserKey], let userID = UUID(uuidString: raw) else {
            return req.redirect(to: "/sign-in")
        }
        do {
            let user = try await SignIn.completeSecondFactor(userID: userID, code: form.code ?? "", in: req.useCase)
            try await WebSession.signIn(user, on: req)
            return req.redirectAfterPost(to: next)
        } catch let error as EGovError {
            let page = SecondFactorPage(shell: req.shell("Xác thực hai lớp"), error: error.message, next: next)
            return try await req.render("sign-in-totp", page, status: error.status)
        }
    }

    func signOut(req: Request) async throws -> Response {
        if let actor = req.auth.get(Actor.self) {
            try await req.useCase.acting(as: actor).auditOnly([AuditEvent("sign_out", objectType: "user", objectID: actor.userID.uuidString)])
        }
        WebSession.signOut(on: req)
        return req.redirectAfterPost(to: "/sign-in")
    }
}
