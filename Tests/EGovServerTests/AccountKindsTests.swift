import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// Citizens and businesses are a separate kind of account from civil servants.
final class AccountKindsTests: EGovTestCase {
    func test_applicantAccountsLiveApartFromCivilServants() async throws {
        let citizen = Applicant()
        citizen.kind = Applicant.Kind.citizen.rawValue
        citizen.fullName = "Lương Thị Dân"
        citizen.email = "dan@example.vn"
        citizen.phone = "0912345678"
        citizen.identityNumber = "022190000123"
        citizen.passwordHash = try app.password.hash("CongDan2026")
        citizen.isActive = true
        try await citizen.create(on: app.db)

        let business = Applicant()
        business.kind = Applicant.Kind.business.rawValue
        business.fullName = "Công ty TNHH Hạ Long Xanh"
        business.email = "lienhe@halongxanh.vn"
        business.identityNumber = "5701234567"
        business.passwordHash = try app.password.hash("DoanhNghiep2026")
        business.isActive = true
        try await business.create(on: app.db)

        // The same e-mail cannot be registered twice.
        let duplicate = Applicant()
        duplicate.kind = Applicant.Kind.citizen.rawValue
        duplicate.fullName = "Người khác"
        duplicate.email = "dan@example.vn"
        duplicate.passwordHash = "x"
        duplicate.isActive = true
        do {
            try await duplicate.create(on: app.db)
            XCTFail("a second applicant with the same e-mail was stored")
        } catch {}

        do { let value = try await Applicant.query(on: app.db).count(); XCTAssertEqual(value, 2) }
        // A citizen's credentials do not open the civil-servant API or pages.
        let res = try await api(.POST, "/api/v1/auth/token", as: nil, json: ["username": "dan@example.vn", "password": "CongDan2026"])
        XCTAssertEqual(res.status, .unauthorized)
        do { let value = try await User.query(on: app.db).filter(\.$email == "dan@example.vn").count(); XCTAssertEqual(value, 0) }
    }

    func test_passwordsAreStoredAsBcryptHashes() async throws {
        let admin = try await user("admin")
        XCTAssertTrue(admin.passwordHash.hasPrefix("$2"), admin.passwordHash)
        XCTAssertFalse(admin.passwordHash.contains(DemoSeed.password))
        XCTAssertTrue(try app.password.verify(DemoSeed.password, created: admin.passwordHash))
    }

    func test_pagesAreBuiltForPhonesAndDesktops() async throws {
        let page = try await browser().get("/sign-in")
        XCTAssertTrue(page.body.contains(#"<meta name="viewport" content="width=device-width, initial-scale=1">"#))
        let css = try await browser().get("/css/app.css")
        XCTAssertEqual(css.status, .ok)
        XCTAssertTrue(css.body.contains("@media"), "the stylesheet adapts to narrow screens")
    }
}
