import EGovCore
import Fluent
import Vapor

/// Creates a civil-servant account in an agency.
struct CreateUser {
    let actor: Actor
    let input: UserInput.Valid

    func run(in ctx: UseCaseContext) async throws -> User {
        let (actor, input) = (self.actor, self.input)
        // Agency admins create users in their own agency; the unit decides the agency.
        guard UserPermissions.canGrant(input.roles, actor: actor) else {
            throw EGovError.forbidden("Chỉ quản trị hệ thống được cấp vai trò quản trị hệ thống.")
        }
        let hash = try await ctx.services.passwords.hash(input.password ?? "")
        return try await ctx.audited { db, trail in
            guard let unit = try await AgencyUnit.find(input.unitID, on: db),
                  UserPermissions.canView(userInAgency: unit.$agency.id, actor: actor) else {
                throw EGovError.invalid(["unit_id": "Phòng, ban đã chọn không tồn tại."])
            }
            if let agencyID = input.agencyID, agencyID != unit.$agency.id {
                throw EGovError.invalid(["unit_id": "Phòng, ban đã chọn không thuộc cơ quan này."])
            }
            guard UserPermissions.canManage(userInAgency: unit.$agency.id, actor: actor) else {
                throw EGovError.forbidden("Chỉ quản trị cơ quan được tạo tài khoản.")
            }
            if try await User.query(on: db).filter(\.$username == input.username).first() != nil {
                throw EGovError.conflict("Tên đăng nhập \(input.username) đã có người dùng.", code: "username_taken")
            }
            let user = User(agencyID: unit.$agency.id, unitID: unit.id!, username: input.username, fullName: input.fullName,
                            position: input.position, email: input.email, roles: input.roles, passwordHash: hash)
            try await user.create(on: db)
            trail.record("user.create", objectType: "user", objectID: user.id?.uuidString,
                         details: "\(user.username) [\(user.storedRoles)]")
            return user
        }
    }
}

/// Changes a user's name, unit, roles (and optionally sets a new password).
struct UpdateUser {
    let actor: Actor
    let userID: UUID
    let input: UserInput.Valid

    func run(in ctx: UseCaseContext) async throws -> User {
        let (actor, userID, input) = (self.actor, self.userID, self.input)
        let newHash = try await input.password.asyncMap { try await ctx.services.passwords.hash($0) }
        return try await ctx.audited { db, trail in
            let user = try await User.find(userID, scopedTo: actor, on: db)
            guard UserPermissions.canManage(userInAgency: user.$agency.id, actor: actor) else {
                throw EGovError.forbidden("Chỉ quản trị cơ quan được sửa tài khoản.")
            }
            guard UserPermissions.canGrant(input.roles, actor: actor),
                  actor.isSystemAdmin || !user.roles.contains(.systemAdmin) else {
                throw EGovError.forbidden("Chỉ quản trị hệ thống được thay đổi vai trò quản trị hệ thống.")
            }
            guard let unit = try await AgencyUnit.find(input.unitID, on: db), unit.$agency.id == user.$agency.id else {
                throw EGovError.invalid(["unit_id": "Phòng, ban đã chọn không thuộc cơ quan của cán bộ."])
            }
            user.fullName = input.fullName
            user.position = input.position
            user.email = input.email
            user.$unit.id = unit.id!
            user.roles = input.roles
            if let newHash {
                user.passwordHash = newHash
                user.credentialVersion += 1
            }
            try await user.update(on: db)
            trail.record("user.update", objectType: "user", objectID: user.id?.uuidString,
                         details: "\(user.username) [\(user.storedRoles)]\(newHash == nil ? "" : " password")")
            return user
        }
    }
}

/// An admin sets a new password for someone who forgot theirs; it also lifts a lock-out.
struct ResetUserPassword {
    let actor: Actor
    let userID: UUID
    let newPassword: String

    func run(in ctx: UseCaseContext) async throws {
        if let problem = PasswordPolicy.problem(with: newPassword) { throw EGovError.invalid(["password": problem]) }
        let (actor, userID) = (self.actor, self.userID)
        let hash = try await ctx.services.passwords.hash(newPassword)
        try await ctx.audited { db, trail in
            let user = try await User.find(userID, scopedTo: actor, on: db)
            guard UserPermissions.canAdminister(user, actor: actor) else {
                throw EGovError.forbidden("Bạn không có quyền đặt lại mật khẩu cho tài khoản này.")
            }
            user.passwordHash = hash
            user.failedSignIns = 0
            user.lockedUntil = nil
            user.credentialVersion += 1
            try await user.update(on: db)
            try await RefreshToken.query(on: db).filter(\.$user.$id == userID).delete()
            trail.record("user.reset_password", objectType: "user", objectID: userID.uuidString, details: user.username)
        }
    }
}

