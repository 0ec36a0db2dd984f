import Vapor

/// `/portal/account`: the applicant's profile and password.
struct PortalAccountPages: RouteCollection {
    struct PasswordForm: Content {
        var currentPassword: String?
        var newPassword: String?
        var newPasswordConfirm: String?
        enum CodingKeys: String, CodingKey {
            case currentPassword = "current_password", newPassword = "new_password", newPasswordConfirm = "new_password_confirm"
        }
    }

    func boot(routes: RoutesBuilder) throws {
        routes.get("account", use: show)
        routes.post("account", use: update)
        routes.post("account", "password", use: changePassword)
        routes.post("account", "contact", use: confirmContact)
        routes.post("account", "contact", "cancel", use: cancelContact)
    }

    private func page(_ req: Request, values: ProfileValues? = nil, errors: [String: String] = [:], status: HTTPResponseStatus = .ok) async throws -> Response {
        guard let applicant = try await Applicant.find(try req.applicant.id, on: req.db) else { throw EGovError.unauthorized() }
        let page = PortalAccountPage(shell: try await req.portalShell("Tài khoản của tôi"), isBusiness: applicant.applicantKind == .business,
                                     values: values ?? ProfileValues(applicant), linkedToEID: applicant.externalSubject != nil,
                                     pendingContact: applicant.pendingContact, errors: errors)
        return try await req.render("portal-account", page, status: status)
    }

    func show(req: Request) async throws -> Response { try await page(req) }

    func update(req: Request) async throws -> Response {
        let form = try req.form(ProfileInput.self)
        let outcome: UpdateApplicantProfile.Outcome
        do {
            outcome = try await UpdateApplicantProfile(applicant: try req.applicant, input: form).run(in: req.useCase)
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "email") else { throw error }
            let values = ProfileValues(fullName: form.fullName ?? "", email: form.email ?? "", phone: form.phone ?? "",
                                       identityNumber: form.identityNumber ?? "", address: form.address ?? "")
            return try await page(req, values: values, errors: errors, status: error.status)
        }
        if let contact = outcome.codeSentTo {
            return req.redirectAfterPost(to: "/portal/account", flash: "Đã lưu. Mã xác nhận đã gửi tới \(contact): nhập mã để dùng thông tin liên hệ mới.")
        }
        return req.redirectAfterPost(to: "/portal/account", flash: "Đã lưu thông tin tài khoản.")
    }

    struct CodeForm: Content { var code: String? }

    func confirmContact(req: Request) async throws -> Response {
        let form = try req.form(CodeForm.self)
        do {
            let outcome = try await ConfirmContactChange(applicant: try req.applicant, code: form.code ?? "").run(in: req.useCase)
            return req.redirectAfterPost(to: "/portal/account", flash: "Đã xác nhận. Từ nay bạn đăng nhập bằng \(outcome.confirmed).")
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "code") else { throw error }
            return try await page(req, errors: errors, status: error.status)
        }
    }

    func cancelContact(req: Request) async throws -> Response {
        _ = try await CancelContactChange(applicant: try req.applicant).run(in: req.useCase)
        return req.redirectAfterPost(to: "/portal/account", flash: "Đã hủy thay đổi thông tin liên hệ.")
    }

    func changePassword(req: Request) async throws -> Response {
        let form = try req.form(PasswordForm.self)
        guard form.newPassword == form.newPasswordConfirm else {
            return try await page(req, errors: ["new_password_confirm": "Mật khẩu nhập lại không khớp."], status: .unprocessableEntity)
        }
        let applicant: Applicant
        do {
            applicant = try await ChangeApplicantPassword(applicant: try req.applicant, currentPassword: form.currentPassword ?? "",
                                                          newPassword: form.newPassword ?? "").run(in: req.useCase)
        } catch let error as EGovError {
            guard let errors = error.formErrors(conflictField: "new_password") else { throw error }
            return try await page(req, errors: errors, status: error.status)
        }
        // The change ended every other session and token; this one goes on.
        try await ApplicantSession.signIn(applicant, on: req)
        return req.redirectAfterPost(to: "/portal/account", flash: "Đã đổi mật khẩu.")
    }
}

/// `/portal/notifications`: newest first; opening the page marks them read.
struct PortalNotificationPages: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("notifications", use: list)
    }

    func list(req: Request) async throws -> Response {
        let applicant = try req.applicant
        let rows = try await ApplicantNotificationQueries.list(for: applicant, on: req.db).map(NotificationRow.init)
        try await ApplicantNotificationQueries.markAllRead(for: applicant, now: req.now, on: req.db)
        return try await req.render("portal-notifications", PortalNotificationsPage(shell: try await req.portalShell("Thông báo"), notifications: rows))
    }
}
