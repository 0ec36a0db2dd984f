import EGovCore
import Fluent
import SQLKit
import XCTest
import XCTVapor
@testable import EGovServer

/// Runs the real `egov` binary against the test's database.
final class CommandLineTests: EGovTestCase {
    func test_auditVerifyPassesOnAnIntactLogAndFailsNamingTheTamperedEntry() async throws {
        let token = try await token("admin")
        try await api(.POST, "/api/v1/agencies", as: token, json: ["code": "000.00.41.H49", "name": "Sở Kiểm tra"])
        let intact = try egov(["audit", "verify"])
        XCTAssertEqual(intact.status, 0, intact.output)
        XCTAssertTrue(intact.output.contains("audit log intact"), intact.output)

        let target = try await AuditEntry.query(on: app.db).filter(\.$action == "agency.create").first()!
        try await sql.raw("UPDATE audit_entries SET details = 'sua-len' WHERE sequence = \(bind: target.id!)").run()
        let broken = try egov(["audit", "verify"])
        XCTAssertNotEqual(broken.status, 0)
        XCTAssertTrue(broken.output.contains("#\(target.id!)"), broken.output)
    }

    func test_calendarOverrideRunsTheUseCaseAsTheNamedAdministrator() async throws {
        let added = try egov(["calendar", "override", "2026-05-04", "day_off", "Nghỉ bù Giỗ Tổ", "--as", "admin"])
        XCTAssertEqual(added.status, 0, added.output)
        let stored = try await CalendarOverrideRecord.query(on: app.db).filter(\.$date == "2026-05-04").first()
        XCTAssertEqual(stored?.name, "Nghỉ bù Giỗ Tổ")
        let entry = try await AuditEntry.query(on: app.db).filter(\.$action == "calendar.override.create").first()
        XCTAssertEqual(entry?.actorName, "admin", "the log names who ran it")
        let holidays = try egov(["calendar", "holidays", "2026"])
        XCTAssertTrue(holidays.output.contains("2026-05-04"), holidays.output)

        // The same rules as the page: only a system administrator, a valid date, one override a date.
        let clerk = try egov(["calendar", "override", "2026-05-05", "day_off", "Nghỉ", "--as", "quangninh.vanthu"])
        XCTAssertNotEqual(clerk.status, 0)
        XCTAssertTrue(clerk.output.contains("Chỉ quản trị hệ thống"), clerk.output)
        let badDate = try egov(["calendar", "override", "05/05/2026", "day_off", "Nghỉ", "--as", "admin"])
        XCTAssertNotEqual(badDate.status, 0)
        XCTAssertTrue(badDate.output.contains("Ngày không hợp lệ"), badDate.output)
        let twice = try egov(["calendar", "override", "2026-05-04", "working_day", "Làm bù", "--as", "admin"])
        XCTAssertNotEqual(twice.status, 0)
        XCTAssertTrue(twice.output.contains("đã có điều chỉnh"), twice.output)
        let nobody = try egov(["calendar", "override", "2026-05-06", "day_off", "Nghỉ"])
        XCTAssertNotEqual(nobody.status, 0)
        let count = try await CalendarOverrideRecord.query(on: app.db).count()
        XCTAssertEqual(count, 1)
    }

    func test_pkiIssuesACertificateThatSignsAndVerifies() async throws {
        let initial = try egov(["pki", "init"])
        XCTAssertEqual(initial.status, 0, initial.output)
        XCTAssertTrue(initial.output.contains("development CA"), initial.output)
        let issued = try egov(["pki", "issue", "quangninh.truongphong", "--days", "30"])
        XCTAssertEqual(issued.status, 0, issued.output)
        XCTAssertTrue(issued.output.contains("quangninh.truongphong"), issued.output)
        let user = try await user("quangninh.truongphong")
        let identity = try await SigningCertificates.current(for: user.id!, keystore: app.egovServices.signingKeystore, on: app.db)
        let signer = try XCTUnwrap(identity)
        XCTAssertEqual(signer.details.username, "quangninh.truongphong")
        let digest = DocumentSigner.sha256Hex(of: samplePDF)
        let signature = try DocumentSigner.sign(contentSHA256: digest, with: signer, at: Date())
        let verdict = await SignatureVerifier.verify(signature, contentSHA256: digest, trustedRoots: app.egovServices.signingKeystore.trustedRoots(), at: Date())
        XCTAssertTrue(verdict.isValid, "\(verdict)")
        // The private key is sealed in the database, never stored in clear.
        let record = try await SigningIdentityRecord.query(on: app.db).filter(\.$userID == user.id!).filter(\.$isActive == true).first()
        XCTAssertFalse(record?.sealedPrivateKey.contains("PRIVATE KEY") ?? true)
        let listed = try egov(["pki", "list"])
        XCTAssertTrue(listed.output.contains("quangninh.truongphong"), listed.output)
        let unknown = try egov(["pki", "issue", "khong.co.ai"])
        XCTAssertNotEqual(unknown.status, 0)
    }

