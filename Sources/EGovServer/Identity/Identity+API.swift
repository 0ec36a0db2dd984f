import Fluent
import Vapor

struct UserDTO: Content {
    let id: UUID
    let username: String
    let fullName: String
    let position: String
    let email: String
    let agencyID: UUID
    let unitID: UUID
    let roles: [String]
    let isActive: Bool
    let isLocked: Bool
    let totpEnabled: Bool

    enum CodingKeys: String, CodingKey {
        case id, username, position, email, roles
        case fullName = "full_name", agencyID = "agency_id", unitID = "unit_id", isActive = "is_active"
        case isLocked = "is_locked", totpEnabled = "totp_enabled"
    }

    init(_ user: User, now: Date) {
        id = user.id!
        username = user.username
        fullName = user.fullName
        position = user.position
        email = user.email
        agencyID = user.$agency.id
        unitID = user.$unit.id
        roles = user.roles.sorted().map(\.rawValue)
        isActive = user.isActive
        isLocked = (user.lockedUntil ?? .distantPast) > now
        totpEnabled = user.totpEnabled
    }
}

struct MeDTO: Content {
    let user: UserDTO
    let agencyCode: String
    let agencyName: String
    let unitName: String

    enum CodingKeys: String, CodingKey {
        case user
        case agencyCode = "agency_code", agencyName = "agency_name", unitName = "unit_name"
    }
}

/// `/api/v1/auth/*`: tokens. Open to anonymous callers.
struct AuthAPI: RouteCollection {
    struct TokenRequest: Content {
        var username: String?
        var password: String?
        var totp: String?
    }
    struct RefreshRequest: Content {
        var refreshToken: String?
        enum CodingKeys: String, CodingKey { case refreshToken = "refresh_token" }
    }

    func boot(routes: RoutesBuilder) throws {
        let auth = routes.grouped("auth")
        auth.post("token", use: token)
        auth.post("refresh", use: refresh)
        auth.post("revoke", use: revoke)
    }

    func token(req: Request) async throws -> TokenPair {
        let body = try req.content.decode(TokenRequest.self)
        switch try await SignIn(username: body.username ?? "", password: body.password ?? "", totpCode: body.totp).run(in: req.useCase) {
        case .signedIn(let user):
            return try await TokenIssuer.issue(for: user, in: req.useCase)
        case .needsSecondFactor:
            throw EGovError(status: .unauthorized, code: "totp_required", message: "Tài khoản này bật xác thực hai lớp: gửi kèm mã trong trường \"totp\".")
        }
    }

    func refresh(req: Request) async throws -> TokenPair {
        let body = try req.content.decode(RefreshRequest.self)
        guard let token = body.refreshToken, !token.isEmpty else {
            throw EGovError.invalid(["refresh_token": "Cần gửi mã làm mới (refresh_token)."])
        }
        return try await TokenIssuer.refresh(token, in: req.useCase)
    }

    func revoke(req: Request) async throws -> HTTPStatus {
        let body = try req.content.decode(RefreshRequest.self)
        guard let token = body.refreshToken, !token.isEmpty else {
            throw EGovError.invalid(["refresh_token": "Cần gửi mã làm mới (refresh_token)."])
        }
        try await TokenIssuer.revoke(token, in: req.useCase)
        return .noContent
    }
}

/// `/api/v1/me` and `/api/v1/users`.
struct UserAPI: RouteCollection {
    struct PasswordChange: Content {
        var currentPassword: String?
        var newPassword: String?
        enum CodingKeys: String, CodingKey { case currentPassword = "current_password", newPassword = "new_password" }
    }
    struct PasswordReset: Content { var password: String? }
    struct Code: Content { var code: String? }
    struct PasswordOnly: Content { var password: String? }
    struct TOTPSecret: Content {
        let secret: String
        let otpauthURI: String
        enum CodingKeys: String, CodingKey { case secret, otpauthURI = "otpauth_uri" }
    }

    func boot(routes: RoutesBuilder) throws {
        let me = routes.grouped("me")
        me.get(use: showMe)
        me.post("password", use: changePassword)
        me.post("totp", use: startTOTP)
        me.post("totp", "confirm", use: confirmTOTP)
        me.post("totp", "disable", use: disableTOTP)
        let users = routes.grouped("users")
        users.get(use: list)
        users.post(use: create)
        users.get(":userID", use: show)
        users.patch(":userID", use: update)
        users.post(":userID", "reset-password", use: resetPassword)
        users.post(":userID", "deactivate", use: deactivate)
        users.post(":userID", "activate", use: activate)
    }

