import EGovCore
import Fluent
import Vapor

/// Creates an unconfirmed citizen or business account and sends its confirmation code.
struct RegisterApplicant {
    let input: RegistrationInput.Valid

    func run(on req: Request) async throws -> Applicant {
        let input = self.input
        let hash = try await req.password.async.hash(input.password)
        let code = ConfirmationCodeRule.generate()
        let now = req.now
        let applicant = try await req.audited(context: AuditContext(actor: nil, requestID: req.id)) { db, trail in
            try await ApplicantUniqueness.check(email: input.contact.email, phone: input.contact.phone, except: nil, on: db)
            let applicant = Applicant(kind: input.kind, fullName: input.contact.fullName, email: input.contact.email,
                                      phone: input.contact.phone, identityNumber: input.contact.identityNumber, passwordHash: hash)
            applicant.id = UUID()
            ConfirmationCode.issue(code, to: applicant, now: now)
            try await ApplicantUniqueness.saving { try await applicant.create(on: db) }
            trail.record("applicant.register", objectType: "applicant", objectID: applicant.id!.uuidString,
                         details: "\(input.kind.rawValue) \(applicant.login)")
            return applicant
        }
        await ConfirmationCode.send(code, to: applicant, on: req)
        return applicant
    }
}

/// The confirmation code: only its hash is kept, it lasts 30 minutes and survives 5 wrong tries.
enum ConfirmationCode {
    static func hash(_ code: String, applicantID: UUID) -> String {
        TokenIssuer.hash("\(applicantID.uuidString):\(code)")
    }

    static func issue(_ code: String, to applicant: Applicant, now: Date) {
        applicant.confirmationCodeHash = hash(code, applicantID: applicant.id!)
        applicant.confirmationExpiresAt = now.addingTimeInterval(ConfirmationCodeRule.lifetimeSeconds)
        applicant.confirmationAttempts = 0
        applicant.confirmationSentAt = now
    }

    static func send(_ code: String, to applicant: Applicant, on req: Request) async {
        let minutes = Int(ConfirmationCodeRule.lifetimeSeconds / 60)
        await ApplicantMessenger.deliver(
            to: applicant, subject: "Mã xác nhận tài khoản Cổng dịch vụ công",
            body: "Mã xác nhận của bạn là \(code). Mã có hiệu lực trong \(minutes) phút. Không chia sẻ mã này cho bất kỳ ai.",
            on: req.application, logger: req.logger)
    }

    static func notFound() -> EGovError {
        EGovError.invalid(["login": "Không tìm thấy tài khoản đăng ký với thư điện tử hoặc số điện thoại này."])
    }

    static func alreadyConfirmed() -> EGovError {
        EGovError.conflict("Tài khoản đã được xác nhận. Bạn có thể đăng nhập.", code: "already_confirmed")
    }
}

/// Finds an applicant by the e-mail or phone they sign in with.
enum ApplicantLookup {
    static func byLogin(_ raw: String?, on db: Database) async throws -> Applicant? {
        let login = ApplicantContact.normaliseLogin(raw)
        guard !login.isEmpty else { return nil }
        let field = login.contains("@") ? \Applicant.$email : \Applicant.$phone
        return try await Applicant.query(on: db).filter(field == login).first()
    }
}

/// One account per e-mail and per phone: checked first for a clear message, and the unique
/// index still refuses a race.
enum ApplicantUniqueness {
    static func emailTaken() -> EGovError {
        let message = "Thư điện tử này đã được dùng cho một tài khoản khác."
        return EGovError(status: .conflict, code: "email_taken", message: message, fieldErrors: ["email": message])
    }
    static func phoneTaken() -> EGovError {
        let message = "Số điện thoại này đã được dùng cho một tài khoản khác."
        return EGovError(status: .conflict, code: "phone_taken", message: message, fieldErrors: ["phone": message])
    }

    static func check(email: String?, phone: String?, except id: UUID?, on db: Database) async throws {
        if let email, let other = try await Applicant.query(on: db).filter(\.$email == email).first(), other.id != id { throw emailTaken() }
        if let phone, let other = try await Applicant.query(on: db).filter(\.$phone == phone).first(), other.id != id { throw phoneTaken() }
    }

    static func saving(_ body: () async throws -> Void) async throws {
        do { try await body() } catch let error as any DatabaseError where error.isConstraintFailure {
            throw EGovError.conflict("Thư điện tử hoặc số điện thoại đã được dùng cho một tài khoản khác.", code: "contact_taken")
        }
    }
}

/// Confirms a new account with its code; wrong codes count towards the limit.
struct ConfirmApplicant {
    let login: String
    let code: String

    private enum Outcome: Sendable { case confirmed, wrong(remaining: Int), void, expired }

