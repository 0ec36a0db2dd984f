import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// The same journey as the API tests, through the web UI's forms, as each person would do it.
final class IncomingDocumentPagesTests: EGovTestCase {
    let province = "000.00.00.H49"

    func test_clerkLeaderUnitHeadAndSpecialistTakeADocumentToDoneInTheWebUI() async throws {
        let leaderUser = try await user("quangninh.lanhdao")
        let specialistUser = try await user("quangninh.chuyenvien")
        let th = try await unit(province, "TH")

        // The clerk registers it, with a PDF, through the multipart form.
        let clerk = browser()
        _ = try await clerk.signIn("quangninh.vanthu")
        var page = try await clerk.get("/documents/incoming/new")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("Vào sổ văn bản đến"))
        let fields: [(String, String)] = [
            ("_csrf", clerk.lastCSRF ?? ""), ("sender_agency_code", "000.00.00.G09"), ("number_notation", "125/QĐ-BNV"),
            ("type_code", "decision"), ("issued_date", "2026-02-25"), ("arrival_date", "2026-03-02"),
            ("subject", "Quyết định về việc giao chỉ tiêu biên chế công chức năm 2026"), ("signer_name", "Trần Văn Hải"),
            ("signer_position", "Thứ trưởng"), ("urgency", "urgent"), ("confidentiality", "normal"), ("page_count", "3"), ("due_date", ""),
        ]
        var response = try await upload("/documents/incoming", as: nil, field: "attachments[]", fileName: "QĐ 125 BNV.pdf", data: samplePDF,
                                        extraFields: fields, cookie: clerk.cookie)
        XCTAssertEqual(response.status, .seeOther, response.body)
        let location = try XCTUnwrap(response.headers.first(name: .location))
        page = try await clerk.get(location)
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("Đã vào sổ văn bản đến số 1/2026"), page.body)
        XCTAssertTrue(page.body.contains("QĐ 125 BNV.pdf"))
        XCTAssertTrue(page.body.contains("Khẩn"))
        let doc = try await IncomingDocument.query(on: app.db).first()!
        let path = "/documents/incoming/\(doc.id!)"

        // The list shows it; the clerk presents it to the leader.
        page = try await clerk.get("/documents/incoming?q=bien%20che")
        XCTAssertTrue(page.body.contains("125/QĐ-BNV"))
        page = try await clerk.get(path)
        response = try await clerk.post("\(path)/present", [("leader_id", leaderUser.id!.uuidString), ("note", "Kính trình đồng chí.")])
        XCTAssertEqual(response.status, .seeOther, response.body)

        // The leader sees it in the inbox and directs it to Phòng Tổng hợp with a deadline.
        let leader = browser()
        _ = try await leader.signIn("quangninh.lanhdao")
        page = try await leader.get("/inbox")
        XCTAssertTrue(page.body.contains(path), page.body)
        page = try await leader.get(path)
        XCTAssertTrue(page.body.contains("lead_unit_id"), "the direction form is offered")
        response = try await leader.post("\(path)/direct", [("lead_unit_id", th.id!.uuidString), ("deadline_working_days", "5"),
                                                          ("note", "Giao Phòng Tổng hợp tham mưu.")])
        XCTAssertEqual(response.status, .seeOther, response.body)

        // The unit head assigns the specialist.
        let head = browser()
        _ = try await head.signIn("quangninh.truongphong")
        page = try await head.get("/inbox")
        XCTAssertTrue(page.body.contains(path))
        page = try await head.get(path)
        XCTAssertTrue(page.body.contains("09/03/2026"), "the deadline is shown as a Vietnamese date")
        response = try await head.post("\(path)/assign", [("assignee_id", specialistUser.id!.uuidString), ("note", "")])
        XCTAssertEqual(response.status, .seeOther, response.body)

        // The specialist downloads the file, records progress and finishes.
        let specialist = browser()
        _ = try await specialist.signIn("quangninh.chuyenvien")
        page = try await specialist.get(path)
        XCTAssertEqual(page.status, .ok)
        let attachment = try await DocumentAttachment.query(on: app.db).first()!
        let download = try await specialist.get("/documents/attachments/\(attachment.id!)")
        XCTAssertEqual(download.status, .ok)
        XCTAssertEqual(download.body, String(decoding: samplePDF, as: UTF8.self))
        XCTAssertTrue(download.headers.first(name: .contentDisposition)?.contains("filename*=UTF-8''Q%C4%90%20125%20BNV.pdf") ?? false,
                      download.headers.first(name: .contentDisposition) ?? "")
        response = try await specialist.post("\(path)/progress", [("note", "")])
        XCTAssertEqual(response.status, .unprocessableEntity, "progress needs a note")
        XCTAssertTrue(response.body.contains("Cần nhập nội dung tiến độ."))
        // A long Vietnamese note is about 17 KB once URL-encoded: still accepted.
        response = try await specialist.post("\(path)/progress", [("note", String(repeating: "Đang tổng hợp số liệu. ", count: 86))])
        XCTAssertEqual(response.status, .seeOther, response.body)
        response = try await specialist.post("\(path)/finish", [("note", "Đã tham mưu Công văn trả lời.")])
        XCTAssertEqual(response.status, .seeOther)
        page = try await specialist.get(path)
        XCTAssertTrue(page.body.contains("Đã hoàn thành"))
        XCTAssertTrue(page.body.contains("Đã tham mưu Công văn trả lời."))
        do { let value = try await IncomingDocument.find(doc.id, on: app.db)?.state; XCTAssertEqual(value, "done") }

        // The printable direction slip carries the leader's direction.
        page = try await clerk.get("\(path)/slip")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN"))
        XCTAssertTrue(page.body.contains("Giao Phòng Tổng hợp tham mưu."))
    }

    func test_theOnlyLeaderIsPreselected_andDirectingAgainKeepsCooperatingUnitsAndDeadline() async throws {
        let doc = try await registerIncoming(as: "quangninh.vanthu")
        let path = "/documents/incoming/\(doc.id)"
        let leaderUser = try await user("quangninh.lanhdao")
        let (th, kstt) = (try await unit(province, "TH"), try await unit(province, "KSTT"))
        let clerk = browser()
        _ = try await clerk.signIn("quangninh.vanthu")
        let page = try await clerk.get(path)
        XCTAssertTrue(page.body.contains(#"<option value="\#(leaderUser.id!)" selected>"#), "one leader: already chosen")
        _ = try await clerk.post("\(path)/present", [("leader_id", leaderUser.id!.uuidString)])

        let leader = browser()
        _ = try await leader.signIn("quangninh.lanhdao")
        _ = try await leader.get(path)
        let directed = try await leader.post("\(path)/direct", [("lead_unit_id", th.id!.uuidString), ("cooperating_unit_ids[]", kstt.id!.uuidString),
                                                               ("deadline", "2026-03-20"), ("note", "Giao Phòng Tổng hợp.")])
        XCTAssertEqual(directed.status, .seeOther, directed.body)
        let again = try await leader.get(path)
        XCTAssertTrue(again.body.contains(#"value="\#(kstt.id!)" checked>"#), "the cooperating unit stays ticked")
        XCTAssertFalse(again.body.contains(#"value="\#(th.id!)" checked>"#))
        XCTAssertTrue(again.body.contains(#"name="deadline" value="2026-03-20""#), "the deadline stays")
        XCTAssertTrue(again.body.contains(#"<option value="\#(th.id!)" selected>"#))
    }

    func test_registrationFormShowsErrorsAndTheEarlierEntryOfADuplicate() async throws {
        let clerk = browser()
        _ = try await clerk.signIn("quangninh.vanthu")
        _ = try await clerk.get("/documents/incoming/new")
        var response = try await clerk.post("/documents/incoming", [("sender_agency_code", "000.00.00.G09"), ("number_notation", "không có số"),
                                                                 ("issued_date", ""), ("subject", "")])
        XCTAssertEqual(response.status, .unprocessableEntity)
        XCTAssertTrue(response.body.contains("không đúng dạng"), response.body)
        XCTAssertTrue(response.body.contains("Cần nhập trích yếu nội dung."))
        let valid: [(String, String)] = [("sender_agency_code", "000.00.00.G09"), ("number_notation", "125/QĐ-BNV"), ("type_code", "decision"),
                                         ("issued_date", "2026-02-25"), ("subject", "Quyết định giao biên chế")]
        response = try await clerk.post("/documents/incoming", valid)
        XCTAssertEqual(response.status, .seeOther, response.body)
        _ = try await clerk.get("/documents/incoming/new")
        response = try await clerk.post("/documents/incoming", valid)
        XCTAssertEqual(response.status, .conflict)
        let earlier = try await IncomingDocument.query(on: app.db).first()!
        XCTAssertTrue(response.body.contains("/documents/incoming/\(earlier.id!)"), "links to the earlier registration")
        XCTAssertTrue(response.body.contains("đã được vào sổ đến số 1/2026"))
        // A text file named .pdf is refused by its content.
        _ = try await clerk.get("/documents/incoming/new")
        response = try await upload("/documents/incoming", as: nil, field: "attachments[]", fileName: "giả.pdf", data: Data("xin chào".utf8),
                                    extraFields: [("_csrf", clerk.lastCSRF ?? "")] + valid.map { $0.0 == "number_notation" ? ($0.0, "126/QĐ-BNV") : $0 },
                                    cookie: clerk.cookie)
        XCTAssertEqual(response.status, .unprocessableEntity)
        XCTAssertTrue(response.body.contains("không phải PDF"), response.body)
        do { let value = try await IncomingDocument.query(on: app.db).count(); XCTAssertEqual(value, 1) }
    }

    func test_pagesRefuseWhatTheRulesForbid() async throws {
        let doc = try await registerIncoming(as: "quangninh.vanthu")
        let specialist = browser()
        _ = try await specialist.signIn("quangninh.chuyenvien")
        do { let value = try await specialist.get("/documents/incoming/\(doc.id)").status; XCTAssertEqual(value, .notFound) }
        do { let value = try await specialist.get("/documents/incoming/new").status; XCTAssertEqual(value, .forbidden) }
        let other = browser()
        _ = try await other.signIn("dongthap.vanthu")
        do { let value = try await other.get("/documents/incoming/\(doc.id)").status; XCTAssertEqual(value, .notFound) }
        do { let value = try await other.post("/documents/incoming/\(doc.id)/withdraw", [("note", "x")]).status; XCTAssertEqual(value, .notFound) }
        let list = try await other.get("/documents/incoming")
        XCTAssertFalse(list.body.contains(doc.id.uuidString))
        // The clerk's move form without a CSRF token is refused.
        let clerk = browser()
        _ = try await clerk.signIn("quangninh.vanthu")
        do { let value = try await clerk.post("/documents/incoming/\(doc.id)/withdraw", [("note", "x")], csrf: "forged").status; XCTAssertEqual(value, .forbidden) }
        do { let value = try await IncomingDocument.find(doc.id, on: app.db)?.state; XCTAssertEqual(value, "registered") }
    }
}
