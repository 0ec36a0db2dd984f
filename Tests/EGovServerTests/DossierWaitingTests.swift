import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// A dossier waits in the inbox of whoever must move it next, with a count on the home page,
/// and never in anyone else's.
final class DossierWaitingTests: EGovTestCase {
    override func setUp() async throws {
        try await super.setUp()
        let sender = RecordingSender()
        app.egovServices.mail = sender
        app.egovServices.textMessages = sender
    }

    struct Inbox: Decodable {
        let dossiers: [DossierListDTO.Item]
        let dossierCount: Int
        enum CodingKeys: String, CodingKey { case dossiers, dossierCount = "dossier_count" }
    }

    func inbox(_ token: String) async throws -> Inbox {
        let res = try await api(.GET, "/api/v1/inbox", as: token)
        XCTAssertEqual(res.status, .ok, res.body)
        return try res.json(Inbox.self)
    }

    func test_aDossierWaitsForTheOneStopOffice_thenForTheUnitHoldingIt_andOnlyThere() async throws {
        let citizen = try await demoApplicantToken()
        let procedure = try await procedureID("1.001776", agency: "000.00.00.H49")
        let files = [UploadPart(field: "document_1", fileName: "don.pdf", data: samplePDF),
                     UploadPart(field: "document_2", fileName: "dieu-le.pdf", data: samplePDF),
                     UploadPart(field: "document_3", fileName: "danh-sach.pdf", data: samplePDF)]
        let submitted = try await multipart("/api/v1/portal/dossiers", token: citizen,
                                            fields: [("procedure_id", procedure.uuidString), ("ten_hoi", "Hội Khuyến học"), ("pham_vi", "Toàn tỉnh"),
                                                     ("so_hoi_vien", "50")], files: files)
        XCTAssertEqual(submitted.status, .created, submitted.body)
        let dossier = try submitted.json(DossierDTO.self)

        let clerk = try await token("quangninh.vanthu")
        let specialist = try await token("quangninh.chuyenvien")  // unit TH
        let otherAgency = try await token("quangninh.snv.vanthu")

        // New: the one-stop office (the clerk) must accept or refuse it; nobody else.
        var waiting = try await inbox(clerk)
        XCTAssertEqual(waiting.dossierCount, 1)
        XCTAssertEqual(waiting.dossiers.first?.code, dossier.code)
        XCTAssertEqual(waiting.dossiers.first?.procedureName, "Thủ tục thành lập hội")
        do { let count = try await inbox(specialist).dossierCount; XCTAssertEqual(count, 0) }
        do { let count = try await inbox(otherAgency).dossierCount; XCTAssertEqual(count, 0) }

        // Accepted and sent into its first step (unit TH): it now waits for TH's specialist.
        for action in ["accept", "hand-over"] {
            let res = try await api(.POST, "/api/v1/dossiers/\(dossier.id)/\(action)", as: clerk, json: [String: String]())
            XCTAssertEqual(res.status, .ok, "\(action): \(res.body)")
        }
        waiting = try await inbox(specialist)
        XCTAssertEqual(waiting.dossierCount, 1)
        XCTAssertEqual(waiting.dossiers.first?.id, dossier.id)
        do { let count = try await inbox(clerk).dossierCount; XCTAssertEqual(count, 0, "the office's clerk (unit VP) does not hold it") }
        do { let count = try await inbox(otherAgency).dossierCount; XCTAssertEqual(count, 0) }

        // The pages: the specialist's inbox lists it with its procedure, the home page counts it.
        let officer = browser()
        try await officer.signIn("quangninh.chuyenvien")
        let page = try await officer.get("/inbox")
        XCTAssertTrue(page.body.contains(dossier.code), page.body)
        XCTAssertTrue(page.body.contains("Thủ tục thành lập hội"))
        XCTAssertTrue(page.body.contains(#"id="dossier-count">1<"#))
        let home = try await officer.get("/")
        XCTAssertTrue(home.body.contains(#"id="waiting-dossiers">1<"#), home.body)

        // The desk and the citizen's own list name the procedure too.
        let desk = browser()
        try await desk.signIn("quangninh.vanthu")
        let deskPage = try await desk.get("/one-stop/dossiers")
        XCTAssertTrue(deskPage.body.contains("Thủ tục thành lập hội"))
        let mine = try await api(.GET, "/api/v1/portal/dossiers", as: citizen)
        XCTAssertTrue(mine.body.contains(#""procedure_name":"Thủ tục thành lập hội""#), mine.body)
    }
}
