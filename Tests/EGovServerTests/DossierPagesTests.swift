import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// The same journey as DossierJourneyTests, through the web pages: the citizen's portal and the
/// officers' one-stop desk, with sessions and CSRF tokens like a browser.
final class DossierPagesTests: EGovTestCase {
    override func setUp() async throws {
        try await super.setUp()
        let sender = RecordingSender()
        app.egovServices.mail = sender
        app.egovServices.textMessages = sender
    }

    func test_citizenAndOfficersDoTheWholeJourneyInTheWebPages() async throws {
        let procedure = try await procedureID("1.001776", agency: "000.00.00.H49")
        let citizen = browser()
        let signedIn = try await citizen.portalSignIn("congdan@egov.local", password: DemoSeed.password)
        XCTAssertEqual(signedIn.status, .seeOther)

        // Find the procedure without diacritics, open the online form.
        let found = try await citizen.get("/portal/procedures?q=thanh+lap+hoi")
        XCTAssertTrue(found.body.contains("/portal/procedures/\(procedure)"))
        let form = try await citizen.get("/portal/procedures/\(procedure)/submit")
        XCTAssertEqual(form.status, .ok, form.body)
        XCTAssertTrue(form.body.contains("Dự thảo điều lệ hội"))
        XCTAssertTrue(form.body.contains("name=\"document_2[]\""))

        // A missing paper is named and what was typed is kept.
        let fields = [("ten_hoi", "Hội Nông dân sản xuất giỏi"), ("pham_vi", "Toàn tỉnh"), ("so_hoi_vien", "120")]
        let missing = try await postForm(citizen, "/portal/procedures/\(procedure)/submit", fields: fields,
                                         files: [UploadPart(field: "document_1[]", fileName: "don.pdf", data: samplePDF)])
        XCTAssertEqual(missing.status, .unprocessableEntity)
        XCTAssertTrue(missing.body.contains("Thiếu giấy tờ bắt buộc: Dự thảo điều lệ hội."))
        XCTAssertTrue(missing.body.contains("Hội Nông dân sản xuất giỏi"))

        let files = [UploadPart(field: "document_1[]", fileName: "don.pdf", data: samplePDF),
                     UploadPart(field: "document_2[]", fileName: "dieu-le.pdf", data: samplePDF),
                     UploadPart(field: "document_2[]", fileName: "dieu-le-phu-luc.pdf", data: samplePDF),
                     UploadPart(field: "document_3[]", fileName: "danh-sach.pdf", data: samplePDF)]
        let submitted = try await postForm(citizen, "/portal/procedures/\(procedure)/submit", fields: fields, files: files)
        XCTAssertEqual(submitted.status, .seeOther, submitted.body)
        let dossierPath = try XCTUnwrap(submitted.headers.first(name: .location))
        let mine = try await citizen.get(dossierPath)
        XCTAssertTrue(mine.body.contains("000.00.00.H49-260302-0001"))
        XCTAssertTrue(mine.body.contains("dieu-le-phu-luc.pdf"), "two files for one paper")
        let id = try XCTUnwrap(UUID(uuidString: String(dossierPath.split(separator: "/").last!)))

        // The clerk accepts on the desk; the specialist of TH hands it to the Department of Home Affairs.
        let clerk = browser()
        try await clerk.signIn("quangninh.vanthu")
        let desk = try await clerk.get("/one-stop/dossiers")
        XCTAssertTrue(desk.body.contains("000.00.00.H49-260302-0001"))
        _ = try await clerk.get("/one-stop/dossiers/\(id)")
        let accepted = try await clerk.post("/one-stop/dossiers/\(id)/accept", [])
        XCTAssertEqual(accepted.status, .seeOther, accepted.body)
        let page = try await clerk.get("/one-stop/dossiers/\(id)")
        XCTAssertTrue(page.body.contains("Đã tiếp nhận"))
        XCTAssertTrue(page.body.contains("id=\"do-start\""))
        _ = try await clerk.post("/one-stop/dossiers/\(id)/hand-over", [("note", "Chuyển Phòng Tổng hợp")])

        let specialist = browser()
        try await specialist.signIn("quangninh.chuyenvien")
        let held = try await specialist.get("/one-stop/dossiers/\(id)")
        XCTAssertTrue(held.body.contains("id=\"do-hand-over\""), "the unit holding it may hand it on")
        _ = try await specialist.post("/one-stop/dossiers/\(id)/hand-over", [("note", "Đề nghị Sở Nội vụ thẩm định")])

        let department = browser()
        try await department.signIn("quangninh.snv.chuyenvien")
        _ = try await department.get("/one-stop/dossiers/\(id)")
        // A supplement request without its content is refused on the page, then made properly.
        let empty = try await department.post("/one-stop/dossiers/\(id)/request-supplement", [("reason", "")])
        XCTAssertEqual(empty.status, .unprocessableEntity)
        XCTAssertTrue(empty.body.contains("Cần nêu giấy tờ, nội dung cần bổ sung."))
        _ = try await department.post("/one-stop/dossiers/\(id)/request-supplement", [("reason", "Bổ sung biên bản họp ban vận động.")])

        // The citizen answers the supplement request from the dossier page.
        let asked = try await citizen.get("/portal/dossiers/\(id)")
        XCTAssertTrue(asked.body.contains("Bổ sung biên bản họp ban vận động."))
        let answered = try await postForm(citizen, "/portal/dossiers/\(id)/supplement", fields: [("note", "Gửi biên bản")],
                                          files: [UploadPart(field: "files[]", fileName: "bien-ban.pdf", data: samplePDF)])
        XCTAssertEqual(answered.status, .seeOther, answered.body)

        _ = try await department.get("/one-stop/dossiers/\(id)")
        _ = try await department.post("/one-stop/dossiers/\(id)/hand-over", [("note", "Đã thẩm định")])
        _ = try await clerk.get("/one-stop/dossiers/\(id)")
        let finished = try await clerk.post("/one-stop/dossiers/\(id)/hand-over", [("note", "Đã có quyết định")])
        XCTAssertEqual(finished.status, .seeOther)
        _ = try await clerk.get("/one-stop/dossiers/\(id)")
        let returned = try await postForm(clerk, "/one-stop/dossiers/\(id)/return-result", fields: [],
                                          files: [UploadPart(field: "result[]", fileName: "quyet-dinh.pdf", data: samplePDF)])
        XCTAssertEqual(returned.status, .seeOther, returned.body)

        // The citizen sees the result, the whole timeline, and their list.
        let done = try await citizen.get("/portal/dossiers/\(id)")
        XCTAssertTrue(done.body.contains("Đã trả kết quả"))
        XCTAssertTrue(done.body.contains("quyet-dinh.pdf"))
        XCTAssertTrue(done.body.contains("Sở Nội vụ tỉnh Quảng Ninh"))
        XCTAssertTrue(done.body.contains("Đánh giá mức độ hài lòng"))
        // Each label and its value share a row of the .details grid: one <div> a pair, no bare <dt>/<dd>.
        XCTAssertTrue(done.body.contains(#"<div><dt>Trạng thái</dt><dd id="dossier-status">Đã trả kết quả</dd></div>"#))
        XCTAssertNil(done.body.range(of: #"<dl class="details">\s*<dt>"#, options: .regularExpression))
        XCTAssertNil(done.body.range(of: #"</dd>\s*<dt>"#, options: .regularExpression), "a pair outside its <div>")
        // The portal menu links the statistics page.
        XCTAssertTrue(done.body.contains(#"<a class="header-link" href="/portal/statistics">Thống kê</a>"#))
        let list = try await citizen.get("/portal/dossiers")
        XCTAssertTrue(list.body.contains("000.00.00.H49-260302-0001"))
        let stored = try await Dossier.find(id, on: app.db)
        XCTAssertEqual(stored?.status, 10)

        // Another agency's officer and another applicant do not see it.
        let outsider = browser()
        try await outsider.signIn("dongthap.vanthu")
        let hidden = try await outsider.get("/one-stop/dossiers/\(id)")
        XCTAssertEqual(hidden.status, .notFound)
        let business = browser()
        _ = try await business.portalSignIn("doanhnghiep@egov.local", password: DemoSeed.password)
        let foreign = try await business.get("/portal/dossiers/\(id)")
        XCTAssertEqual(foreign.status, .notFound)
        // An officer's session is not an applicant's.
        let officerOnPortal = try await clerk.get("/portal/dossiers")
        XCTAssertEqual(officerOnPortal.status, .seeOther, "sent to the portal's sign-in")
    }

    func test_counterEntryThroughTheDesk() async throws {
        let clerk = browser()
        try await clerk.signIn("quangninh.vanthu")
        let procedure = try await procedureID("2.000908", agency: "000.00.00.H49")
        let desk = try await clerk.get("/one-stop/dossiers")
        XCTAssertTrue(desk.body.contains("2.000908"))
        let form = try await clerk.get("/one-stop/dossiers/new?procedure=\(procedure)")
        XCTAssertEqual(form.status, .ok, form.body)
        XCTAssertTrue(form.body.contains("name=\"paper_document_1\" value=\"on\">"), "the counter may tick a paper as received on paper")
        let bad = try await postForm(clerk, "/one-stop/dossiers", fields: [("procedure_id", procedure.uuidString), ("applicant_name", ""), ("paper_document_1", "on")])
        XCTAssertEqual(bad.status, .unprocessableEntity)
        XCTAssertTrue(bad.body.contains("Cần nhập họ tên người nộp"))
        XCTAssertTrue(bad.body.contains("name=\"paper_document_1\" value=\"on\" checked>"), "the tick survives the error")
        XCTAssertFalse(bad.body.contains("Thiếu giấy tờ bắt buộc"), "a paper ticked is a paper received")
        let unticked = try await postForm(clerk, "/one-stop/dossiers", fields: [("procedure_id", procedure.uuidString), ("applicant_name", "Phạm Thị Lan"),
                                                                               ("applicant_phone", "0912345678")])
        XCTAssertEqual(unticked.status, .unprocessableEntity)
        XCTAssertTrue(unticked.body.contains("Thiếu giấy tờ bắt buộc: Bản chính giấy tờ, văn bản."))
        let saved = try await postForm(clerk, "/one-stop/dossiers", fields: [
            ("procedure_id", procedure.uuidString), ("channel", "in_person"), ("applicant_name", "Phạm Thị Lan"), ("applicant_phone", "0912 345 678"),
            ("paper_document_1", "on"),
        ])
        XCTAssertEqual(saved.status, .seeOther, saved.body)
        let dossier = try await Dossier.query(on: app.db).first()
        XCTAssertEqual(dossier?.applicantPhone, "0912345678")
        XCTAssertEqual(dossier?.channel, "in_person")
        XCTAssertEqual(dossier?.paperSlotList, ["document_1"])
        let scanned = try await postForm(clerk, "/one-stop/dossiers", fields: [
            ("procedure_id", procedure.uuidString), ("channel", "post"), ("applicant_name", "Phạm Văn Minh"), ("applicant_phone", "0912345679"),
        ], files: [UploadPart(field: "document_1[]", fileName: "giay-to.pdf", data: samplePDF)])
        XCTAssertEqual(scanned.status, .seeOther, scanned.body)
        // A specialist has no counter form.
        let specialist = browser()
        try await specialist.signIn("quangninh.chuyenvien")
        let refused = try await specialist.get("/one-stop/dossiers/new?procedure=\(procedure)")
        XCTAssertEqual(refused.status, .forbidden)
    }
}
