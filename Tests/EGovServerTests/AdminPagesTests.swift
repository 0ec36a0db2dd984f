import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// Each admin task done the way a person does it: open the form, change it, save.
final class AdminPagesTests: EGovTestCase {
    func test_systemAdminEditsAnAgency() async throws {
        let browser = browser()
        _ = try await browser.signIn("admin")
        let agency = try await agency("000.00.01.H49")
        let form = try await browser.get("/admin/agencies/\(agency.id!)/edit")
        XCTAssertEqual(form.status, .ok)
        let res = try await browser.post("/admin/agencies/\(agency.id!)", [
            ("name", "Sở Nội vụ tỉnh Quảng Ninh"), ("address", "Số 1 đường Mới"), ("email", "snv@quangninh.gov.vn"),
            ("phone", "0203 000"), ("website", "https://snv.quangninh.gov.vn"), ("is_active", "true"),
        ])
        XCTAssertEqual(res.status, .seeOther, res.body)
        let saved = try await self.agency("000.00.01.H49")
        XCTAssertEqual(saved.address, "Số 1 đường Mới")
        XCTAssertTrue(saved.isActive)
        let list = try await browser.get("/admin/agencies?q=so%20noi%20vu")
        XCTAssertTrue(list.body.contains("Sở Nội vụ tỉnh Quảng Ninh"))
        XCTAssertFalse(list.body.contains("Bộ Tư pháp"))
    }

    func test_agencyAdminRenamesAndDeactivatesAUnit() async throws {
        let browser = browser()
        _ = try await browser.signIn("dongthap.quantri")
        let unit = try await unit("000.00.00.H20", "TH")
        let form = try await browser.get("/admin/units/\(unit.id!)/edit")
        XCTAssertEqual(form.status, .ok)
        let bad = try await browser.post("/admin/units/\(unit.id!)", [("code", "T H!"), ("name", "")])
        XCTAssertEqual(bad.status, .unprocessableEntity)
        XCTAssertTrue(bad.body.contains("Cần nhập tên đơn vị."))
        let res = try await browser.post("/admin/units/\(unit.id!)", [("code", "TH"), ("name", "Phòng Tổng hợp - Thư ký")])
        XCTAssertEqual(res.status, .seeOther)
        let saved = try await AgencyUnit.find(unit.id, on: app.db)!
        XCTAssertEqual(saved.name, "Phòng Tổng hợp - Thư ký")
        XCTAssertFalse(saved.isActive, "an unticked checkbox deactivates the unit")
    }

    func test_agencyAdminUpdatesResetsAndReactivatesAUser() async throws {
        let browser = browser()
        _ = try await browser.signIn("btp.quantri")
        let target = try await user("btp.chuyenvien")
        let unit = try await unit("000.00.00.G13", "VP")
        let page = try await browser.get("/admin/users/\(target.id!)")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("/reset-password"))
        let update = try await browser.post("/admin/users/\(target.id!)", [
            ("full_name", "Đỗ Bảo Ngọc"), ("position", "Chuyên viên chính"), ("email", "ngoc@btp.gov.vn"),
            ("unit_id", unit.id!.uuidString), ("roles[]", "specialist"), ("roles[]", "leader"),
        ])
        XCTAssertEqual(update.status, .seeOther, update.body)
        let updated = try await user("btp.chuyenvien")
        XCTAssertEqual(updated.position, "Chuyên viên chính")
        XCTAssertEqual(updated.roles, [.specialist, .leader])
        XCTAssertEqual(updated.$unit.id, unit.id)

        try await browser.get("/admin/users/\(target.id!)")
        let weak = try await browser.post("/admin/users/\(target.id!)/reset-password", [("password", "123")])
        XCTAssertEqual(weak.status, .unprocessableEntity)
        let reset = try await browser.post("/admin/users/\(target.id!)/reset-password", [("password", "DatLai2026abc")])
        XCTAssertEqual(reset.status, .seeOther)
        let off = try await browser.post("/admin/users/\(target.id!)/deactivate", [])
        XCTAssertEqual(off.status, .seeOther)
        do { let value = try await user("btp.chuyenvien").isActive; XCTAssertFalse(value) }
        let on = try await browser.post("/admin/users/\(target.id!)/activate", [])
        XCTAssertEqual(on.status, .seeOther)
        _ = try await token("btp.chuyenvien", password: "DatLai2026abc")
    }

    func test_adminCannotDeactivateThemself() async throws {
        let browser = browser()
        _ = try await browser.signIn("btp.quantri")
        let me = try await user("btp.quantri")
        let res = try await browser.post("/admin/users/\(me.id!)/deactivate", [])
        XCTAssertEqual(res.status, .conflict)
        do { let value = try await user("btp.quantri").isActive; XCTAssertTrue(value) }
    }

    func test_duplicateUsernameIsShownOnTheForm() async throws {
        let browser = browser()
        _ = try await browser.signIn("btp.quantri")
        let unit = try await unit("000.00.00.G13", "VP")
        try await browser.get("/admin/users/new")
        let res = try await browser.post("/admin/users", [
            ("username", "btp.vanthu"), ("full_name", "Trùng Tên"), ("unit_id", unit.id!.uuidString),
            ("roles[]", "clerk"), ("password", "TrungTen2026"),
        ])
        XCTAssertEqual(res.status, .conflict)
        XCTAssertTrue(res.body.contains("Tên đăng nhập btp.vanthu đã có người dùng."))
    }
}