    func test_calendarHolidaysPrintsOneDateAndNamePerLine() async throws {
        let run = try egov(["calendar", "holidays", "2026"])
        XCTAssertEqual(run.status, 0, run.output)
        let lines = run.output.split(separator: "\n").map(String.init)
        XCTAssertTrue(lines.contains("2026-01-01 Tết Dương lịch"), run.output)
        XCTAssertTrue(lines.contains("2026-02-17 Tết Nguyên đán"), run.output)
        XCTAssertTrue(lines.allSatisfy { $0.range(of: #"^\d{4}-\d{2}-\d{2} \S"#, options: .regularExpression) != nil }, run.output)
        let bad = try egov(["calendar", "holidays", "1800"])
        XCTAssertNotEqual(bad.status, 0)
    }
}

final class DemoSeedTests: EGovTestCase {
    func test_seedingTwiceAddsNothing() async throws {
        let agencies = try await Agency.query(on: app.db).count()
        let units = try await AgencyUnit.query(on: app.db).count()
        let users = try await User.query(on: app.db).count()
        try await DemoSeed.run(on: app)
        do { let value = try await Agency.query(on: app.db).count(); XCTAssertEqual(value, agencies) }
        do { let value = try await AgencyUnit.query(on: app.db).count(); XCTAssertEqual(value, units) }
        do { let value = try await User.query(on: app.db).count(); XCTAssertEqual(value, users) }
        XCTAssertEqual(agencies, 7)
    }

    func test_everyAgencyHasOneUserOfEachRole() async throws {
        for agency in try await Agency.query(on: app.db).all() {
            let roles = try await User.query(on: app.db).filter(\.$agency.$id == agency.id!).all().flatMap(\.roles)
            for role in [Role.agencyAdmin, .leader, .clerk, .specialist] {
                XCTAssertEqual(roles.filter { $0 == role }.count, 1, "\(agency.code) \(role)")
            }
        }
        let admin = try await user("admin")
        XCTAssertEqual(admin.roles, [.systemAdmin])
        XCTAssertEqual(admin.fullName, "Nguyễn Quản Trị")
    }
}

final class OpenAPITests: EGovTestCase {
    /// Every registered API route is documented, and the document names no route that does not exist.
    func test_documentCoversExactlyTheRegisteredRoutes() async throws {
        let path = app.directory.resourcesDirectory + "openapi.json"
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let document = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(document["openapi"] as? String, "3.1.0")
        let paths = try XCTUnwrap(document["paths"] as? [String: [String: Any]])
        var documented = Set<String>()
        for (path, operations) in paths {
            for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        let registered = Set(app.routes.all.compactMap { route -> String? in
            let path = "/" + route.path.map { component -> String in
                if case .parameter(let name) = component { return "{\(name)}" }
                return component.description
            }.joined(separator: "/")
            return path.hasPrefix("/api/v1") ? "\(route.method.rawValue) \(path)" : nil
        })
        XCTAssertEqual(registered.subtracting(documented).sorted(), [], "routes missing from openapi.json")
        XCTAssertEqual(documented.subtracting(registered).sorted(), [], "documented routes that do not exist")
        XCTAssertGreaterThan(registered.count, 25)
    }

    func test_documentIsServed() async throws {
        let res = try await api(.GET, "/api/v1/openapi.json", as: nil)
        XCTAssertEqual(res.status, .ok)
        XCTAssertTrue(res.body.contains("\"openapi\""))
    }
}
