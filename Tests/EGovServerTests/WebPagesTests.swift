import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// The web UI as a browser uses it: session cookie, CSRF tokens, forms, escaping.
final class WebPagesTests: EGovTestCase {
    func test_signInThroughTheFormShowsTheUsersName() async throws {
        let browser = browser()
        let page = try await browser.get("/sign-in")
        XCTAssertTrue(page.body.contains(#"<html lang="vi">"#))
        XCTAssertTrue(page.body.contains("id=\"sign-in-submit\""))
        let res = try await browser.post("/sign-in", [("username", "admin"), ("password", DemoSeed.password), ("next", "/admin/agencies")])
        XCTAssertEqual(res.status, .seeOther)
        XCTAssertEqual(res.headers.first(name: .location), "/admin/agencies")
        let home = try await browser.get("/")
        XCTAssertEqual(home.status, .ok)
        XCTAssertTrue(home.body.contains(#"<span id="current-user">Nguyễn Quản Trị</span>"#), home.body)
        XCTAssertFalse(home.body.contains("Chưa khả dụng"), "only what exists is offered")
        XCTAssertTrue(home.body.contains("Sắp có: Liên thông văn bản"), "what is coming is named in one line")
        XCTAssertTrue(home.body.contains(#"id="nav-admin-title">Quản trị<"#), "the system admin administers")
        let clerk = self.browser()
        try await clerk.signIn("quangninh.vanthu")
        let clerkHome = try await clerk.get("/")
        XCTAssertTrue(clerkHome.body.contains(#"id="nav-admin-title">Tra cứu<"#), "a clerk only reads the catalogue and the holidays")
        XCTAssertFalse(clerkHome.body.contains(">Quản trị<"))
    }

    func test_sessionCookieIsHttpOnlyAndLax() async throws {
        let page = try await browser().get("/sign-in")
        let cookie = page.headers.first(name: .setCookie) ?? ""
        XCTAssertTrue(cookie.contains("HttpOnly"), cookie)
        XCTAssertTrue(cookie.contains("SameSite=Lax"), cookie)
        XCTAssertFalse(cookie.contains("Secure"), "plain HTTP in tests")
    }

    func test_sessionCookieIsSecureBehindTLS() async throws {
        let (tlsApp, dir) = try await TestApp.make(seedDemo: false, publicURL: "https://egov.example.gov.vn")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let page = try await Browser(app: tlsApp).get("/sign-in")
        try await tlsApp.asyncShutdown()
        XCTAssertTrue(page.headers.first(name: .setCookie)?.contains("Secure") ?? false)
    }

    func test_wrongPasswordShowsTheMessageOnTheForm() async throws {
        let browser = browser()
        try await browser.get("/sign-in")
        let res = try await browser.post("/sign-in", [("username", "admin"), ("password", "sai-mat-khau"), ("next", "/")])
        XCTAssertEqual(res.status, .unauthorized)
        XCTAssertTrue(res.body.contains("Tên đăng nhập hoặc mật khẩu không đúng."))
    }

    func test_formPostWithoutCSRFTokenIsRefused() async throws {
        let browser = browser()
        _ = try await browser.signIn("quangninh.quantri")
        let agency = try await agency("000.00.00.H49")
        let forged = try await browser.post("/admin/agencies/\(agency.id!)/units", [("code", "GIA"), ("name", "Giả mạo")], csrf: "not-the-token")
        XCTAssertEqual(forged.status, .forbidden)
        let count = try await AgencyUnit.query(on: app.db).filter(\.$code == "GIA").count()
        XCTAssertEqual(count, 0)
        // With the page's token the same form works.
        try await browser.get("/admin/agencies/\(agency.id!)")
        let ok = try await browser.post("/admin/agencies/\(agency.id!)/units", [("code", "GIA"), ("name", "Phòng Giám sát")])
        XCTAssertEqual(ok.status, .seeOther)
        let after = try await AgencyUnit.query(on: app.db).filter(\.$code == "GIA").count()
        XCTAssertEqual(after, 1)
    }

    func test_signInFormWithoutCSRFIsRefused() async throws {
        let res = try await browser().post("/sign-in", [("username", "admin"), ("password", DemoSeed.password)], csrf: "x")
        XCTAssertEqual(res.status, .forbidden)
    }

    func test_pagesRedirectToSignInWhenSignedOut() async throws {
        let res = try await browser().get("/admin/users")
        XCTAssertEqual(res.status, .seeOther)
        XCTAssertTrue(res.headers.first(name: .location)?.hasPrefix("/sign-in?next=") ?? false)
    }

    func test_agencyAdminPagesRefuseAnotherAgencysUnitsAndUsers() async throws {
        let browser = browser()
        _ = try await browser.signIn("quangninh.quantri")
        let otherUser = try await user("dongthap.vanthu")
        let otherUnit = try await unit("000.00.00.H20", "VP")
        let other = try await agency("000.00.00.H20")
        do { let value = try await browser.get("/admin/users/\(otherUser.id!)").status; XCTAssertEqual(value, .notFound) }
        do { let value = try await browser.get("/admin/users?agency_id=\(other.id!)").status; XCTAssertEqual(value, .notFound) }
        do { let value = try await browser.get("/admin/units/\(otherUnit.id!)/edit").status; XCTAssertEqual(value, .notFound) }
        try await browser.get("/")
        let rename = try await browser.post("/admin/units/\(otherUnit.id!)", [("code", "VP"), ("name", "Bị chiếm"), ("is_active", "true")])
        XCTAssertEqual(rename.status, .notFound)
        try await browser.get("/")
        let deactivate = try await browser.post("/admin/users/\(otherUser.id!)/deactivate", [])
        XCTAssertEqual(deactivate.status, .notFound)
        try await browser.get("/")
        let addUnit = try await browser.post("/admin/agencies/\(other.id!)/units", [("code", "X"), ("name", "X")])
        XCTAssertEqual(addUnit.status, .notFound)
        // The other agency's detail page shows its directory entry but not its units.
        let department = try await agency("000.00.14.H20")
        let detail = try await browser.get("/admin/agencies/\(department.id!)")
        XCTAssertEqual(detail.status, .ok)
        XCTAssertTrue(detail.body.contains("Sở Thông tin và Truyền thông tỉnh Đồng Tháp"))
        XCTAssertFalse(detail.body.contains("Phòng Công nghệ thông tin"))
        do { let value = try await unit("000.00.00.H20", "VP").name; XCTAssertEqual(value, "Văn phòng UBND tỉnh") }
        do { let value = try await user("dongthap.vanthu").isActive; XCTAssertTrue(value) }
    }

    func test_specialistCannotOpenAdminPages() async throws {
        let browser = browser()
        _ = try await browser.signIn("bnv.chuyenvien")
        do { let value = try await browser.get("/admin/users").status; XCTAssertEqual(value, .forbidden) }
        do { let value = try await browser.get("/admin/audit").status; XCTAssertEqual(value, .forbidden) }
        do { let value = try await browser.get("/admin/agencies/new").status; XCTAssertEqual(value, .forbidden) }
    }

    func test_userTextIsEscaped() async throws {
        let browser = browser()
        _ = try await browser.signIn("admin")
        try await browser.get("/admin/agencies/new")
        let res = try await browser.post("/admin/agencies", [("code", "000.00.77.H49"), ("name", "<script>alert('xss')</script> Sở thử"), ("is_active", "true")])
        XCTAssertEqual(res.status, .seeOther, res.body)
        let list = try await browser.get("/admin/agencies")
        XCTAssertFalse(list.body.contains("<script>alert('xss')</script>"))
        XCTAssertTrue(list.body.contains("&lt;script&gt;"))
        let detail = try await browser.get(res.headers.first(name: .location)!)
        XCTAssertFalse(detail.body.contains("<script>alert"))
    }

    func test_agencyFormShowsFieldErrorsAndKeepsInput() async throws {
        let browser = browser()
        _ = try await browser.signIn("admin")
        try await browser.get("/admin/agencies/new")
        let res = try await browser.post("/admin/agencies", [("code", "12345"), ("name", "Sở Giữ Lại"), ("email", "khong-hop-le")])
        XCTAssertEqual(res.status, .unprocessableEntity)
        XCTAssertTrue(res.body.contains("không đúng dạng"))
        XCTAssertTrue(res.body.contains("Địa chỉ thư điện tử không hợp lệ."))
        XCTAssertTrue(res.body.contains("Sở Giữ Lại"))
    }

    func test_adminCreatesUserThroughTheForm() async throws {
        let browser = browser()
        _ = try await browser.signIn("bnv.quantri")
        let unit = try await unit("000.00.00.G09", "CCHC")
        let agency = try await agency("000.00.00.G09")
        let form = try await browser.get("/admin/users/new?agency_id=\(agency.id!)")
        XCTAssertEqual(form.status, .ok)
        XCTAssertFalse(form.body.contains("value=\"system_admin\""), "an agency admin is not offered the system admin role")
        let res = try await browser.post("/admin/users", [
            ("username", "bnv.moi"), ("full_name", "Trịnh Văn Mới"), ("position", "Chuyên viên chính"), ("email", ""),
            ("unit_id", unit.id!.uuidString), ("roles[]", "specialist"), ("roles[]", "clerk"), ("password", "BatDau2026x"),
            ("agency_id", agency.id!.uuidString),
        ])
        XCTAssertEqual(res.status, .seeOther, res.body)
        let created = try await user("bnv.moi")
        XCTAssertEqual(created.roles, [.specialist, .clerk])
        let list = try await browser.get("/admin/users")
        XCTAssertTrue(list.body.contains("Trịnh Văn Mới"))
    }

    func test_accountPageChangesPasswordAndKeepsTheSession() async throws {
        let browser = browser()
        _ = try await browser.signIn("btp.chuyenvien")
        try await browser.get("/account")
        let mismatch = try await browser.post("/account/password", [("current_password", DemoSeed.password), ("new_password", "MoiMoi2026"), ("new_password_confirm", "Khac2026")])
        XCTAssertEqual(mismatch.status, .unprocessableEntity)
        let res = try await browser.post("/account/password", [("current_password", DemoSeed.password), ("new_password", "MoiMoi2026"), ("new_password_confirm", "MoiMoi2026")])
        XCTAssertEqual(res.status, .seeOther)
        let account = try await browser.get("/account")
        XCTAssertEqual(account.status, .ok)
        XCTAssertTrue(account.body.contains("Đã đổi mật khẩu."))
        // Another browser signed in earlier would have lost its session; the new password works.
        let other = self.browser()
        let signIn = try await other.signIn("btp.chuyenvien", password: "MoiMoi2026")
        XCTAssertEqual(signIn.status, .seeOther)
    }

    func test_sessionCookieDoesNotAuthoriseTheAPI() async throws {
        let browser = browser()
        _ = try await browser.signIn("admin")
        let res = try await browser.get("/api/v1/me")
        XCTAssertEqual(res.status, .unauthorized)
        let agency = try await agency("000.00.00.H49")
        let forged = try await browser.post("/api/v1/agencies/\(agency.id!)/units", [("code", "CSRF"), ("name", "Qua API")])
        XCTAssertEqual(forged.status, .unauthorized)
        do { let value = try await AgencyUnit.query(on: app.db).filter(\.$code == "CSRF").count(); XCTAssertEqual(value, 0) }
    }

    func test_agencyAdminIsNotOfferedActionsOnTheSystemAdminAccount() async throws {
        let browser = browser()
        _ = try await browser.signIn("vpcp.quantri")
        let admin = try await user("admin")
        let page = try await browser.get("/admin/users/\(admin.id!)")
        XCTAssertEqual(page.status, .ok)
        XCTAssertFalse(page.body.contains("/reset-password"))
        let res = try await browser.post("/admin/users/\(admin.id!)/deactivate", [])
        XCTAssertEqual(res.status, .forbidden)
        do { let value = try await user("admin").isActive; XCTAssertTrue(value) }
    }

    func test_sessionEndsAfterTwelveHours() async throws {
        let browser = browser()
        _ = try await browser.signIn("admin")
        do { let value = try await browser.get("/admin/agencies").status; XCTAssertEqual(value, .ok) }
        clock.advance(12 * 3600 + 60)
        do { let value = try await browser.get("/admin/agencies").status; XCTAssertEqual(value, .seeOther) }
    }

    func test_signOutEndsTheSession() async throws {
        let browser = browser()
        _ = try await browser.signIn("admin")
        try await browser.get("/")
        let out = try await browser.post("/sign-out", [])
        XCTAssertEqual(out.status, .seeOther)
        let after = try await browser.get("/admin/agencies")
        XCTAssertEqual(after.status, .seeOther)
    }

    func test_twoStepSignInWithTOTP() async throws {
        let browser = browser()
        _ = try await browser.signIn("vpcp.vanthu")
        try await browser.get("/account")
        _ = try await browser.post("/account/totp/start", [])
        let account = try await browser.get("/account")
        let secret = try XCTUnwrap(account.body.range(of: #"<code id="totp-secret">([A-Z2-7]+)</code>"#, options: .regularExpression)
            .map { String(account.body[$0]).replacingOccurrences(of: "<code id=\"totp-secret\">", with: "").replacingOccurrences(of: "</code>", with: "") })
        let totp = TOTPHelper.code(secret: secret, at: clock.now)
        let confirm = try await browser.post("/account/totp/confirm", [("code", totp)])
        XCTAssertEqual(confirm.status, .seeOther)

        let second = self.browser()
        let step1 = try await second.signIn("vpcp.vanthu")
        XCTAssertEqual(step1.headers.first(name: .location)?.hasPrefix("/sign-in/totp"), true)
        try await second.get("/sign-in/totp?next=/")
        let wrong = try await second.post("/sign-in/totp", [("code", totp == "000000" ? "111111" : "000000"), ("next", "/")])
        XCTAssertEqual(wrong.status, .unauthorized)
        let ok = try await second.post("/sign-in/totp", [("code", totp), ("next", "/")])
        XCTAssertEqual(ok.status, .seeOther)
        do { let value = try await second.get("/").body.contains("current-user"); XCTAssertTrue(value) }
    }
}

import EGovCore
enum TOTPHelper {
    static func code(secret: String, at date: Date) -> String { TOTP(secret: Base32.decode(secret)!).code(at: date) }
}
