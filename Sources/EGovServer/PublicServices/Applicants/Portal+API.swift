import Fluent
import Vapor

struct ApplicantDTO: Content {
    let id: UUID
    let kind: String
    let fullName: String
    let email: String?
    let phone: String?
    let identityNumber: String?
    let address: String?
    let confirmed: Bool
    /// A new e-mail or phone waiting for the code sent to it.
    let pendingContact: String?

    enum CodingKeys: String, CodingKey {
        case id, kind, email, phone, address, confirmed
        case fullName = "full_name", identityNumber = "identity_number", pendingContact = "pending_contact"
    }

    init(_ applicant: Applicant) {
        id = applicant.id!
        kind = applicant.kind
        fullName = applicant.fullName
        email = applicant.email
        phone = applicant.phone
        identityNumber = applicant.identityNumber
        address = applicant.address
        confirmed = applicant.confirmedAt != nil
        pendingContact = applicant.pendingContact
    }
}

struct ApplicantNotificationDTO: Content {
    let id: UUID
    let title: String
    let body: String
    let link: String?
    let createdAt: Date
    let readAt: Date?

    enum CodingKeys: String, CodingKey { case id, title, body, link, createdAt = "created_at", readAt = "read_at" }

    init(_ notification: ApplicantNotification) {
        id = notification.id!
        title = notification.title
        body = notification.body
        link = notification.link
        createdAt = notification.createdAt
        readAt = notification.readAt
    }
}

/// `/api/v1/portal/*`: applicant accounts for apps. Registration, confirmation and tokens are
/// open; the rest needs an applicant's token (a civil servant's is refused).
struct PortalAPI: RouteCollection {
    struct ConfirmRequest: Content { var login: String?; var code: String? }
    struct LoginOnly: Content { var login: String? }
    struct TokenRequest: Content { var login: String?; var password: String? }
    struct PasswordChange: Content {
        var currentPassword: String?
        var newPassword: String?
        enum CodingKeys: String, CodingKey { case currentPassword = "current_password", newPassword = "new_password" }
    }

    func boot(routes: RoutesBuilder) throws {
        routes.post("register", use: register)
        routes.post("confirm", use: confirm)
        routes.post("confirm", "resend", use: resend)
        routes.post("auth", "token", use: token)
        let signedIn = routes.grouped(RequireApplicantMiddleware())
        signedIn.get("me", use: me)
        signedIn.patch("me", use: updateMe)
        signedIn.post("me", "password", use: changePassword)
        signedIn.post("me", "contact", "confirm", use: confirmContact)
        signedIn.post("me", "contact", "cancel", use: cancelContact)
        signedIn.get("notifications", use: notifications)
    }

    func register(req: Request) async throws -> Response {
        let input = try req.content.decode(RegistrationInput.self).validate()
        let applicant = try await RegisterApplicant(input: input).run(in: req.useCase)
        return try await ApplicantDTO(applicant).encodeResponse(status: .created, for: req)
    }

    func confirm(req: Request) async throws -> ApplicantDTO {
        let body = try req.content.decode(ConfirmRequest.self)
        return ApplicantDTO(try await ConfirmApplicant(login: body.login ?? "", code: body.code ?? "").run(in: req.useCase))
    }

    func resend(req: Request) async throws -> HTTPStatus {
        try await ResendConfirmationCode(login: try req.content.decode(LoginOnly.self).login ?? "").run(in: req.useCase)
        return .accepted
    }

    func token(req: Request) async throws -> ApplicantToken.Response {
        let body = try req.content.decode(TokenRequest.self)
        let applicant = try await ApplicantSignIn(login: body.login ?? "", password: body.password ?? "").run(in: req.useCase)
        return try await ApplicantToken.issue(for: applicant, on: req)
    }

    func me(req: Request) async throws -> ApplicantDTO {
        guard let applicant = try await Applicant.find(try req.applicant.id, on: req.db) else { throw EGovError.unauthorized() }
        return ApplicantDTO(applicant)
    }

    func updateMe(req: Request) async throws -> ApplicantDTO {
        let input = try req.content.decode(ProfileInput.self)
        return ApplicantDTO(try await UpdateApplicantProfile(applicant: try req.applicant, input: input).run(in: req.useCase).applicant)
    }

    /// The code sent to a new e-mail or phone: it becomes the sign-in.
    func confirmContact(req: Request) async throws -> ApplicantDTO {
        let body = try req.content.decode(ConfirmRequest.self)
        return ApplicantDTO(try await ConfirmContactChange(applicant: try req.applicant, code: body.code ?? "").run(in: req.useCase).applicant)
    }

    func cancelContact(req: Request) async throws -> ApplicantDTO {
        ApplicantDTO(try await CancelContactChange(applicant: try req.applicant).run(in: req.useCase))
    }

    func changePassword(req: Request) async throws -> HTTPStatus {
        let body = try req.content.decode(PasswordChange.self)
        _ = try await ChangeApplicantPassword(applicant: try req.applicant, currentPassword: body.currentPassword ?? "",
                                              newPassword: body.newPassword ?? "").run(in: req.useCase)
        return .noContent
    }

    /// Newest first; reading them here does not mark them read (the portal page does).
    func notifications(req: Request) async throws -> [ApplicantNotificationDTO] {
        try await ApplicantNotificationQueries.list(for: try req.applicant, on: req.db).map(ApplicantNotificationDTO.init)
    }
}