    func run(on req: Request) async throws -> Applicant {
        let code = self.code.filter { !$0.isWhitespace }
        guard !FormText.clean(login).isEmpty else { throw EGovError.invalid(["login": "Cần nhập thư điện tử hoặc số điện thoại đã đăng ký."]) }
        guard !code.isEmpty else { throw EGovError.invalid(["code": "Cần nhập mã xác nhận."]) }
        guard let found = try await ApplicantLookup.byLogin(login, on: req.db) else { throw ConfirmationCode.notFound() }
        guard found.confirmedAt == nil else { throw ConfirmationCode.alreadyConfirmed() }
        let (id, now) = (found.id!, req.now)
        let outcome = try await req.audited(context: AuditContext(applicantID: id, login: found.login, requestID: req.id)) { db, trail -> Outcome in
            guard let applicant = try await Applicant.find(id, on: db), let stored = applicant.confirmationCodeHash else { return .void }
            guard let expires = applicant.confirmationExpiresAt, expires > now else { return .expired }
            guard ConfirmationCode.hash(code, applicantID: id) == stored else {
                applicant.confirmationAttempts += 1
                let remaining = ConfirmationCodeRule.maximumAttempts - applicant.confirmationAttempts
                if remaining <= 0 { applicant.confirmationCodeHash = nil }
                try await applicant.update(on: db)
                trail.record("applicant.confirm_failed", objectType: "applicant", objectID: id.uuidString,
                             details: "attempt \(applicant.confirmationAttempts)\(remaining <= 0 ? ", code void" : "")")
                return remaining <= 0 ? .void : .wrong(remaining: remaining)
            }
            applicant.confirmedAt = now
            applicant.confirmationCodeHash = nil
            applicant.confirmationExpiresAt = nil
            try await applicant.update(on: db)
            trail.record("applicant.confirm", objectType: "applicant", objectID: id.uuidString)
            return .confirmed
        }
        switch outcome {
        case .confirmed:
            guard let applicant = try await Applicant.find(id, on: req.db) else { throw ConfirmationCode.notFound() }
            return applicant
        case .wrong(let remaining):
            throw EGovError.invalid(["code": "Mã xác nhận không đúng. Bạn còn \(remaining) lần thử."])
        case .void:
            throw EGovError.invalid(["code": "Mã xác nhận đã bị hủy do nhập sai quá \(ConfirmationCodeRule.maximumAttempts) lần hoặc đã được dùng. Vui lòng yêu cầu gửi mã mới."])
        case .expired:
            throw EGovError.invalid(["code": "Mã xác nhận đã hết hạn. Vui lòng yêu cầu gửi mã mới."])
        }
    }
}

/// Sends a new confirmation code (the old one stops working); at most one a minute.
struct ResendConfirmationCode {
    let login: String

    func run(on req: Request) async throws {
        guard !FormText.clean(login).isEmpty else { throw EGovError.invalid(["login": "Cần nhập thư điện tử hoặc số điện thoại đã đăng ký."]) }
        guard let found = try await ApplicantLookup.byLogin(login, on: req.db) else { throw ConfirmationCode.notFound() }
        guard found.confirmedAt == nil else { throw ConfirmationCode.alreadyConfirmed() }
        let (id, now, code) = (found.id!, req.now, ConfirmationCodeRule.generate())
        if let sent = found.confirmationSentAt, now.timeIntervalSince(sent) < ConfirmationCodeRule.resendIntervalSeconds {
            let wait = Int((ConfirmationCodeRule.resendIntervalSeconds - now.timeIntervalSince(sent)).rounded(.up))
            throw EGovError.tooManyRequests("Mã xác nhận vừa được gửi. Vui lòng chờ \(wait) giây trước khi yêu cầu mã mới.")
        }
        let applicant = try await req.audited(context: AuditContext(applicantID: id, login: found.login, requestID: req.id)) { db, trail in
            guard let applicant = try await Applicant.find(id, on: db) else { throw ConfirmationCode.notFound() }
            ConfirmationCode.issue(code, to: applicant, now: now)
            try await applicant.update(on: db)
            trail.record("applicant.confirm_resend", objectType: "applicant", objectID: id.uuidString)
            return applicant
        }
        await ConfirmationCode.send(code, to: applicant, on: req)
    }
}

/// Checks an applicant's e-mail or phone and password, with the civil servants' lock-out rule.
struct ApplicantSignIn {
    let login: String
    let password: String

    static let wrongCredentials = EGovError(status: .unauthorized, code: "invalid_credentials",
                                            message: "Thư điện tử, số điện thoại hoặc mật khẩu không đúng.")

