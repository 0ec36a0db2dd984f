import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// Citizens and businesses are a separate kind of account from civil servants.
final class AccountKindsTests: EGovTestCase {
    func test_applicantAccountsLiveApartFromCivilServants() async throws {
        try await makeApplicant(.citizen, "Lương Thị Dân", email: "dan@example.vn", phone: "0912345678",
                                identityNumber: "022190000123", password: "CongDan2026").create(on: app.db)
        try await makeApplicant(.business, "Công ty TNHH Hạ Long Xanh", email: "lienhe@halongxanh.vn",
                                identityNumber: "5701234567", password: "DoanhNghiep2026").create(on: app.db)

        // The same e-mail cannot be registered twice.
        let duplicate = try makeApplicant(.citizen, "Người khác", email: "dan@example.vn", password: "Khac2026")
        do {
            try await duplicate.create(on: app.db)
            XCTFail("a second applicant with the same e-mail was stored")
        } catch {}

        do { let value = try await Applicant.query(on: app.db).count(); XCTAssertEqual(value, 2 + DemoSeed.applicants.count) }
        // A citizen's credentials do not open the civil-servant API or pages.
        let res = try await api(.POST, "/api/v1/auth/token", as: nil, json: ["username": "dan@example.vn", "password": "CongDan2026"])
        XCTAssertEqual(res.status, .unauthorized)
        do { let value = try await User.query(on: app.db).filter(\.$email == "dan@example.vn").count(); XCTAssertEqual(value, 0) }
    }

    private func makeApplicant(_ kind: Applicant.Kind, _ name: String, email: String, phone: String? = nil,
                               identityNumber: String? = nil, password: String) throws -> Applicant {
        let applicant = Applicant()
        applicant.kind = kind.rawValue
        applicant.fullName = name
        applicant.email = email
        applicant.phone = phone
        applicant.identityNumber = identityNumber
        applicant.passwordHash = try app.password.hash(password)
        applicant.isActive = true
        return applicant
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
