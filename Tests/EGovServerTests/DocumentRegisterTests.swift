import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

final class DocumentRegisterTests: EGovTestCase {
    func test_incomingRegisterHasTenColumnsAsPageAndCSVForADateRange() async throws {
        let leaderUser = try await user("quangninh.lanhdao")
        let th = try await unit("000.00.00.H49", "TH")
        let first = try await registerIncoming(as: "quangninh.vanthu", ["subject": "Về việc \"tổng kết\", năm 2025", "urgency": "flash"])
        _ = try await api(.POST, "/api/v1/incoming-documents/\(first.id)/present", as: try await token("quangninh.vanthu"), json: ["leader_id": leaderUser.id!.uuidString])
        clock.advance(86_400)
        _ = try await api(.POST, "/api/v1/incoming-documents/\(first.id)/direct", as: try await token("quangninh.lanhdao"), json: ["lead_unit_id": th.id!.uuidString])
        clock.now = ISO8601DateFormatter().date(from: "2026-04-01T02:00:00Z")!
        // In April: outside the March register.
        _ = try await registerIncoming(as: "quangninh.vanthu", ["number_notation": "200/QĐ-BNV", "issued_date": "2026-03-30"])

        let clerk = try await token("quangninh.vanthu")
        let lines = try await api(.GET, "/api/v1/registers/incoming?from=2026-03-01&to=2026-03-31", as: clerk).json([DocumentRegisters.IncomingLine].self)
        XCTAssertEqual(lines.count, 1)
        XCTAssertEqual(lines.first?.arrivalNumber, 1)
        XCTAssertEqual(lines.first?.arrivalDate, "02/03/2026")
        XCTAssertEqual(lines.first?.receivingUnit, "Phòng Tổng hợp")
        XCTAssertEqual(lines.first?.handOverDate, "03/03/2026")
        XCTAssertEqual(lines.first?.note, "Hỏa tốc")

        let csv = try await api(.GET, "/api/v1/registers/incoming?from=2026-03-01&to=2026-03-31&format=csv", as: clerk)
        XCTAssertEqual(csv.headers.contentType?.subType, "csv")
        let rows = csv.body.split(separator: "\r\n", omittingEmptySubsequences: true)
        XCTAssertEqual(rows.count, 2)
        XCTAssertTrue(rows[0].hasPrefix("\u{FEFF}Ngày đến,Số đến,Tác giả (nơi gửi),Số, ký hiệu".replacingOccurrences(of: "Số, ký hiệu", with: "\"Số, ký hiệu\"")), String(rows[0]))
        XCTAssertTrue(rows[1].contains("\"Quyết định — Về việc \"\"tổng kết\"\", năm 2025\""), String(rows[1]))

        let browser = browser()
        _ = try await browser.signIn("quangninh.vanthu")
        let page = try await browser.get("/documents/registers/incoming?from=2026-03-01&to=2026-04-30")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"))
        XCTAssertTrue(page.body.contains("Từ ngày 01/03/2026 đến ngày 30/04/2026"))
        XCTAssertEqual(page.body.components(separatedBy: "<th scope=\"col\">").count - 1, 10)
        XCTAssertTrue(page.body.contains("<td>Phòng Tổng hợp</td><td class=\"nowrap\">03/03/2026</td>"), String(page.body.suffix(2500)))

        // Specialists do not print registers; other agencies see nothing of this one; bad ranges are a 400.
        do { let value = try await api(.GET, "/api/v1/registers/incoming", as: try await token("quangninh.chuyenvien")).status; XCTAssertEqual(value, .forbidden) }
        do { let value = try await api(.GET, "/api/v1/registers/incoming?from=2026-03-01&to=2026-03-31", as: try await token("dongthap.vanthu")).json([DocumentRegisters.IncomingLine].self).count; XCTAssertEqual(value, 0) }
        for bad in ["from=2026-03-31&to=2026-03-01", "from=2025-01-01&to=2026-03-01", "from=hôm-nay"] {
            do { let value = try await api(.GET, "/api/v1/registers/incoming?\(bad)", as: clerk).status; XCTAssertEqual(value, .badRequest, bad) }
        }
    }

    func test_csvCellsNeverRunAsFormulas() {
        XCTAssertEqual(CSVTable.cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"")
        XCTAssertEqual(CSVTable.cell("+84 912"), "'+84 912")
        XCTAssertEqual(CSVTable.cell("Bình thường"), "Bình thường")
    }

    func test_outgoingRegisterListsIssuedDocumentsInNumberOrder() async throws {
        let specialist = try await token("quangninh.chuyenvien")
        for subject in ["Công văn thứ nhất", "Công văn thứ hai"] {
            let doc = try await api(.POST, "/api/v1/outgoing-documents", as: specialist,
                                    json: ["subject": subject, "recipient_agency_codes": "000.00.01.H49"]).json(OutgoingDocumentDTO.self)
            _ = try await upload("/api/v1/outgoing-documents/\(doc.id)/attachments", as: specialist, fileName: "cv.pdf", data: samplePDF)
            _ = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/submit", as: specialist, json: [String: String]())
            _ = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/approve", as: try await token("quangninh.truongphong"), json: [String: String]())
            _ = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/sign", as: try await token("quangninh.lanhdao"), json: ["signing_mark": "TL.", "confirm": "true"])
            _ = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/issue", as: try await token("quangninh.vanthu"), json: [String: String]())
        }
        let lines = try await api(.GET, "/api/v1/registers/outgoing?from=2026-03-01&to=2026-03-31", as: try await token("quangninh.lanhdao"))
            .json([DocumentRegisters.OutgoingLine].self)
        XCTAssertEqual(lines.map(\.numberNotation), ["01/UBND-TH", "02/UBND-TH"])
        XCTAssertEqual(lines.first?.recipients, "Sở Nội vụ tỉnh Quảng Ninh")
        XCTAssertTrue(lines.first?.signer.hasPrefix("TL.") ?? false)
        let browser = browser()
        _ = try await browser.signIn("quangninh.vanthu")
        let page = try await browser.get("/documents/registers/outgoing?from=2026-03-01&to=2026-03-31")
        XCTAssertTrue(page.body.contains("<td class=\"nowrap\">02/UBND-TH</td>"), String(page.body.suffix(2500)))
        let csv = try await browser.get("/documents/registers/outgoing?from=2026-03-01&to=2026-03-31&format=csv")
        XCTAssertEqual(csv.body.split(separator: "\r\n").count, 3)
    }
}
