import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// The directory and accounts through the API, including every cross-agency path the rules forbid.
final class AgencyAndUserAPITests: EGovTestCase {
    func test_systemAdminCreatesAgencyWithDerivedParent() async throws {
        let token = try await token("admin")
        let res = try await api(.POST, "/api/v1/agencies", as: token, json: ["code": "000.00.15.h20", "name": "Sở Tư pháp tỉnh Đồng Tháp"])
        XCTAssertEqual(res.status, .created, res.body)
        let agency = try res.json(AgencyDTO.self)
        XCTAssertEqual(agency.code, "000.00.15.H20")
        XCTAssertEqual(agency.parentCode, "000.00.00.H20")
        let entry = try await AuditEntry.query(on: app.db).filter(\.$action == "agency.create").first()
        XCTAssertEqual(entry?.objectID, agency.id.uuidString)
        XCTAssertEqual(entry?.actorName, "admin")
    }

    func test_badAgencyCodeIs422WithFieldMessage() async throws {
        let token = try await token("admin")
        let res = try await api(.POST, "/api/v1/agencies", as: token, json: ["code": "000.0.00.G22", "name": "X"])
        XCTAssertEqual(res.status, .unprocessableEntity)
        XCTAssertTrue(res.error?.fields?["code"]?.contains("không đúng dạng") ?? false, res.body)
    }

    func test_duplicateAgencyCodeIs409() async throws {
        let token = try await token("admin")
        let res = try await api(.POST, "/api/v1/agencies", as: token, json: ["code": "000.00.00.G22", "name": "Trùng"])
        XCTAssertEqual(res.status, .conflict)
        XCTAssertEqual(res.error?.error, "agency_code_taken")
    }

    func test_agencyAdminCannotCreateOrChangeAgencies() async throws {
        let token = try await token("quangninh.quantri")
        let create = try await api(.POST, "/api/v1/agencies", as: token, json: ["code": "000.00.09.H49", "name": "Sở mới"])
        XCTAssertEqual(create.status, .forbidden)
        let own = try await agency("000.00.00.H49")
        let patch = try await api(.PATCH, "/api/v1/agencies/\(own.id!)", as: token, json: ["name": "Đổi tên"])
        XCTAssertEqual(patch.status, .forbidden)
        do { let value = try await agency("000.00.00.H49").name; XCTAssertEqual(value, "Ủy ban nhân dân tỉnh Quảng Ninh") }
    }

    func test_agencyCodeCannotBeChanged() async throws {
        let token = try await token("admin")
        let agency = try await agency("000.00.00.H49")
        let res = try await api(.PATCH, "/api/v1/agencies/\(agency.id!)", as: token, json: ["code": "000.00.00.H50"])
        XCTAssertEqual(res.status, .unprocessableEntity)
        let ok = try await api(.PATCH, "/api/v1/agencies/\(agency.id!)", as: token, json: ["phone": "0203 3835 000"])
        XCTAssertEqual(try ok.json(AgencyDTO.self).phone, "0203 3835 000")
    }

    func test_agencyAdminManagesOwnUnits() async throws {
        let token = try await token("quangninh.quantri")
        let own = try await agency("000.00.00.H49")
        let created = try await api(.POST, "/api/v1/agencies/\(own.id!)/units", as: token, json: ["code": "tckt", "name": "Phòng Tài chính - Kế toán"])
        XCTAssertEqual(created.status, .created, created.body)
        let unit = try created.json(UnitDTO.self)
        XCTAssertEqual(unit.code, "TCKT")
        let duplicate = try await api(.POST, "/api/v1/agencies/\(own.id!)/units", as: token, json: ["code": "TCKT", "name": "Khác"])
        XCTAssertEqual(duplicate.status, .conflict)
        let renamed = try await api(.PATCH, "/api/v1/units/\(unit.id)", as: token, json: ["name": "Phòng Kế hoạch - Tài chính"])
        XCTAssertEqual(try renamed.json(UnitDTO.self).name, "Phòng Kế hoạch - Tài chính")
        let list = try await api(.GET, "/api/v1/agencies/\(own.id!)/units", as: token).json([UnitDTO].self)
        XCTAssertTrue(list.contains { $0.code == "TCKT" })
        XCTAssertTrue(list.allSatisfy { $0.agencyID == own.id })
    }

    func test_specialistCannotCreateUnitsEvenInOwnAgency() async throws {
        let token = try await token("quangninh.chuyenvien")
        let own = try await agency("000.00.00.H49")
        let res = try await api(.POST, "/api/v1/agencies/\(own.id!)/units", as: token, json: ["code": "X", "name": "X"])
        XCTAssertEqual(res.status, .forbidden)
    }

