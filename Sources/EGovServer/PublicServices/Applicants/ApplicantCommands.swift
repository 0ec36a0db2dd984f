import EGovCore
import Fluent
import Vapor

/// Creates an unconfirmed citizen or business account and sends its confirmation code.
struct RegisterApplicant {
    let input: RegistrationInput.Valid

    func run(in ctx: UseCaseContext) async throws -> Applicant {
        let input = self.input
        let hash = try await ctx.services.passwords.hash(input.password)
        let code = ConfirmationCodeRule.generate()
        let now = ctx.now
        let applicant = try await ctx.recording(as: AuditContext(actor: nil, requestID: ctx.requestID)).audited { db, trail in
            try await ApplicantUniqueness.check(email: input.contact.email, phone: input.contact.phone, except: nil, on: db)
            let applicant = Applicant(kind: input.kind, fullName: input.contact.fullName, email: input.contact.email,
                                      phone: input.contact.phone, identityNumber: input.contact.identityNumber, passwordHash: hash)
            applicant.id = UUID()
            ConfirmationCode.issue(code, to: applicant, now: now)
            try await ApplicantUniqueness.saving { try await applicant.create(on: db) }
            trail.record("applicant.register", objectType: "applicant", objectID: applicant.id!.uuidString,
                         details: "\(input.kind.rawValue) \(applicant.login)")
            if let contact = applicant.email ?? applicant.phone { try await ConfirmationCode.send(code, toContact: contact, at: now, on: db) }
            return applicant
        }
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

    /// Sends `code` to an e-mail or phone, in the transaction that issued it; `what` names the code ("Mã xác nhận của bạn").
    static func send(_ code: String, toContact contact: String, subject: String = "Mã xác nhận tài khoản Cổng dịch vụ công",
                     what: String = "Mã xác nhận của bạn", at now: Date, on db: Database) async throws {
        let minutes = Int(ConfirmationCodeRule.lifetimeSeconds / 60)
        try await ApplicantMessenger.enqueue(
            toContact: contact, subject: subject,
            body: "\(what) là \(code). Mã có hiệu lực trong \(minutes) phút. Không chia sẻ mã này cho bất kỳ ai.", at: now, on: db)
    }

    /// The code has done its work (or the change it was for is dropped).
    static func consume(_ applicant: Applicant) {
        applicant.confirmationCodeHash = nil
        applicant.confirmationExpiresAt = nil
    }

    /// The "please wait" answer while a code sent less than a minute ago is still fresh.
    static func tooSoon(sentAt: Date?, now: Date, before doing: String, field: String? = nil) -> EGovError? {
        guard let wait = ConfirmationCodeRule.secondsToWait(sentAt: sentAt, now: now) else { return nil }
        let message = "Mã xác nhận vừa được gửi. Vui lòng chờ \(wait) giây trước khi \(doing)."
        return EGovError(status: .tooManyRequests, code: "too_many_requests", message: message, fieldErrors: field.map { [$0: message] } ?? [:],
                         retryAfter: wait)
    }

    enum Check: Sendable {
        case valid, expired
        /// No usable code: none was sent, it was used, or too many wrong tries voided it.
        case void
        /// A wrong code, counted (and saved); at 0 tries left the code is void.
        case wrong(remaining: Int)
    }

    /// Checks `code` against the applicant's code. A wrong one counts a try, is saved and goes in
    /// the audit trail as `failedAction`; the try that voids the code answers `.void`.
    static func check(_ code: String, of applicant: Applicant, now: Date, failedAction: String, trail: AuditTrail,
                      on db: Database) async throws -> Check {
        guard let stored = applicant.confirmationCodeHash else { return .void }
        guard let expires = applicant.confirmationExpiresAt, expires > now else { return .expired }
        guard hash(code, applicantID: applicant.id!) == stored else {
            applicant.confirmationAttempts += 1
            let remaining = ConfirmationCodeRule.maximumAttempts - applicant.confirmationAttempts
            if remaining <= 0 { applicant.confirmationCodeHash = nil }
            try await applicant.update(on: db)
            trail.record(failedAction, objectType: "applicant", objectID: applicant.id!.uuidString,
                         details: "attempt \(applicant.confirmationAttempts)\(remaining <= 0 ? ", code void" : "")")
            return remaining <= 0 ? .void : .wrong(remaining: remaining)
        }
        return .valid
    }

    /// The error a failed check answers with; `newCode` says how to get another.
    static func failure(_ check: Check, newCode: String) -> EGovError? {
        switch check {
        case .valid: return nil
        case .wrong(let remaining): return EGovError.invalid(["code": "Mã xác nhận không đúng. Bạn còn \(remaining) lần thử."])
        case .void:
            return EGovError.invalid(["code": "Mã xác nhận đã bị hủy do nhập sai quá \(ConfirmationCodeRule.maximumAttempts) lần hoặc đã được dùng. \(newCode)"])
        case .expired: return EGovError.invalid(["code": "Mã xác nhận đã hết hạn. \(newCode)"])
        }
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
        let field = ContactChannel(of: login) == .email ? \Applicant.$email : \Applicant.$phone
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

    func run(in ctx: UseCaseContext) async throws -> Applicant {
        let code = self.code.filter { !$0.isWhitespace }
        guard !FormText.clean(login).isEmpty else { throw EGovError.invalid(["login": "Cần nhập thư điện tử hoặc số điện thoại đã đăng ký."]) }
        guard !code.isEmpty else { throw EGovError.invalid(["code": "Cần nhập mã xác nhận."]) }
        guard let found = try await ApplicantLookup.byLogin(login, on: ctx.db) else { throw ConfirmationCode.notFound() }
        guard found.confirmedAt == nil else { throw ConfirmationCode.alreadyConfirmed() }
        let (id, now) = (found.id!, ctx.now)
        // A failed try is saved, so the answer is thrown after the transaction commits.
        let (check, applicant) = try await ctx.recording(as: AuditContext(applicantID: id, login: found.login, requestID: ctx.requestID)).audited { db, trail -> (ConfirmationCode.Check, Applicant?) in
            guard let applicant = try await Applicant.find(id, on: db) else { return (.void, nil) }
            let check = try await ConfirmationCode.check(code, of: applicant, now: now, failedAction: "applicant.confirm_failed", trail: trail, on: db)
            guard case .valid = check else { return (check, nil) }
            applicant.confirmedAt = now
            ConfirmationCode.consume(applicant)
            try await applicant.update(on: db)
            trail.record("applicant.confirm", objectType: "applicant", objectID: id.uuidString)
            return (check, applicant)
        }
        if let failure = ConfirmationCode.failure(check, newCode: "Vui lòng yêu cầu gửi mã mới.") { throw failure }
        guard let applicant else { throw ConfirmationCode.notFound() }
        return applicant
    }
}

/// Sends a new confirmation code (the old one stops working); at most one a minute.
struct ResendConfirmationCode {
    let login: String

    func run(in ctx: UseCaseContext) async throws {
        guard !FormText.clean(login).isEmpty else { throw EGovError.invalid(["login": "Cần nhập thư điện tử hoặc số điện thoại đã đăng ký."]) }
        guard let found = try await ApplicantLookup.byLogin(login, on: ctx.db) else { throw ConfirmationCode.notFound() }
        guard found.confirmedAt == nil else { throw ConfirmationCode.alreadyConfirmed() }
        let (id, now, code) = (found.id!, ctx.now, ConfirmationCodeRule.generate())
        if let tooSoon = ConfirmationCode.tooSoon(sentAt: found.confirmationSentAt, now: now, before: "yêu cầu mã mới") { throw tooSoon }
        _ = try await ctx.recording(as: AuditContext(applicantID: id, login: found.login, requestID: ctx.requestID)).audited { db, trail in
            guard let applicant = try await Applicant.find(id, on: db) else { throw ConfirmationCode.notFound() }
            ConfirmationCode.issue(code, to: applicant, now: now)
            try await applicant.update(on: db)
            trail.record("applicant.confirm_resend", objectType: "applicant", objectID: id.uuidString)
            if let contact = applicant.email ?? applicant.phone { try await ConfirmationCode.send(code, toContact: contact, at: now, on: db) }
            return applicant
        }
    }
}

/// Checks an applicant's e-mail or phone and password, with the civil servants' lock-out rule.
struct ApplicantSignIn {
    let login: String
    let password: String

    static let wrongCredentials = EGovError(status: .unauthorized, code: "invalid_credentials",
                                            message: "Thư điện tử, số điện thoại hoặc mật khẩu không đúng.")

    func run(in ctx: UseCaseContext) async throws -> Applicant {
        guard !FormText.clean(login).isEmpty, !password.isEmpty else {
            throw EGovError.invalid(["login": "Cần nhập thư điện tử hoặc số điện thoại và mật khẩu."])
        }
        guard let applicant = try await ApplicantLookup.byLogin(login, on: ctx.db) else {
            try await ctx.recording(as: AuditContext(actor: nil, requestID: ctx.requestID))
                .auditOnly([AuditEvent("applicant.sign_in_failed", objectType: "applicant", details: "unknown login")])
            throw Self.wrongCredentials
        }
        let settings = ctx.settings
        let (id, now, context) = (applicant.id!, ctx.now, AuditContext(applicantID: applicant.id!, login: applicant.login, requestID: ctx.requestID))
        try SignIn.checkNotLocked(until: applicant.lockedUntil, now: now)
        guard try await ctx.services.passwords.verify(password, created: applicant.passwordHash) else {
            try await ctx.recording(as: context).audited { db, trail in
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
        return try await ctx.recording(as: context).audited { db, trail in
            guard let applicant = try await Applicant.find(id, on: db) else { throw Self.wrongCredentials }
            applicant.failedSignIns = 0
            applicant.lockedUntil = nil
            try await applicant.update(on: db)
            trail.record("applicant.sign_in", objectType: "applicant", objectID: id.uuidString)
            return applicant
        }
    }
}

/// An applicant edits their own name, contacts, identity number and address. A new e-mail or
/// phone is not taken at once: a code goes to it, the old contact is told, and the old one keeps
/// signing in until the code comes back (`ConfirmContactChange`). One contact changes at a time.
struct UpdateApplicantProfile {
    let applicant: PortalApplicant
    let input: ProfileInput

    struct Outcome: Sendable {
        let applicant: Applicant
        /// The new contact a code was sent to.
        let codeSentTo: String?
    }

    func run(in ctx: UseCaseContext) async throws -> Outcome {
        let (id, input, now) = (applicant.id, self.input, ctx.now)
        let code = ConfirmationCodeRule.generate()
        let (applicant, pending, _) = try await ctx.audited { db, trail -> (Applicant, String?, String?) in
            guard let applicant = try await Applicant.find(id, on: db) else { throw EGovError.unauthorized() }
            let valid = try input.validate(kind: applicant.applicantKind, current: applicant)
            let change: ContactChange
            do throws(ContactChange.Refusal) {
                change = try ContactChange(current: (applicant.email, applicant.phone), requested: (valid.contact.email, valid.contact.phone))
            } catch {
                throw error.inputError
            }
            let pending = change.pending
            try await ApplicantUniqueness.check(email: change.pendingChannel == .email ? pending : nil,
                                                phone: change.pendingChannel == .phone ? pending : nil, except: id, on: db)
            if let channel = change.pendingChannel, let tooSoon = ConfirmationCode.tooSoon(sentAt: applicant.confirmationSentAt, now: now,
                                                                                          before: "đổi thông tin liên hệ lần nữa", field: channel.formField) {
                throw tooSoon
            }
            // Told of the change: the contact that signs in now.
            let previous = applicant.email ?? applicant.phone
            applicant.fullName = valid.contact.fullName
            applicant.email = change.email
            applicant.phone = change.phone
            applicant.identityNumber = valid.contact.identityNumber
            applicant.address = valid.address
            var details = applicant.login
            if let pending {
                applicant.pendingContact = pending
                ConfirmationCode.issue(code, to: applicant, now: now)
                details += ", new contact \(pending) waits for its code"
            }
            try await ApplicantUniqueness.saving { try await applicant.update(on: db) }
            trail.record("applicant.update_profile", objectType: "applicant", objectID: id.uuidString, details: details)
            if let pending {
                try await ConfirmationCode.send(code, toContact: pending, subject: "Mã xác nhận thông tin liên hệ mới",
                                                what: "Mã xác nhận \(pending) cho tài khoản Cổng dịch vụ công của bạn", at: now, on: db)
                if let previous {
                    try await ApplicantMessenger.enqueue(toContact: previous, subject: "Yêu cầu đổi thông tin liên hệ",
                                                         body: "Tài khoản của bạn vừa yêu cầu đổi thông tin liên hệ sang \(pending). Nếu không phải bạn, hãy đổi mật khẩu ngay và liên hệ bộ phận một cửa.",
                                                         at: now, on: db)
                }
            }
            return (applicant, pending, previous)
        }
        guard let pending else { return Outcome(applicant: applicant, codeSentTo: nil) }
        return Outcome(applicant: applicant, codeSentTo: pending)
    }
}

extension ContactChange.Refusal {
    /// The profile form's message, on the field at fault.
    var inputError: EGovError {
        switch self {
        case .bothAtOnce:
            return .invalid(["phone": "Mỗi lần chỉ đổi một thông tin liên hệ: đổi thư điện tử, xác nhận mã, rồi mới đổi số điện thoại."])
        case .nothingLeftToSignIn(let channel):
            return .invalid([channel.formField: "Cần giữ ít nhất một thư điện tử hoặc số điện thoại đã xác nhận cho đến khi xác nhận thông tin mới."])
        }
    }
}

extension ContactChannel {
    /// The profile form's field for this channel.
    var formField: String { self == .email ? "email" : "phone" }
}

/// The code sent to a new e-mail or phone comes back: it becomes the sign-in. The same rules as
/// the account's first code: 30 minutes, 5 tries.
struct ConfirmContactChange {
    let applicant: PortalApplicant
    let code: String

    struct Outcome: Sendable {
        let applicant: Applicant
        /// The e-mail or phone that signs in from now on.
        let confirmed: String
    }

    func run(in ctx: UseCaseContext) async throws -> Outcome {
        let (id, now, code) = (applicant.id, ctx.now, self.code.filter { !$0.isWhitespace })
        guard !code.isEmpty else { throw EGovError.invalid(["code": "Cần nhập mã xác nhận."]) }
        // A failed try is saved, so the answer is thrown after the transaction commits.
        let (check, outcome) = try await ctx.recording(as: ctx.audit).audited { db, trail -> (ConfirmationCode.Check, Outcome?) in
            guard let applicant = try await Applicant.find(id, on: db) else { throw EGovError.unauthorized() }
            guard let pending = applicant.pendingContact else {
                throw EGovError.conflict("Không có thông tin liên hệ nào đang chờ xác nhận.", code: "no_pending_contact")
            }
            let check = try await ConfirmationCode.check(code, of: applicant, now: now, failedAction: "applicant.contact_confirm_failed",
                                                         trail: trail, on: db)
            guard case .valid = check else { return (check, nil) }
            let isEmail = ContactChannel(of: pending) == .email
            try await ApplicantUniqueness.check(email: isEmail ? pending : nil, phone: isEmail ? nil : pending, except: id, on: db)
            if isEmail { applicant.email = pending } else { applicant.phone = pending }
            applicant.pendingContact = nil
            ConfirmationCode.consume(applicant)
            try await ApplicantUniqueness.saving { try await applicant.update(on: db) }
            trail.record("applicant.contact_confirm", objectType: "applicant", objectID: id.uuidString, details: pending)
            return (check, Outcome(applicant: applicant, confirmed: pending))
        }
        if let failure = ConfirmationCode.failure(check, newCode: "Vui lòng lưu lại thông tin liên hệ mới để nhận mã mới.") { throw failure }
        guard let outcome else { throw EGovError.unauthorized() }
        return outcome
    }
}

/// The applicant drops a new e-mail or phone before confirming it.
struct CancelContactChange {
    let applicant: PortalApplicant

    func run(in ctx: UseCaseContext) async throws -> Applicant {
        let id = applicant.id
        return try await ctx.recording(as: ctx.audit).audited { db, trail in
            guard let applicant = try await Applicant.find(id, on: db) else { throw EGovError.unauthorized() }
            guard let pending = applicant.pendingContact else { return applicant }
            applicant.pendingContact = nil
            ConfirmationCode.consume(applicant)
            try await applicant.update(on: db)
            trail.record("applicant.contact_cancel", objectType: "applicant", objectID: id.uuidString, details: pending)
            return applicant
        }
    }
}

/// An applicant changes their password, proving the current one; other sessions and tokens end.
struct ChangeApplicantPassword {
    let applicant: PortalApplicant
    let currentPassword: String
    let newPassword: String

    func run(in ctx: UseCaseContext) async throws -> Applicant {
        let id = applicant.id
        guard let stored = try await Applicant.find(id, on: ctx.db) else { throw EGovError.unauthorized() }
        guard try await ctx.services.passwords.verify(currentPassword, created: stored.passwordHash) else {
            throw EGovError.invalid(["current_password": "Mật khẩu hiện tại không đúng."])
        }
        if let problem = PasswordPolicy.problem(with: newPassword) { throw EGovError.invalid(["new_password": problem]) }
        if newPassword == currentPassword { throw EGovError.invalid(["new_password": "Mật khẩu mới phải khác mật khẩu hiện tại."]) }
        let hash = try await ctx.services.passwords.hash(newPassword)
        return try await ctx.recording(as: ctx.audit).audited { db, trail in
            guard let applicant = try await Applicant.find(id, on: db) else { throw EGovError.unauthorized() }
            applicant.passwordHash = hash
            applicant.credentialVersion += 1
            try await applicant.update(on: db)
            trail.record("applicant.change_password", objectType: "applicant", objectID: id.uuidString)
            return applicant
        }
    }
}
