import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// Base of the look-up, rating and statistics tests: dossiers driven to an outcome through the API.
class DossierOutcomeTestCase: EGovTestCase {
    var sender: RecordingSender!

    override func setUp() async throws {
        try await super.setUp()
        sender = RecordingSender()
        app.egovServices.mail = sender
        app.egovServices.textMessages = sender
        // The clock moves by days; tokens taken at the start stay valid.
        app.settings.accessTokenLifetime = 90 * 86_400
    }

    /// A procedure of the admin's agency with no processing steps and no required papers:
    /// two hand-overs take an accepted dossier to "processed".
    func quickProcedure(_ code: String, field: String, admin: String = "quangninh.quantri", days: Int = 3) async throws -> UUID {
        let created = try await api(.POST, "/api/v1/procedures", as: try await token(admin), json: [
            "code": code, "name": "Thủ tục \(code)", "field": field, "online_level": "full",
            "channels": "in_person; online", "time_limit_days": String(days),
        ])
        XCTAssertEqual(created.status, .created, created.body)
        return try created.json(ProcedureCatalogueTests.Detail.self).id
    }

    func submitOnline(_ procedure: UUID, as applicant: String = "congdan@egov.local") async throws -> DossierDTO {
        let res = try await multipart("/api/v1/portal/dossiers", token: try await demoApplicantToken(applicant), fields: [("procedure_id", procedure.uuidString)])
        XCTAssertEqual(res.status, .created, res.body)
        return try res.json(DossierDTO.self)
    }

    func enterAtCounter(_ procedure: UUID, clerk: String = "quangninh.vanthu", name: String, phone: String, identity: String) async throws -> DossierDTO {
        let res = try await api(.POST, "/api/v1/dossiers", as: try await token(clerk), json: [
            "procedure_id": procedure.uuidString, "channel": "in_person", "applicant_name": name,
            "applicant_phone": phone, "applicant_identity": identity,
        ])
        XCTAssertEqual(res.status, .created, res.body)
        return try res.json(DossierDTO.self)
    }

    @discardableResult
    func officer(_ action: String, _ id: UUID, as username: String = "quangninh.vanthu", json: [String: String] = [:],
                 file: StaticString = #filePath, line: UInt = #line) async throws -> DossierDTO {
        let res = try await api(.POST, "/api/v1/dossiers/\(id)/\(action)", as: try await token(username), json: json)
        XCTAssertEqual(res.status, .ok, "\(action): \(res.body)", file: file, line: line)
        return try res.json(DossierDTO.self)
    }

    /// Accepted now; processed (status 9) after `days` days.
    @discardableResult
    func acceptAndFinish(_ id: UUID, after days: Int = 0, clerk: String = "quangninh.vanthu") async throws -> DossierDTO {
        try await officer("accept", id, as: clerk)
        try await officer("hand-over", id, as: clerk)
        clock.advance(TimeInterval(days) * 86_400)
        let finished = try await officer("hand-over", id, as: clerk)
        XCTAssertEqual(finished.status, 9)
        return finished
    }

    @discardableResult
    func returnResult(_ id: UUID, clerk: String = "quangninh.vanthu") async throws -> DossierDTO {
        let res = try await multipart("/api/v1/dossiers/\(id)/return-result", token: try await token(clerk),
                                      files: [UploadPart(field: "result", fileName: "ket-qua.pdf", data: samplePDF)])
        XCTAssertEqual(res.status, .ok, res.body)
        return try res.json(DossierDTO.self)
    }

    /// The applicant answers a supplement request.
    func supplement(_ id: UUID, as applicant: String = "congdan@egov.local") async throws {
        let res = try await multipart("/api/v1/portal/dossiers/\(id)/supplement", token: try await demoApplicantToken(applicant), fields: [("note", "Đã bổ sung")])
        XCTAssertEqual(res.status, .ok, res.body)
    }
}
