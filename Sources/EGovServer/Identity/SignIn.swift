import EGovCore
import Fluent
import Vapor

/// Checks a username and password (and the TOTP code when the account has one), counting
/// failures: after `maxFailedSignIns` in a row the account is locked for a while.
struct SignIn {
    enum Outcome: Sendable {
        case signedIn(User)
        /// The password was right; the account wants its TOTP code next.
        case needsSecondFactor(User)
    }

    let username: String
    let password: String
    /// nil on the first step of the web form; the API sends it with the password.
    let totpCode: String?

    static let wrongCredentials = EGovError(status: .unauthorized, code: "invalid_credentials",
                                            message: "Tên đăng nhập hoặc mật khẩu không đúng.")

    func run(in ctx: UseCaseContext) async throws -> Outcome {
        let name = FormText.clean(username).lowercased()
        guard !name.isEmpty, !password.isEmpty else {
            throw EGovError.invalid(["username": "Cần nhập tên đăng nhập và mật khẩu."])
        }
        guard let user = try await User.query(on: ctx.db).filter(\.$username == name).with(\.$agency).with(\.$unit).first() else {
            try await ctx.auditOnly([AuditEvent("sign_in.failed", objectType: "user", details: "unknown username")])
            throw Self.wrongCredentials
        }
        try Self.checkNotLocked(user, now: ctx.now)
        guard try await ctx.services.passwords.verify(password, created: user.passwordHash) else {
            try await Self.recordFailure(user, reason: "wrong password", in: ctx)
            throw Self.wrongCredentials
        }
        guard user.isActive, user.agency.isActive else {
            throw EGovError(status: .forbidden, code: "account_disabled", message: "Tài khoản đã bị vô hiệu hóa. Vui lòng liên hệ quản trị cơ quan.")
        }
        if user.totpEnabled {
            guard let code = totpCode, !code.isEmpty else { return .needsSecondFactor(user) }
            try await Self.verifySecondFactor(user, code: code, in: ctx)
        }
        try await Self.recordSuccess(user, in: ctx)
        return .signedIn(user)
    }

    /// The second step of the web form: the password was already checked.
    static func completeSecondFactor(userID: UUID, code: String, in ctx: UseCaseContext) async throws -> User {
        guard let user = try await User.query(on: ctx.db).filter(\.$id == userID).with(\.$agency).with(\.$unit).first(),
              user.isActive, user.totpEnabled else { throw EGovError.unauthorized("Phiên đăng nhập đã hết hạn, vui lòng đăng nhập lại.") }
        try checkNotLocked(user, now: ctx.now)
        try await verifySecondFactor(user, code: code, in: ctx)
        try await recordSuccess(user, in: ctx)
        return user
    }

    private static func verifySecondFactor(_ user: User, code: String, in ctx: UseCaseContext) async throws {
        guard user.acceptsTOTP(code, at: ctx.now) else {
            try await recordFailure(user, reason: "wrong TOTP code", in: ctx)
            throw EGovError(status: .unauthorized, code: "invalid_totp", message: "Mã xác thực hai lớp không đúng hoặc đã hết hạn.")
        }
    }

    /// A second-factor code asked for outside sign-in (before a signature is made): refused while
    /// the account is locked, and a wrong one counts toward the lock-out as at sign-in, so a
    /// session cannot be used to try codes one after another.
    static func confirmSecondFactor(_ user: User, code: String, in ctx: UseCaseContext) async throws -> Bool {
        try checkNotLocked(user, now: ctx.now)
        guard user.acceptsTOTP(code, at: ctx.now) else {
            try await recordFailure(user, reason: "wrong TOTP code at signing", in: ctx)
            return false
        }
        return true
    }

    private static func checkNotLocked(_ user: User, now: Date) throws {
        try checkNotLocked(until: user.lockedUntil, now: now, advice: " hoặc liên hệ quản trị cơ quan")
    }

    /// The lock-out rule, shared with the portal's applicants.
    static func checkNotLocked(until: Date?, now: Date, advice: String = "") throws {
        if let until, until > now {
            let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
            throw EGovError.tooManyRequests("Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau \(minutes) phút\(advice).")
        }
    }

    /// Counts one more failure; the `maxFailedSignIns`-th in a row locks the account. True when it locked.
    static func countFailure(failures: inout Int, lockedUntil: inout Date?, settings: Settings, now: Date) -> Bool {
        failures += 1
        guard failures >= settings.maxFailedSignIns else { return false }
        lockedUntil = now.addingTimeInterval(settings.signInLockDuration)
        failures = 0
        return true
    }

    private static func recordFailure(_ user: User, reason: String, in ctx: UseCaseContext) async throws {
        let settings = ctx.settings
        let (userID, now) = (user.id!, ctx.now)
        try await ctx.acting(as: Actor(user: user)).audited { db, trail in
            guard let user = try await User.find(userID, on: db) else { return }
            var details = "\(reason), \(user.failedSignIns + 1) in a row"
            if countFailure(failures: &user.failedSignIns, lockedUntil: &user.lockedUntil, settings: settings, now: now) { details += ", locked" }
            try await user.update(on: db)
            trail.record("sign_in.failed", objectType: "user", objectID: userID.uuidString, details: details)
        }
    }

    private static func recordSuccess(_ user: User, in ctx: UseCaseContext) async throws {
        let userID = user.id!
        try await ctx.acting(as: Actor(user: user)).audited { db, trail in
            guard let user = try await User.find(userID, on: db) else { return }
            user.failedSignIns = 0
            user.lockedUntil = nil
            try await user.update(on: db)
            trail.record("sign_in", objectType: "user", objectID: userID.uuidString)
        }
    }
}
