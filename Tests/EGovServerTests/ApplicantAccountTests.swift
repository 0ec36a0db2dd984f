import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// Citizen and business accounts of the portal: registration, confirmation, sign-in, profile,
/// and the wall between them and civil servants.
final class ApplicantAccountTests: ApplicantTestCase {
    func test_registerConfirmSignInEditAndChangePasswordThroughTheAPI() async throws {
        let created = try await register(email: "Hoa.Le@Example.VN", phone: "+84 912 345 678", identityNumber: "001190000123")
        XCTAssertEqual(created.email, "hoa.le@example.vn")
        XCTAssertEqual(created.phone, "0912345678")
        XCTAssertFalse(created.confirmed)
        XCTAssertEqual(sender.mails.count, 1, "the code goes by e-mail when there is one")
        XCTAssertTrue(sender.mails[0].subject.contains("Mã xác nhận"))
        let code = try XCTUnwrap(sender.lastCode(to: "hoa.le@example.vn"))

        let early = try await api(.POST, "/api/v1/portal/auth/token", as: nil, json: ["login": "hoa.le@example.vn", "password": Self.password])
        XCTAssertEqual(early.status, .forbidden)
        XCTAssertEqual(early.error?.error, "account_unconfirmed")
        XCTAssertTrue(early.error?.message.contains("xác nhận") ?? false)

        let wrongCode = code == "000000" ? "111111" : "000000"
        let wrong = try await api(.POST, "/api/v1/portal/confirm", as: nil, json: ["login": "0912 345 678", "code": wrongCode])
        XCTAssertEqual(wrong.status, .unprocessableEntity)
        XCTAssertEqual(wrong.error?.fields?["code"], "Mã xác nhận không đúng. Bạn còn 4 lần thử.")
        let confirmed = try await api(.POST, "/api/v1/portal/confirm", as: nil, json: ["login": "0912345678", "code": code])
        XCTAssertEqual(confirmed.status, .ok, confirmed.body)
        XCTAssertTrue(try confirmed.json(ApplicantDTO.self).confirmed)
        let again = try await api(.POST, "/api/v1/portal/confirm", as: nil, json: ["login": "0912345678", "code": code])
        XCTAssertEqual(again.status, .conflict)

        // Phone or e-mail both sign in.
        let token = try await applicantToken("+84912345678")
        let me = try await api(.GET, "/api/v1/portal/me", as: token)
        XCTAssertEqual(me.status, .ok)
        XCTAssertEqual(try me.json(ApplicantDTO.self).identityNumber, "001190000123")

        let patched = try await api(.PATCH, "/api/v1/portal/me", as: token, json: ["full_name": "Lê Thị Hoa Mai", "address": "12 Lý Thái Tổ, Hoàn Kiếm, Hà Nội"])
        XCTAssertEqual(patched.status, .ok, patched.body)
        let profile = try patched.json(ApplicantDTO.self)
        XCTAssertEqual(profile.fullName, "Lê Thị Hoa Mai")
        XCTAssertEqual(profile.address, "12 Lý Thái Tổ, Hoàn Kiếm, Hà Nội")
        XCTAssertEqual(profile.email, "hoa.le@example.vn", "fields left out keep their value")

        let badPassword = try await api(.POST, "/api/v1/portal/me/password", as: token, json: ["current_password": "sai-mat-khau1", "new_password": "MatKhauMoi2026"])
        XCTAssertEqual(badPassword.status, .unprocessableEntity)
        let changed = try await api(.POST, "/api/v1/portal/me/password", as: token, json: ["current_password": Self.password, "new_password": "MatKhauMoi2026"])
        XCTAssertEqual(changed.status, .noContent, changed.body)
        let old = try await api(.GET, "/api/v1/portal/me", as: token)
        XCTAssertEqual(old.status, .unauthorized, "the password change ends the old token")
        let fresh = try await applicantToken("hoa.le@example.vn", password: "MatKhauMoi2026")
        let meAgain = try await api(.GET, "/api/v1/portal/me", as: fresh)
        XCTAssertEqual(meAgain.status, .ok)

        let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "applicant.change_password").first()
        XCTAssertEqual(audit?.actorID, "applicant:\(created.id.uuidString)")
        XCTAssertEqual(audit?.actorName, "hoa.le@example.vn")
        let chain = try await AuditLog.verify(on: app.db)
        XCTAssertNil(chain)
    }

    func test_fiveWrongCodesVoidTheCodeAndResendIsRateLimited() async throws {
        try await register(email: "nam@example.vn")
        let code = try XCTUnwrap(sender.lastCode(to: "nam@example.vn"))
        let wrongCode = code == "999999" ? "888888" : "999999"
        for attempt in 1...5 {
            let res = try await api(.POST, "/api/v1/portal/confirm", as: nil, json: ["login": "nam@example.vn", "code": wrongCode])
            XCTAssertEqual(res.status, .unprocessableEntity, "attempt \(attempt)")
        }
        let right = try await api(.POST, "/api/v1/portal/confirm", as: nil, json: ["login": "nam@example.vn", "code": code])
        XCTAssertEqual(right.status, .unprocessableEntity, "after five wrong tries the right code is void too")
        XCTAssertTrue(right.error?.fields?["code"]?.contains("yêu cầu gửi mã mới") ?? false, right.body)
        let stored = try await Applicant.query(on: app.db).filter(\.$email == "nam@example.vn").first()
        XCTAssertNil(stored?.confirmationCodeHash)
        XCTAssertNil(stored?.confirmedAt)

        let tooSoon = try await api(.POST, "/api/v1/portal/confirm/resend", as: nil, json: ["login": "nam@example.vn"])
        XCTAssertEqual(tooSoon.status, .tooManyRequests)
        clock.advance(61)
        let resent = try await api(.POST, "/api/v1/portal/confirm/resend", as: nil, json: ["login": "nam@example.vn"])
        XCTAssertEqual(resent.status, .accepted, resent.body)
        try await app.jobs.runUntilIdle()
        XCTAssertEqual(sender.mails.count, 2)
        let newCode = try XCTUnwrap(sender.lastCode(to: "nam@example.vn"))
        let ok = try await api(.POST, "/api/v1/portal/confirm", as: nil, json: ["login": "nam@example.vn", "code": newCode])
        XCTAssertEqual(ok.status, .ok, ok.body)
    }

    func test_codeExpiresAfterThirtyMinutes() async throws {
        try await register(phone: "0987 654 321")
        XCTAssertEqual(sender.mails.count, 0)
        XCTAssertEqual(sender.texts.map(\.to), ["0987654321"], "a phone-only account gets its code by SMS")
        let code = try XCTUnwrap(sender.lastCode(to: "0987654321"))
        clock.advance(31 * 60)
        let res = try await api(.POST, "/api/v1/portal/confirm", as: nil, json: ["login": "0987654321", "code": code])
        XCTAssertEqual(res.status, .unprocessableEntity)
        XCTAssertEqual(res.error?.fields?["code"], "Mã xác nhận đã hết hạn. Vui lòng yêu cầu gửi mã mới.")
    }

    func test_duplicateEmailOrPhoneIsRefusedWithAClearMessage() async throws {
        try await register(email: "an@example.vn", phone: "0911111111")
        let sameEmail = try await api(.POST, "/api/v1/portal/register", as: nil,
                                      json: ["full_name": "Người khác", "email": "AN@example.vn", "password": "KhacNhau2026"])
        XCTAssertEqual(sameEmail.status, .conflict)
        XCTAssertEqual(sameEmail.error?.error, "email_taken")
        XCTAssertEqual(sameEmail.error?.message, "Thư điện tử này đã được dùng cho một tài khoản khác.")
        let samePhone = try await api(.POST, "/api/v1/portal/register", as: nil,
                                      json: ["full_name": "Người khác", "phone": "+84 911 111 111", "password": "KhacNhau2026"])
        XCTAssertEqual(samePhone.status, .conflict)
        XCTAssertEqual(samePhone.error?.error, "phone_taken")

        // Taking another account's e-mail in the profile is refused the same way.
        let token = try await applicantToken("congdan@egov.local", password: DemoSeed.password)
        let patch = try await api(.PATCH, "/api/v1/portal/me", as: token, json: ["email": "an@example.vn"])
        XCTAssertEqual(patch.status, .conflict)
        XCTAssertEqual(patch.error?.error, "email_taken")
        let phonePatch = try await api(.PATCH, "/api/v1/portal/me", as: token, json: ["phone": "0911.111.111"])
        XCTAssertEqual(phonePatch.status, .conflict)
    }

    func test_badInputGetsVietnameseFieldErrors() async throws {
        let noContact = try await api(.POST, "/api/v1/portal/register", as: nil, json: ["full_name": "Hà", "password": "MatKhau2026"])
        XCTAssertEqual(noContact.status, .unprocessableEntity)
        XCTAssertEqual(noContact.error?.fields?["email"], "Cần nhập thư điện tử hoặc số điện thoại (ít nhất một trong hai).")
        let bad = try await api(.POST, "/api/v1/portal/register", as: nil, json: [
            "full_name": "", "email": "khong-phai-email", "phone": "12345", "identity_number": "00109000001", "password": "ngan"])
        XCTAssertEqual(bad.status, .unprocessableEntity)
        let fields = bad.error?.fields ?? [:]
        XCTAssertEqual(Set(fields.keys), ["full_name", "email", "phone", "identity_number", "password"])
        XCTAssertEqual(fields["identity_number"], "Số căn cước công dân (CCCD) gồm đúng 12 chữ số.")
        let business = try await api(.POST, "/api/v1/portal/register", as: nil, json: [
            "kind": "business", "full_name": "Công ty CP Sông Hồng", "email": "lienhe@songhong.vn", "identity_number": "01012345", "password": "MatKhau2026"])
        XCTAssertEqual(business.error?.fields?["identity_number"], "Mã số thuế gồm 10 hoặc 13 chữ số.")
        let businessOK = try await register(email: "lienhe@songhong.vn", name: "Công ty CP Sông Hồng", kind: "business", identityNumber: "0101234567-001")
        XCTAssertEqual(businessOK.identityNumber, "0101234567001")
        XCTAssertEqual(businessOK.kind, "business")
        let badKind = try await api(.POST, "/api/v1/portal/register", as: nil, json: ["kind": "robot", "full_name": "X", "email": "x@example.vn", "password": "MatKhau2026"])
        XCTAssertEqual(badKind.error?.fields?["kind"], "Loại tài khoản phải là công dân hoặc doanh nghiệp.")
        let malformed = try await app.sendRequest(.POST, "/api/v1/portal/register", headers: ["Content-Type": "application/json"], body: ByteBuffer(string: "{"))
        XCTAssertEqual(malformed.status, .badRequest)
        let count = try await Applicant.query(on: app.db).count()
        XCTAssertEqual(count, 3, "two demo accounts and the business")
    }

    func test_lockOutAfterRepeatedFailures() async throws {
        for _ in 1...app.settings.maxFailedSignIns {
            let res = try await api(.POST, "/api/v1/portal/auth/token", as: nil, json: ["login": "congdan@egov.local", "password": "SaiMatKhau1"])
            XCTAssertEqual(res.status, .unauthorized)
        }
        let locked = try await api(.POST, "/api/v1/portal/auth/token", as: nil, json: ["login": "0912000001", "password": DemoSeed.password])
        XCTAssertEqual(locked.status, .tooManyRequests)
        XCTAssertTrue(locked.error?.message.contains("tạm thời bị khóa") ?? false)
        clock.advance(app.settings.signInLockDuration + 1)
        _ = try await applicantToken("0912000001", password: DemoSeed.password)
    }

    func test_tokensDoNotCrossBetweenApplicantsAndCivilServants() async throws {
        let citizen = try await applicantToken("congdan@egov.local", password: DemoSeed.password)
        let clerk = try await token("quangninh.vanthu")
        let documents = try await api(.GET, "/api/v1/incoming-documents", as: citizen)
        XCTAssertEqual(documents.status, .unauthorized, "an applicant token opens no civil-servant route")
        let staffMe = try await api(.GET, "/api/v1/me", as: citizen)
        XCTAssertEqual(staffMe.status, .unauthorized)
        let portalMe = try await api(.GET, "/api/v1/portal/me", as: clerk)
        XCTAssertEqual(portalMe.status, .unauthorized, "a civil-servant token opens no portal route")
        XCTAssertEqual(portalMe.headers.contentType, .json)
        let own = try await api(.GET, "/api/v1/portal/me", as: citizen)
        XCTAssertEqual(try own.json(ApplicantDTO.self).fullName, "Trần Văn Công")
        let clerkDocuments = try await api(.GET, "/api/v1/incoming-documents", as: clerk)
        XCTAssertEqual(clerkDocuments.status, .ok)
    }

    func test_webRegistrationConfirmationAndSignIn() async throws {
        let browser = browser()
        let form = try await browser.get("/portal/register")
        XCTAssertEqual(form.status, .ok)
        XCTAssertTrue(form.body.contains("Cổng dịch vụ công"))
        XCTAssertTrue(form.body.contains(#"<label for="phone">"#))

        let invalid = try await browser.post("/portal/register", [("kind", "citizen"), ("full_name", "Phạm Minh Đức"), ("password", "MatKhau2026")])
        XCTAssertEqual(invalid.status, .unprocessableEntity)
        XCTAssertTrue(invalid.body.contains("Cần nhập thư điện tử hoặc số điện thoại"))
        XCTAssertTrue(invalid.body.contains(#"value="Phạm Minh Đức""#), "what was typed is kept")

        let created = try await browser.post("/portal/register", [("kind", "citizen"), ("full_name", "Phạm Minh Đức"), ("email", "duc@example.vn"),
                                                                  ("password", "MatKhau2026"), ("password_confirm", "MatKhau2026")])
        XCTAssertEqual(created.status, .seeOther)
        let confirmURL = try XCTUnwrap(created.headers.first(name: .location))
        XCTAssertEqual(confirmURL, "/portal/confirm?login=duc@example.vn")
        let confirmPage = try await browser.get(confirmURL)
        XCTAssertTrue(confirmPage.body.contains("Mã xác nhận gồm 6 chữ số đã được gửi"))

        let early = try await browser.post("/portal/sign-in", [("login", "duc@example.vn"), ("password", "MatKhau2026"), ("next", "/portal/account")])
        XCTAssertEqual(early.status, .forbidden)
        XCTAssertTrue(early.body.contains("Tài khoản chưa được xác nhận"))
        XCTAssertTrue(early.body.contains("/portal/confirm?login="))

        try await app.jobs.runUntilIdle()
        let code = try XCTUnwrap(sender.lastCode(to: "duc@example.vn"))
        let wrong = try await browser.post("/portal/confirm", [("login", "duc@example.vn"), ("code", code == "123456" ? "654321" : "123456")])
        XCTAssertEqual(wrong.status, .unprocessableEntity)
        XCTAssertTrue(wrong.body.contains("Bạn còn 4 lần thử"))
        let confirmed = try await browser.post("/portal/confirm", [("login", "duc@example.vn"), ("code", code)])
        XCTAssertEqual(confirmed.headers.first(name: .location), "/portal/account", "confirmed and signed in at once")
        let account = try await browser.get("/portal/account")
        XCTAssertEqual(account.status, .ok)
        XCTAssertTrue(account.body.contains(#"<span id="current-applicant">Phạm Minh Đức</span>"#))

        let saved = try await browser.post("/portal/account", [("full_name", "Phạm Minh Đức"), ("email", "congdan@egov.local"), ("phone", ""),
                                                               ("identity_number", ""), ("address", "")])
        XCTAssertEqual(saved.status, .conflict)
        XCTAssertTrue(saved.body.contains("Thư điện tử này đã được dùng cho một tài khoản khác."))

        // The applicant's session opens no civil-servant page.
        let inbox = try await browser.get("/inbox")
        XCTAssertEqual(inbox.status, .seeOther)
        XCTAssertTrue(inbox.headers.first(name: .location)?.hasPrefix("/sign-in") ?? false)
        let home = try await browser.get("/")
        XCTAssertFalse(home.body.contains("Phạm Minh Đức"))

        let out = try await browser.post("/portal/sign-out", [])
        XCTAssertEqual(out.headers.first(name: .location), "/portal/sign-in")
        let after = try await browser.get("/portal/account")
        XCTAssertEqual(after.headers.first(name: .location), "/portal/sign-in?next=/portal/account")
    }

    func test_civilServantSessionIsNotAnApplicant() async throws {
        let browser = browser()
        try await browser.signIn("quangninh.vanthu")
        let account = try await browser.get("/portal/account")
        XCTAssertEqual(account.status, .seeOther)
        XCTAssertEqual(account.headers.first(name: .location), "/portal/sign-in?next=/portal/account")
        let signInPage = try await browser.get("/portal/sign-in")
        XCTAssertFalse(signInPage.body.contains("current-applicant"))

        // Signing in on the portal in the same browser ends the civil-servant session.
        try await browser.portalSignIn("congdan@egov.local", password: DemoSeed.password)
        let inbox = try await browser.get("/inbox")
        XCTAssertEqual(inbox.status, .seeOther)
    }

    func test_webPasswordChangeKeepsThisSessionAndEndsTheOthers() async throws {
        let phone = browser()
        let laptop = browser()
        try await phone.portalSignIn("0912000001", password: DemoSeed.password)
        try await laptop.portalSignIn("congdan@egov.local", password: DemoSeed.password)
        let mismatch = try await laptop.post("/portal/account/password", [("current_password", DemoSeed.password),
                                                                          ("new_password", "MatKhauMoi2026"), ("new_password_confirm", "Khac2026")])
        XCTAssertEqual(mismatch.status, .unprocessableEntity)
        XCTAssertTrue(mismatch.body.contains("Mật khẩu nhập lại không khớp."))
        let changed = try await laptop.post("/portal/account/password", [("current_password", DemoSeed.password),
                                                                         ("new_password", "MatKhauMoi2026"), ("new_password_confirm", "MatKhauMoi2026")])
        XCTAssertEqual(changed.status, .seeOther, changed.body)
        let laptopPage = try await laptop.get("/portal/account")
        XCTAssertEqual(laptopPage.status, .ok)
        XCTAssertTrue(laptopPage.body.contains("Đã đổi mật khẩu."))
        let phonePage = try await phone.get("/portal/account")
        XCTAssertEqual(phonePage.status, .seeOther, "the other session ended")
    }

    func test_demoApplicantsCanSignInWithEmailOrPhone() async throws {
        _ = try await applicantToken("congdan@egov.local", password: DemoSeed.password)
        _ = try await applicantToken("0912000002", password: DemoSeed.password)
        try await DemoSeed.run(on: app)
        let count = try await Applicant.query(on: app.db).count()
        XCTAssertEqual(count, 2, "seeding again adds nothing")
    }

    // MARK: National eID (OpenID Connect)

    func test_eIDCallbackSignsInAndAWrongStateIsRefused() async throws {
        let provider = FakeIdentityProvider(identity: ExternalIdentity(subject: "vneid-123", fullName: "Đoàn Thị Én",
                                                                       identityNumber: "079190000456", phone: "0909000111", email: nil))
        app.egovServices.externalIdentity = provider
        let browser = browser()
        let page = try await browser.get("/portal/sign-in")
        XCTAssertTrue(page.body.contains("Đăng nhập bằng VNeID"))

        let start = try await browser.get("/portal/sign-in/oidc?next=/portal/notifications")
        XCTAssertEqual(start.status, .seeOther)
        let location = try XCTUnwrap(start.headers.first(name: .location))
        XCTAssertTrue(location.hasPrefix("https://eid.test/authorize?"))
        let state = try XCTUnwrap(URLComponents(string: location)?.queryItems?.first { $0.name == "state" }?.value)

        let forged = try await browser.get("/portal/sign-in/oidc/callback?code=good&state=forged")
        XCTAssertEqual(forged.status, .badRequest)
        XCTAssertTrue(forged.body.contains("không hợp lệ hoặc đã hết hạn"))
        let replay = try await browser.get("/portal/sign-in/oidc/callback?code=good&state=\(state)")
        XCTAssertEqual(replay.status, .badRequest, "the state is used once, even by a failed try")
        XCTAssertEqual(provider.exchanges, 0)

        let retry = try await browser.get("/portal/sign-in/oidc?next=/portal/notifications")
        let retryState = try XCTUnwrap(URLComponents(string: retry.headers.first(name: .location) ?? "")?.queryItems?.first { $0.name == "state" }?.value)
        let done = try await browser.get("/portal/sign-in/oidc/callback?code=good&state=\(retryState)")
        XCTAssertEqual(done.status, .seeOther, done.body)
        XCTAssertEqual(done.headers.first(name: .location), "/portal/notifications")
        let account = try await browser.get("/portal/account")
        XCTAssertTrue(account.body.contains("Đoàn Thị Én"))
        XCTAssertTrue(account.body.contains("Đã liên kết định danh điện tử"))
        let stored = try await Applicant.query(on: app.db).filter(\.$externalSubject == "vneid-123").all()
        XCTAssertEqual(stored.count, 1)
        XCTAssertEqual(stored.first?.identityNumber, "079190000456")
        XCTAssertNotNil(stored.first?.confirmedAt)

        // The eID of someone who registered with a password links to their account.
        provider.identity = ExternalIdentity(subject: "vneid-777", fullName: "TRẦN VĂN CÔNG", identityNumber: "001090000001", phone: nil, email: nil)
        let other = self.browser()
        let second = try await other.get("/portal/sign-in/oidc")
        let secondState = try XCTUnwrap(URLComponents(string: second.headers.first(name: .location) ?? "")?.queryItems?.first { $0.name == "state" }?.value)
        _ = try await other.get("/portal/sign-in/oidc/callback?code=good&state=\(secondState)")
        let demo = try await Applicant.query(on: app.db).filter(\.$email == "congdan@egov.local").first()
        XCTAssertEqual(demo?.externalSubject, "vneid-777")
        let otherAccount = try await other.get("/portal/account")
        XCTAssertTrue(otherAccount.body.contains("Trần Văn Công"))
    }

    func test_eIDRoutesAreAbsentWhenNotConfigured() async throws {
        let page = try await browser().get("/portal/sign-in")
        XCTAssertFalse(page.body.contains("VNeID"))
        let start = try await browser().get("/portal/sign-in/oidc")
        XCTAssertEqual(start.status, .notFound)
    }
}

/// A test double of the eID: hands out a fixed identity for the code "good".
final class FakeIdentityProvider: ExternalIdentityProvider, @unchecked Sendable {
    private let lock = NSLock()
    private var _identity: ExternalIdentity
    private var _exchanges = 0
    init(identity: ExternalIdentity) { _identity = identity }

    var identity: ExternalIdentity {
        get { lock.lock(); defer { lock.unlock() }; return _identity }
        set { lock.lock(); _identity = newValue; lock.unlock() }
    }
    var exchanges: Int { lock.lock(); defer { lock.unlock() }; return _exchanges }
    var displayName: String { "VNeID" }

    func authorizationURL(state: String, nonce: String) async throws -> String {
        "https://eid.test/authorize?state=\(state)&nonce=\(nonce)"
    }

    func exchange(code: String, nonce: String) async throws -> ExternalIdentity {
        lock.withLock { _exchanges += 1 }
        guard code == "good", !nonce.isEmpty else { throw Abort(.unauthorized) }
        return identity
    }
}
