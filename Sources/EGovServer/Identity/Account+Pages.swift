import Vapor

/// The signed-in user's own account: password and second factor.
struct AccountPages: RouteCollection {
    struct PasswordForm: Content {
        var currentPassword: String?
        var newPassword: String?
        var newPasswordConfirm: String?
        enum CodingKeys: String, CodingKey {
            case currentPassword = "current_password", newPassword = "new_password", newPasswordConfirm = "new_password_confirm"
        }
    }
    struct CodeForm: Content { var code: String? }
    struct PasswordOnlyForm: Content { var password: String? }

    func boot(routes: RoutesBuilder) throws {
        let account = routes.grouped("account")
        account.get(use: show)
        account.post("password", use: changePassword)
        account.post("totp", "start", use: startTOTP)
        account.post("totp", "confirm", use: confirmTOTP)
        account.post("totp", "disable", use: disableTOTP)
    }

    private func page(_ req: Request, errors: [String: String] = [:], status: HTTPResponseStatus = .ok) async throws -> Response {
        let actor = try req.actor
        guard let user = try await User.find(actor.userID, on: req.db) else { throw EGovError.unauthorized() }
        let shell = req.shell("Tài khoản của tôi")
        let pending = (!user.totpEnabled && user.totpSecret != nil && req.session.data["totp_shown"] == nil) ? user.totpSecret : nil
        if pending != nil { req.session.data["totp_shown"] = "1" }
        return try await req.render("account", AccountPage(
            shell: shell, user: shell.user!, position: user.position, email: user.email,
            hasSecondFactor: user.totpEnabled, pendingSecret: pending, errors: errors), status: status)
    }

    func show(req: Request) async throws -> Response { try await page(req) }

    func changePassword(req: Request) async throws -> Response {
        let actor = try req.actor
        let form = try req.form(PasswordForm.self)
        guard form.newPassword == form.newPasswordConfirm else {
            return try await page(req, errors: ["new_password_confirm": "Mật khẩu nhập lại không khớp."], status: .unprocessableEntity)
        }
        do {
            try await ChangeOwnPassword(actor: actor, currentPassword: form.currentPassword ?? "", newPassword: form.newPassword ?? "").run(in: req.useCase)
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "new_password") else { throw error }
            return try await page(req, errors: errors, status: error.status)
        }
        // The password change ended every session; keep this one.
        if let user = try await User.find(actor.userID, on: req.db) { try await WebSession.signIn(user, on: req) }
        return req.redirectAfterPost(to: "/account", flash: "Đã đổi mật khẩu.")
    }

    func startTOTP(req: Request) async throws -> Response {
        let actor = try req.actor
        do { _ = try await StartTOTPEnrolment(actor: actor).run(in: req.useCase) } catch let error as EGovError {
            return try await page(req, errors: ["code": error.message], status: error.status)
        }
        req.session.data["totp_shown"] = nil
        return req.redirectAfterPost(to: "/account")
    }

    func confirmTOTP(req: Request) async throws -> Response {
        let actor = try req.actor
        let form = try req.form(CodeForm.self)
        do { try await ConfirmTOTP(actor: actor, code: form.code ?? "").run(in: req.useCase) } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "code") else { throw error }
            return try await page(req, errors: errors, status: error.status)
        }
        return req.redirectAfterPost(to: "/account", flash: "Đã bật xác thực hai lớp.")
    }

    func disableTOTP(req: Request) async throws -> Response {
        let actor = try req.actor
        let form = try req.form(PasswordOnlyForm.self)
        do { try await DisableTOTP(actor: actor, password: form.password ?? "").run(in: req.useCase) } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "password") else { throw error }
            return try await page(req, errors: errors, status: error.status)
        }
        return req.redirectAfterPost(to: "/account", flash: "Đã tắt xác thực hai lớp.")
    }
}