    func showMe(req: Request) async throws -> MeDTO {
        let actor = try req.actor
        guard let user = try await User.find(actor.userID, on: req.db) else { throw EGovError.unauthorized() }
        return MeDTO(user: UserDTO(user, now: req.now), agencyCode: actor.agencyCode, agencyName: actor.agencyName, unitName: actor.unitName)
    }

    func changePassword(req: Request) async throws -> HTTPStatus {
        let body = try req.content.decode(PasswordChange.self)
        try await ChangeOwnPassword(actor: try req.actor, currentPassword: body.currentPassword ?? "", newPassword: body.newPassword ?? "").run(in: req.useCase)
        return .noContent
    }

    func startTOTP(req: Request) async throws -> TOTPSecret {
        let actor = try req.actor
        let secret = try await StartTOTPEnrolment(actor: actor).run(in: req.useCase)
        let label = "EGov:\(actor.username)".addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? actor.username
        return TOTPSecret(secret: secret, otpauthURI: "otpauth://totp/\(label)?secret=\(secret)&issuer=EGov&digits=6&period=30")
    }

    func confirmTOTP(req: Request) async throws -> HTTPStatus {
        try await ConfirmTOTP(actor: try req.actor, code: try req.content.decode(Code.self).code ?? "").run(in: req.useCase)
        return .noContent
    }

    func disableTOTP(req: Request) async throws -> HTTPStatus {
        try await DisableTOTP(actor: try req.actor, password: try req.content.decode(PasswordOnly.self).password ?? "").run(in: req.useCase)
        return .noContent
    }

    func list(req: Request) async throws -> [UserDTO] {
        let actor = try req.actor
        guard actor.isAdmin else { throw EGovError.forbidden("Chỉ quản trị được xem danh sách tài khoản.") }
        let agencyID = req.query[UUID.self, at: "agency_id"] ?? actor.agencyID
        guard UserPermissions.canView(userInAgency: agencyID, actor: actor) else { throw EGovError.notFound("Không tìm thấy cơ quan.") }
        return try await UserQueries.list(agencyID: agencyID, query: FormText.clean(req.query[String.self, at: "q"]), actor: actor, on: req.db)
            .map { UserDTO($0, now: req.now) }
    }

    func create(req: Request) async throws -> Response {
        let input = try req.content.decode(UserInput.self)
        let user = try await CreateUser(actor: try req.actor, input: try input.validate(creating: true)).run(in: req.useCase)
        return try await UserDTO(user, now: req.now).encodeResponse(status: .created, for: req)
    }

    func show(req: Request) async throws -> UserDTO {
        UserDTO(try await User.find(try req.uuidParameter("userID"), scopedTo: try req.actor, on: req.db), now: req.now)
    }

    /// Partial update: fields left out keep their value.
    func update(req: Request) async throws -> UserDTO {
        let actor = try req.actor
        let user = try await User.find(try req.uuidParameter("userID"), scopedTo: actor, on: req.db)
        let patch = try req.content.decode(UserInput.self)
        if let username = patch.username, username.lowercased() != user.username {
            throw EGovError.invalid(["username": "Không thể đổi tên đăng nhập."])
        }
        let merged = UserInput(username: nil, fullName: patch.fullName ?? user.fullName, position: patch.position ?? user.position,
                               email: patch.email ?? user.email, agencyID: nil, unitID: patch.unitID ?? user.$unit.id,
                               roles: patch.roles ?? user.roles.map(\.rawValue), password: patch.password, isActive: nil)
        return UserDTO(try await UpdateUser(actor: actor, userID: user.id!, input: try merged.validate(creating: false)).run(in: req.useCase), now: req.now)
    }

    func resetPassword(req: Request) async throws -> HTTPStatus {
        let body = try req.content.decode(PasswordReset.self)
        try await ResetUserPassword(actor: try req.actor, userID: try req.uuidParameter("userID"), newPassword: body.password ?? "").run(in: req.useCase)
        return .noContent
    }

    func deactivate(req: Request) async throws -> UserDTO {
        UserDTO(try await SetUserActive(actor: try req.actor, userID: try req.uuidParameter("userID"), active: false).run(in: req.useCase), now: req.now)
    }

    func activate(req: Request) async throws -> UserDTO {
        UserDTO(try await SetUserActive(actor: try req.actor, userID: try req.uuidParameter("userID"), active: true).run(in: req.useCase), now: req.now)
    }
}