    func test_agencyAdminCannotReadOrChangeAnotherAgencysUnits() async throws {
        let token = try await token("quangninh.quantri")
        let other = try await agency("000.00.00.H20")
        let otherUnit = try await unit("000.00.00.H20", "VP")
        do { let value = try await api(.GET, "/api/v1/agencies/\(other.id!)/units", as: token).status; XCTAssertEqual(value, .notFound) }
        do { let value = try await api(.GET, "/api/v1/units/\(otherUnit.id!)", as: token).status; XCTAssertEqual(value, .notFound) }
        do { let value = try await api(.PATCH, "/api/v1/units/\(otherUnit.id!)", as: token, json: ["name": "Bị sửa"]).status; XCTAssertEqual(value, .notFound) }
        do { let value = try await api(.POST, "/api/v1/agencies/\(other.id!)/units", as: token, json: ["code": "X", "name": "X"]).status; XCTAssertEqual(value, .notFound) }
        do { let value = try await unit("000.00.00.H20", "VP").name; XCTAssertEqual(value, "Văn phòng UBND tỉnh") }
    }

    func test_agencyAdminCannotReadOrChangeAnotherAgencysUsers() async throws {
        let token = try await token("quangninh.quantri")
        let other = try await agency("000.00.00.H20")
        let otherUser = try await user("dongthap.chuyenvien")
        do { let value = try await api(.GET, "/api/v1/users?agency_id=\(other.id!)", as: token).status; XCTAssertEqual(value, .notFound) }
        do { let value = try await api(.GET, "/api/v1/users/\(otherUser.id!)", as: token).status; XCTAssertEqual(value, .notFound) }
        do { let value = try await api(.PATCH, "/api/v1/users/\(otherUser.id!)", as: token, json: ["full_name": "Bị sửa"]).status; XCTAssertEqual(value, .notFound) }
        do { let value = try await api(.POST, "/api/v1/users/\(otherUser.id!)/reset-password", as: token, json: ["password": "Chiem2026quyen"]).status; XCTAssertEqual(value, .notFound) }
        do { let value = try await api(.POST, "/api/v1/users/\(otherUser.id!)/deactivate", as: token).status; XCTAssertEqual(value, .notFound) }
        // Creating a user inside another agency's unit is refused too.
        let otherUnit = try await unit("000.00.00.H20", "VP")
        let create = try await api(.POST, "/api/v1/users", as: token, json: UserInputJSON(
            username: "ke.xam.nhap", full_name: "Kẻ Xâm Nhập", unit_id: otherUnit.id!, roles: ["specialist"], password: "XamNhap2026"))
        XCTAssertEqual(create.status, .unprocessableEntity)
        let stillThere = try await user("dongthap.chuyenvien")
        XCTAssertEqual(stillThere.fullName, otherUser.fullName)
        XCTAssertTrue(stillThere.isActive)
    }

    func test_agencyAdminCreatesUserInOwnAgencyButCannotGrantSystemAdmin() async throws {
        let token = try await token("quangninh.quantri")
        let unit = try await unit("000.00.00.H49", "TH")
        let escalate = try await api(.POST, "/api/v1/users", as: token, json: UserInputJSON(
            username: "qn.sieuquantri", full_name: "Siêu Quản Trị", unit_id: unit.id!, roles: ["system_admin"], password: "SieuQT2026"))
        XCTAssertEqual(escalate.status, .forbidden)
        let res = try await api(.POST, "/api/v1/users", as: token, json: UserInputJSON(
            username: "QN.ChuyenVien2", full_name: "Lý Thị Mới", unit_id: unit.id!, roles: ["specialist", "clerk"], password: "ChuyenVien2026"))
        XCTAssertEqual(res.status, .created, res.body)
        let created = try res.json(UserDTO.self)
        XCTAssertEqual(created.username, "qn.chuyenvien2")
        XCTAssertEqual(created.roles, ["clerk", "specialist"])
        _ = try await self.token("qn.chuyenvien2", password: "ChuyenVien2026")
        let missing = try await api(.POST, "/api/v1/users", as: token, json: ["username": "x"])
        XCTAssertEqual(missing.status, .unprocessableEntity)
        XCTAssertNotNil(missing.error?.fields?["full_name"])
        XCTAssertNotNil(missing.error?.fields?["password"])
    }

    func test_specialistCannotListUsers() async throws {
        let token = try await token("quangninh.chuyenvien")
        do { let value = try await api(.GET, "/api/v1/users", as: token).status; XCTAssertEqual(value, .forbidden) }
    }

    func test_directorySearchFoldsDiacritics() async throws {
        let token = try await token("quangninh.chuyenvien")
        let res = try await api(.GET, "/api/v1/agencies?q=dong%20thap", as: token).json([AgencyDTO].self)
        XCTAssertEqual(Set(res.map(\.code)), ["000.00.00.H20", "000.00.14.H20"])
    }
}

struct UserInputJSON: Encodable, Sendable {
    let username: String
    let full_name: String
    let unit_id: UUID
    let roles: [String]
    let password: String
}
