import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// A citizen whose online form comes back for a missing paper keeps the files already chosen.
final class DossierKeptUploadsTests: EGovTestCase {
    override func setUp() async throws {
        try await super.setUp()
        let sender = RecordingSender()
        app.egovServices.mail = sender
        app.egovServices.textMessages = sender
    }

    let fields = [("ten_hoi", "Hội Nông dân sản xuất giỏi"), ("pham_vi", "Toàn tỉnh"), ("so_hoi_vien", "120")]

    func test_filesChosenBeforeAMissingPaperAreKept_andGoIntoTheDossier() async throws {
        let procedure = try await procedureID("1.001776", agency: "000.00.00.H49")
        let citizen = browser()
        try await citizen.portalSignIn("congdan@egov.local", password: DemoSeed.password)
        try await citizen.get("/portal/procedures/\(procedure)/submit")
        let path = "/portal/procedures/\(procedure)/submit"

        // Two papers chosen, the third (document_2) forgotten.
        let first = try await postForm(citizen, path, fields: fields, files: [
            UploadPart(field: "document_1[]", fileName: "Đơn đề nghị.pdf", data: samplePDF),
            UploadPart(field: "document_3[]", fileName: "danh-sach.pdf", data: samplePDF),
        ])
        XCTAssertEqual(first.status, .unprocessableEntity)
        XCTAssertTrue(first.body.contains("Thiếu giấy tờ bắt buộc: Dự thảo điều lệ hội."))
        XCTAssertTrue(first.body.contains(#"name="keep_document_1" value="on" checked"#), first.body)
        XCTAssertTrue(first.body.contains("Đơn đề nghị.pdf"))
        XCTAssertTrue(first.body.contains(#"name="keep_document_3" value="on" checked"#))
        XCTAssertFalse(first.body.contains(#"name="keep_document_2""#), "nothing was chosen for the missing paper")

        // Only the missing paper is chosen now; the kept ones come along.
        let second = try await postForm(citizen, path, fields: fields + [("keep_document_1", "on"), ("keep_document_3", "on")],
                                        files: [UploadPart(field: "document_2[]", fileName: "dieu-le.pdf", data: samplePDF)])
        XCTAssertEqual(second.status, .seeOther, second.body)
        let dossierPath = try XCTUnwrap(second.headers.first(name: .location))
        let page = try await citizen.get(dossierPath)
        for name in ["Đơn đề nghị.pdf", "dieu-le.pdf", "danh-sach.pdf"] {
            XCTAssertTrue(page.body.contains(name), "\(name) is in the dossier")
        }

        // Submitted: the kept files are forgotten, so the next form starts empty.
        let again = try await postForm(citizen, path, fields: fields + [("keep_document_1", "on")])
        XCTAssertEqual(again.status, .unprocessableEntity)
        XCTAssertTrue(again.body.contains("Thiếu giấy tờ bắt buộc"), again.body)
        XCTAssertFalse(again.body.contains("keep_document_1"))
    }

    func test_aKeptFileLeftUntickedIsNotSubmitted() async throws {
        let procedure = try await procedureID("1.001776", agency: "000.00.00.H49")
        let citizen = browser()
        try await citizen.portalSignIn("congdan@egov.local", password: DemoSeed.password)
        try await citizen.get("/portal/procedures/\(procedure)/submit")
        let path = "/portal/procedures/\(procedure)/submit"
        _ = try await postForm(citizen, path, fields: fields, files: [UploadPart(field: "document_1[]", fileName: "don.pdf", data: samplePDF)])
        let unticked = try await postForm(citizen, path, fields: fields, files: [
            UploadPart(field: "document_2[]", fileName: "dieu-le.pdf", data: samplePDF),
            UploadPart(field: "document_3[]", fileName: "danh-sach.pdf", data: samplePDF),
        ])
        XCTAssertEqual(unticked.status, .unprocessableEntity)
        XCTAssertTrue(unticked.body.contains("Thiếu giấy tờ bắt buộc: Đơn đề nghị"), unticked.body)
    }

    /// The kept list lives in one person's session: another citizen cannot name those files.
    func test_anotherSessionCannotTakeSomeoneElsesKeptFiles() async throws {
        let procedure = try await procedureID("1.001776", agency: "000.00.00.H49")
        let path = "/portal/procedures/\(procedure)/submit"
        let citizen = browser()
        try await citizen.portalSignIn("congdan@egov.local", password: DemoSeed.password)
        try await citizen.get(path)
        _ = try await postForm(citizen, path, fields: fields, files: [UploadPart(field: "document_1[]", fileName: "don.pdf", data: samplePDF)])

        let other = browser()
        try await other.portalSignIn("congdan@egov.local", password: DemoSeed.password)
        try await other.get(path)
        let attempt = try await postForm(other, path, fields: fields + [("keep_document_1", "on")], files: [
            UploadPart(field: "document_2[]", fileName: "dieu-le.pdf", data: samplePDF),
            UploadPart(field: "document_3[]", fileName: "danh-sach.pdf", data: samplePDF),
        ])
        XCTAssertEqual(attempt.status, .unprocessableEntity, "a second session has nothing kept")
        XCTAssertTrue(attempt.body.contains("Thiếu giấy tờ bắt buộc: Đơn đề nghị"), attempt.body)
    }
}
