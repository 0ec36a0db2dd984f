import Vapor

/// `/portal/register` and `/portal/confirm`: a new account and its confirmation code.
struct PortalRegisterPages: RouteCollection {
    struct ConfirmForm: Content { var login: String?; var code: String? }
    struct ResendForm: Content { var login: String? }

    func boot(routes: RoutesBuilder) throws {
        routes.get("register", use: show)
        routes.post("register", use: submit)
        routes.get("confirm", use: showConfirm)
        routes.post("confirm", use: submitConfirm)
        routes.post("confirm", "resend", use: resend)
    }

    func show(req: Request) async throws -> Response {
        if req.auth.has(PortalApplicant.self) { return req.redirect(to: PortalPages.home) }
        let page = PortalRegisterPage(shell: try await req.portalShell("Đăng ký tài khoản"), values: RegistrationValues(), errors: [:])
        return try await req.render("portal-register", page)
    }

    func submit(req: Request) async throws -> Response {
        let form = try req.form(RegistrationInput.self)
        do {
            let applicant = try await RegisterApplicant(input: try form.validate()).run(in: req.useCase)
            let login = applicant.login
            let channel = applicant.email != nil ? "thư điện tử" : "tin nhắn điện thoại"
            return req.redirectAfterPost(to: "/portal/confirm?login=\(PortalPages.queryEncoded(login))",
                                         flash: "Đã tạo tài khoản. Mã xác nhận gồm 6 chữ số đã được gửi qua \(channel) tới \(login).")
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "email") else { throw error }
            let values = RegistrationValues(kind: form.kind ?? "citizen", fullName: form.fullName ?? "", email: form.email ?? "",
                                            phone: form.phone ?? "", identityNumber: form.identityNumber ?? "")
            let page = PortalRegisterPage(shell: try await req.portalShell("Đăng ký tài khoản"), values: values, errors: errors)
            return try await req.render("portal-register", page, status: error.status)
        }
    }

    func showConfirm(req: Request) async throws -> Response {
        let login = FormText.clean(req.query[String.self, at: "login"])
        return try await req.render("portal-confirm", PortalConfirmPage(shell: try await req.portalShell("Xác nhận tài khoản"), login: login, errors: [:]))
    }

    func submitConfirm(req: Request) async throws -> Response {
        let form = try req.form(ConfirmForm.self)
        do {
            // The code proves the contact is theirs, and the password was set at registration: no second sign-in.
            let applicant = try await ConfirmApplicant(login: form.login ?? "", code: form.code ?? "").run(in: req.useCase)
            try await ApplicantSession.signIn(applicant, on: req)
            return req.redirectAfterPost(to: "/portal/account", flash: "Tài khoản đã được xác nhận, bạn đã đăng nhập.")
        } catch let error as EGovError {
            return try await confirmPage(req, login: form.login, error: error, field: "code")
        }
    }

    func resend(req: Request) async throws -> Response {
        let form = try req.form(ResendForm.self)
        do {
            try await ResendConfirmationCode(login: form.login ?? "").run(in: req.useCase)
            return req.redirectAfterPost(to: "/portal/confirm?login=\(PortalPages.queryEncoded(FormText.clean(form.login)))",
                                         flash: "Đã gửi mã xác nhận mới. Mã cũ không còn hiệu lực.")
        } catch let error as EGovError {
            return try await confirmPage(req, login: form.login, error: error, field: "login")
        }
    }

    private func confirmPage(_ req: Request, login: String?, error: EGovError, field: String) async throws -> Response {
        let errors = error.fieldErrors.isEmpty ? [field: error.message] : error.fieldErrors
        let page = PortalConfirmPage(shell: try await req.portalShell("Xác nhận tài khoản"), login: FormText.clean(login), errors: errors)
        return try await req.render("portal-confirm", page, status: error.status)
    }
}
