import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// A new e-mail or phone signs in only after the code sent to it comes back.
final class ApplicantContactChangeTests: ApplicantTestCase {
    /// Patches the profile, then runs the job queue so any code has gone out.
    func patchMe(_ token: String, _ json: [String: String]) async throws -> TestResponse {
        let response = try await api(.PATCH, "/api/v1/portal/me", as: token, json: json)
        try await app.jobs.runUntilIdle()
        return response
    }

    func test_aNewEmailWaitsForItsCode_theOldOneSignsInUntilThen() async throws {
        let token = try await confirmedApplicantToken(email: "an@example.vn", phone: "0912000111")
        try await register(email: "da.co@example.vn", phone: "0912000222", name: "Người khác")
        clock.advance(61) // past the minute after the account's own code

        let changed = try await patchMe(token, ["email": "An.Moi@Example.VN", "address": "Hạ Long"])
        XCTAssertEqual(changed.status, .ok, changed.body)
        let pending = try changed.json(ApplicantDTO.self)
        XCTAssertEqual(pending.email, "an@example.vn", "the old e-mail stays until the new one is confirmed")
        XCTAssertEqual(pending.pendingContact, "an.moi@example.vn")
        XCTAssertEqual(pending.address, "Hạ Long", "the rest of the profile is saved at once")
        let code = try XCTUnwrap(sender.lastCode(to: "an.moi@example.vn"))
        XCTAssertTrue(sender.mails.contains { $0.to == "an@example.vn" && $0.subject == "Yêu cầu đổi thông tin liên hệ" }, "the old address is told")

        let newTooEarly = try await api(.POST, "/api/v1/portal/auth/token", as: nil, json: ["login": "an.moi@example.vn", "password": Self.password])
        XCTAssertEqual(newTooEarly.status, .unauthorized)
        let again = try await patchMe(token, ["email": "an.khac@example.vn"])
        XCTAssertEqual(again.status, .tooManyRequests, "a code a minute at most")

        let wrong = try await api(.POST, "/api/v1/portal/me/contact/confirm", as: token, json: ["code": code == "000000" ? "111111" : "000000"])
        XCTAssertEqual(wrong.status, .unprocessableEntity)
        XCTAssertEqual(wrong.error?.fields?["code"], "Mã xác nhận không đúng. Bạn còn 4 lần thử.")
        let confirmed = try await api(.POST, "/api/v1/portal/me/contact/confirm", as: token, json: ["code": code])
        XCTAssertEqual(confirmed.status, .ok, confirmed.body)
        let account = try confirmed.json(ApplicantDTO.self)
        XCTAssertEqual(account.email, "an.moi@example.vn")
        XCTAssertNil(account.pendingContact)
        _ = try await applicantToken("an.moi@example.vn")
        let old = try await api(.POST, "/api/v1/portal/auth/token", as: nil, json: ["login": "an@example.vn", "password": Self.password])
        XCTAssertEqual(old.status, .unauthorized)
        let nothingPending = try await api(.POST, "/api/v1/portal/me/contact/confirm", as: token, json: ["code": code])
        XCTAssertEqual(nothingPending.status, .conflict)

        clock.advance(61)
        let both = try await patchMe(token, ["email": "an.ba@example.vn", "phone": "0912000333"])
        XCTAssertEqual(both.status, .unprocessableEntity)
        XCTAssertTrue(both.error?.fields?["phone"]?.hasPrefix("Mỗi lần chỉ đổi một thông tin liên hệ") == true, both.body)
        let taken = try await patchMe(token, ["phone": "0912 000 222"])
        XCTAssertEqual(taken.status, .conflict)
        XCTAssertEqual(taken.error?.error, "phone_taken")

        // A new phone, then the change is dropped: its code no longer works.
        let phone = try await patchMe(token, ["phone": "0912000444"])
        XCTAssertEqual(try phone.json(ApplicantDTO.self).pendingContact, "0912000444")
        let smsCode = try XCTUnwrap(sender.lastCode(to: "0912000444"))
        let cancelled = try await api(.POST, "/api/v1/portal/me/contact/cancel", as: token)
        XCTAssertEqual(cancelled.status, .ok)
        XCTAssertNil(try cancelled.json(ApplicantDTO.self).pendingContact)
        let late = try await api(.POST, "/api/v1/portal/me/contact/confirm", as: token, json: ["code": smsCode])
        XCTAssertEqual(late.status, .conflict)
        let stored = try await Applicant.query(on: app.db).filter(\.$email == "an.moi@example.vn").first()
        XCTAssertEqual(stored?.phone, "0912000111")

        // Removing one of two contacts needs no code.
        let removed = try await patchMe(token, ["phone": ""])
        XCTAssertEqual(removed.status, .ok, removed.body)
        XCTAssertNil(try removed.json(ApplicantDTO.self).phone)
        XCTAssertNil(try removed.json(ApplicantDTO.self).pendingContact)
        let actions = try await AuditEntry.query(on: app.db).filter(\.$action ~~ ["applicant.contact_confirm", "applicant.contact_cancel"]).all().map(\.action)
        XCTAssertEqual(Set(actions), ["applicant.contact_confirm", "applicant.contact_cancel"])
    }

    func test_theAccountPageAsksForTheCodeOfANewEmail() async throws {
        let citizen = browser()
        try await citizen.portalSignIn("congdan@egov.local", password: DemoSeed.password)
        let saved = try await citizen.post("/portal/account", [("email", "congdan.moi@egov.local")])
        XCTAssertEqual(saved.status, .seeOther, saved.body)
        let page = try await citizen.get("/portal/account")
        XCTAssertTrue(page.body.contains("Mã xác nhận đã gửi tới congdan.moi@egov.local"), page.body)
        XCTAssertTrue(page.body.contains("Mã xác nhận đã gửi tới <strong>congdan.moi@egov.local</strong>"))
        XCTAssertTrue(page.body.contains("value=\"congdan@egov.local\""), "the form still shows the e-mail that signs in")

        let wrong = try await citizen.post("/portal/account/contact", [("code", "12")])
        XCTAssertEqual(wrong.status, .unprocessableEntity)
        XCTAssertTrue(wrong.body.contains("Mã xác nhận không đúng."))
        try await app.jobs.runUntilIdle()
        let code = try XCTUnwrap(sender.lastCode(to: "congdan.moi@egov.local"))
        let confirmed = try await citizen.post("/portal/account/contact", [("code", code)])
        XCTAssertEqual(confirmed.status, .seeOther, confirmed.body)
        let after = try await citizen.get("/portal/account")
        XCTAssertTrue(after.body.contains("Từ nay bạn đăng nhập bằng congdan.moi@egov.local."))
        XCTAssertFalse(after.body.contains("id=\"pending-contact\""))
    }
}