/// Deactivates (or re-activates) an account; a deactivated account cannot sign in and its sessions end.
struct SetUserActive {
    let actor: Actor
    let userID: UUID
    let active: Bool

    func run(in ctx: UseCaseContext) async throws -> User {
        let (actor, userID, active) = (self.actor, self.userID, self.active)
        if userID == actor.userID, !active { throw EGovError.conflict("Bạn không thể tự vô hiệu hóa tài khoản của mình.") }
        return try await ctx.audited { db, trail in
            let user = try await User.find(userID, scopedTo: actor, on: db)
            guard UserPermissions.canAdminister(user, actor: actor) else {
                throw EGovError.forbidden("Bạn không có quyền thay đổi trạng thái tài khoản này.")
            }
            user.isActive = active
            user.credentialVersion += 1
            try await user.update(on: db)
            if !active { try await RefreshToken.query(on: db).filter(\.$user.$id == userID).delete() }
            trail.record(active ? "user.activate" : "user.deactivate", objectType: "user", objectID: userID.uuidString, details: user.username)
            return user
        }
    }
}

/// A user changes their own password, proving the current one.
struct ChangeOwnPassword {
    let actor: Actor
    let currentPassword: String
    let newPassword: String

    func run(in ctx: UseCaseContext) async throws {
        guard let user = try await User.find(actor.userID, on: ctx.db) else { throw EGovError.unauthorized() }
        guard try await ctx.services.passwords.verify(currentPassword, created: user.passwordHash) else {
            throw EGovError.invalid(["current_password": "Mật khẩu hiện tại không đúng."])
        }
        if let problem = PasswordPolicy.problem(with: newPassword) { throw EGovError.invalid(["new_password": problem]) }
        if newPassword == currentPassword { throw EGovError.invalid(["new_password": "Mật khẩu mới phải khác mật khẩu hiện tại."]) }
        let hash = try await ctx.services.passwords.hash(newPassword)
        let userID = actor.userID
        try await ctx.audited { db, trail in
            guard let user = try await User.find(userID, on: db) else { throw EGovError.unauthorized() }
            user.passwordHash = hash
            user.credentialVersion += 1
            try await user.update(on: db)
            try await RefreshToken.query(on: db).filter(\.$user.$id == userID).delete()
            trail.record("user.change_password", objectType: "user", objectID: userID.uuidString, details: user.username)
        }
    }
}

/// Starts TOTP enrolment: a new secret, shown once, not active until a code from it is confirmed.
struct StartTOTPEnrolment {
    let actor: Actor

    func run(in ctx: UseCaseContext) async throws -> String {
        let userID = actor.userID
        return try await ctx.audited { db, trail in
            guard let user = try await User.find(userID, on: db) else { throw EGovError.unauthorized() }
            if user.totpEnabled { throw EGovError.conflict("Xác thực hai lớp đã được bật. Hãy tắt trước khi đăng ký lại.", code: "totp_already_enabled") }
            let secret = Base32.encode(TOTP.generateSecret())
            user.totpSecret = secret
            try await user.update(on: db)
            trail.record("user.totp_enrol_start", objectType: "user", objectID: userID.uuidString)
            return secret
        }
    }
}

/// Confirms enrolment with a code from the authenticator app, turning the second factor on.
struct ConfirmTOTP {
    let actor: Actor
    let code: String

    func run(in ctx: UseCaseContext) async throws {
        let (userID, code, now) = (actor.userID, self.code, ctx.now)
        try await ctx.audited { db, trail in
            guard let user = try await User.find(userID, on: db) else { throw EGovError.unauthorized() }
            guard !user.totpEnabled, let secret = user.totpSecret, Base32.decode(secret) != nil else {
                throw EGovError.conflict("Chưa bắt đầu đăng ký xác thực hai lớp.", code: "totp_not_started")
            }
            guard user.acceptsTOTP(code, at: now) else {
                throw EGovError.invalid(["code": "Mã xác thực không đúng hoặc đã hết hạn."])
            }
            user.totpEnabled = true
            try await user.update(on: db)
            trail.record("user.totp_enable", objectType: "user", objectID: userID.uuidString)
        }
    }
}

/// Turns the second factor off; needs the current password.
struct DisableTOTP {
    let actor: Actor
    let password: String

    func run(in ctx: UseCaseContext) async throws {
        guard let user = try await User.find(actor.userID, on: ctx.db) else { throw EGovError.unauthorized() }
        guard try await ctx.services.passwords.verify(password, created: user.passwordHash) else {
            throw EGovError.invalid(["password": "Mật khẩu không đúng."])
        }
        let userID = actor.userID
        try await ctx.audited { db, trail in
            guard let user = try await User.find(userID, on: db) else { throw EGovError.unauthorized() }
            user.totpEnabled = false
            user.totpSecret = nil
            try await user.update(on: db)
            trail.record("user.totp_disable", objectType: "user", objectID: userID.uuidString)
        }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