    func run(on req: Request) async throws -> Applicant {
        guard !FormText.clean(login).isEmpty, !password.isEmpty else {
            throw EGovError.invalid(["login": "Cần nhập thư điện tử hoặc số điện thoại và mật khẩu."])
        }
        guard let applicant = try await ApplicantLookup.byLogin(login, on: req.db) else {
            try await req.auditOnly([AuditEvent("applicant.sign_in_failed", objectType: "applicant", details: "unknown login")],
                                    context: AuditContext(actor: nil, requestID: req.id))
            throw Self.wrongCredentials
        }
        let settings = req.application.settings
        let (id, now, context) = (applicant.id!, req.now, AuditContext(applicantID: applicant.id!, login: applicant.login, requestID: req.id))
        try SignIn.checkNotLocked(until: applicant.lockedUntil, now: now)
        guard try await req.password.async.verify(password, created: applicant.passwordHash) else {
            try await req.audited(context: context) { db, trail in
                guard let applicant = try await Applicant.find(id, on: db) else { return }
                var details = "wrong password, \(applicant.failedSignIns + 1) in a row"
                if SignIn.countFailure(failures: &applicant.failedSignIns, lockedUntil: &applicant.lockedUntil, settings: settings, now: now) {
                    details += ", locked"
                }
                try await applicant.update(on: db)
                trail.record("applicant.sign_in_failed", objectType: "applicant", objectID: id.uuidString, details: details)
            }
            throw Self.wrongCredentials
        }
        guard applicant.isActive else {
            throw EGovError(status: .forbidden, code: "account_disabled", message: "Tài khoản đã bị khóa. Vui lòng liên hệ bộ phận một cửa để được hỗ trợ.")
        }
        guard applicant.confirmedAt != nil else {
            throw EGovError(status: .forbidden, code: "account_unconfirmed",
                            message: "Tài khoản chưa được xác nhận. Vui lòng nhập mã xác nhận đã gửi tới thư điện tử hoặc điện thoại của bạn.")
        }
        return try await req.audited(context: context) { db, trail in
            guard let applicant = try await Applicant.find(id, on: db) else { throw Self.wrongCredentials }
            applicant.failedSignIns = 0
            applicant.lockedUntil = nil
            try await applicant.update(on: db)
            trail.record("applicant.sign_in", objectType: "applicant", objectID: id.uuidString)
            return applicant
        }
    }
}

/// An applicant edits their own name, contacts, identity number and address.
struct UpdateApplicantProfile {
    let applicant: PortalApplicant
    let input: ProfileInput

    func run(on req: Request) async throws -> Applicant {
        let (id, input) = (applicant.id, self.input)
        return try await req.audited(context: req.applicantAuditContext) { db, trail in
            guard let applicant = try await Applicant.find(id, on: db) else { throw EGovError.unauthorized() }
            let valid = try input.validate(kind: applicant.applicantKind, current: applicant)
            try await ApplicantUniqueness.check(email: valid.contact.email, phone: valid.contact.phone, except: id, on: db)
            applicant.fullName = valid.contact.fullName
            applicant.email = valid.contact.email
            applicant.phone = valid.contact.phone
            applicant.identityNumber = valid.contact.identityNumber
            applicant.address = valid.address
            try await ApplicantUniqueness.saving { try await applicant.update(on: db) }
            trail.record("applicant.update_profile", objectType: "applicant", objectID: id.uuidString, details: applicant.login)
            return applicant
        }
    }
}

/// An applicant changes their password, proving the current one; other sessions and tokens end.
struct ChangeApplicantPassword {
    let applicant: PortalApplicant
    let currentPassword: String
    let newPassword: String

    func run(on req: Request) async throws -> Applicant {
        let id = applicant.id
        guard let stored = try await Applicant.find(id, on: req.db) else { throw EGovError.unauthorized() }
        guard try await req.password.async.verify(currentPassword, created: stored.passwordHash) else {
            throw EGovError.invalid(["current_password": "Mật khẩu hiện tại không đúng."])
        }
        if let problem = PasswordPolicy.problem(with: newPassword) { throw EGovError.invalid(["new_password": problem]) }
        if newPassword == currentPassword { throw EGovError.invalid(["new_password": "Mật khẩu mới phải khác mật khẩu hiện tại."]) }
        let hash = try await req.password.async.hash(newPassword)
        return try await req.audited(context: req.applicantAuditContext) { db, trail in
            guard let applicant = try await Applicant.find(id, on: db) else { throw EGovError.unauthorized() }
            applicant.passwordHash = hash
            applicant.credentialVersion += 1
            try await applicant.update(on: db)
            trail.record("applicant.change_password", objectType: "applicant", objectID: id.uuidString)
            return applicant
        }
    }
}
