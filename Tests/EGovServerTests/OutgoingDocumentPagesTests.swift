import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// An outgoing document from draft to issued and signed, entirely through the web UI.
final class OutgoingDocumentPagesTests: EGovTestCase {
    func test_specialistUnitHeadLeaderAndClerkTakeADraftToIssuedInTheWebUI() async throws {
        let kstt = try await unit("000.00.00.H49", "KSTT")

        let specialist = browser()
        _ = try await specialist.signIn("quangninh.chuyenvien")
        var page = try await specialist.get("/documents/outgoing/new")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("Soạn văn bản đi"))
        var response = try await upload("/documents/outgoing", as: nil, field: "attachments[]", fileName: "Công văn đôn đốc.pdf", data: samplePDF,
                                        extraFields: [("_csrf", specialist.lastCSRF ?? ""), ("type_code", "official_letter"),
                                                      ("subject", "Về việc đôn đốc cập nhật cơ sở dữ liệu cán bộ"), ("urgency", "urgent"),
                                                      ("confidentiality", "normal"), ("page_count", "2"), ("recipient_unit_ids[]", kstt.id!.uuidString),
                                                      ("recipient_agency_codes[]", "000.00.01.H49"), ("external_recipients", "Lưu: VT, TH.")],
                                        cookie: specialist.cookie)
        XCTAssertEqual(response.status, .seeOther, response.body)
        let path = try XCTUnwrap(response.headers.first(name: .location))
        page = try await specialist.get(path)
        XCTAssertTrue(page.body.contains("Công văn đôn đốc.pdf"), page.body)
        XCTAssertTrue(page.body.contains("Chưa ký số"))
        XCTAssertTrue(page.body.contains("Sở Nội vụ tỉnh Quảng Ninh"))
        // Edit the draft through its form, then submit.
        page = try await specialist.get("\(path)/edit")
        XCTAssertEqual(page.status, .ok)
        response = try await specialist.post("\(path)/edit", [("type_code", "official_letter"), ("subject", "Về việc đôn đốc cập nhật cơ sở dữ liệu cán bộ, công chức"),
                                                             ("urgency", "urgent"), ("confidentiality", "normal"), ("page_count", "2"),
                                                             ("recipient_agency_codes[]", "000.00.01.H49"), ("external_recipients", "Lưu: VT, TH.")])
        XCTAssertEqual(response.status, .seeOther, response.body)
        _ = try await specialist.get(path)
        response = try await specialist.post("\(path)/submit", [("note", "")])
        XCTAssertEqual(response.status, .seeOther, response.body)

        let head = browser()
        _ = try await head.signIn("quangninh.truongphong")
        page = try await head.get("/inbox")
        XCTAssertTrue(page.body.contains(path), "the draft waits in the unit head's inbox")
        _ = try await head.get(path)
        response = try await head.post("\(path)/approve", [("note", "Đồng ý.")])
        XCTAssertEqual(response.status, .seeOther, response.body)

        let leader = browser()
        _ = try await leader.signIn("quangninh.lanhdao")
        page = try await leader.get(path)
        XCTAssertTrue(page.body.contains("signing_mark"), "the signing form is offered")
        // One click signs nothing: without the confirmation the page says what is missing.
        response = try await leader.post("\(path)/sign", [("signing_mark", "KT.")])
        XCTAssertEqual(response.status, .unprocessableEntity, response.body)
        XCTAssertTrue(response.body.contains("Cần xác nhận trước khi ký số"), response.body)
        do { let value = try await OutgoingDocument.query(on: app.db).first()?.state; XCTAssertEqual(value, "approved") }
        // The confirmation step shows the block as it will be signed, then signs.
        page = try await leader.get("\(path)/sign?signing_mark=KT.&head_title=Ch%E1%BB%A7%20t%E1%BB%8Bch&signer_position=Ph%C3%B3%20Ch%E1%BB%A7%20t%E1%BB%8Bch")
        XCTAssertEqual(page.status, .ok, page.body)
        XCTAssertTrue(page.body.contains("KT. CHỦ TỊCH"), page.body)
        XCTAssertTrue(page.body.contains("PHÓ CHỦ TỊCH"))
        XCTAssertTrue(page.body.contains("Xác nhận ký số"))
        XCTAssertFalse(page.body.contains("totp_code"), "no second factor is asked of a leader who has none")
        response = try await leader.post("\(path)/sign", [("signing_mark", "KT."), ("head_title", "Chủ tịch"), ("signer_position", "Phó Chủ tịch"), ("confirm", "true")])
        XCTAssertEqual(response.status, .seeOther, response.body)
        page = try await leader.get(path)
        XCTAssertTrue(page.body.contains("Chữ ký số hợp lệ"), page.body)

        let clerk = browser()
        _ = try await clerk.signIn("quangninh.vanthu")
        _ = try await clerk.get(path)
        response = try await clerk.post("\(path)/issue", [])
        XCTAssertEqual(response.status, .seeOther, response.body)
        page = try await clerk.get(path)
        XCTAssertTrue(page.body.contains("Đã cấp số 01/UBND-TH và phát hành."), page.body)
        XCTAssertTrue(page.body.contains("Chữ ký số hợp lệ"))
        page = try await clerk.get("/exchange/outbox")
        XCTAssertTrue(page.body.contains("01/UBND-TH"))
        XCTAssertTrue(page.body.contains("Chờ gửi"))
        page = try await clerk.get("/documents/outgoing?q=co%20so%20du%20lieu")
        XCTAssertTrue(page.body.contains("01/UBND-TH"))

        // The recipient unit's people see it once issued; a specialist elsewhere does not see drafts.
        do { let value = try await OutgoingDocument.query(on: app.db).first()?.state; XCTAssertEqual(value, "issued") }
        let outsider = browser()
        _ = try await outsider.signIn("dongthap.vanthu")
        do { let value = try await outsider.get(path).status; XCTAssertEqual(value, .notFound) }
        do { let value = try await specialist.post("\(path)/withdraw", [("note", "x")]).status; XCTAssertEqual(value, .conflict) }
    }
}
