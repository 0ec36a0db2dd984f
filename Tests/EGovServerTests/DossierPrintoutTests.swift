import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// The one-stop office's printed forms and its dossier log book.
final class DossierPrintoutTests: EGovTestCase {
    override func setUp() async throws {
        try await super.setUp()
        let sender = RecordingSender()
        app.egovServices.mail = sender
        app.egovServices.textMessages = sender
        // The clock moves by weeks; tokens taken at the start stay valid.
        app.settings.accessTokenLifetime = 120 * 86_400
    }

    let quangNinh = "000.00.00.H49"

    /// The demo association procedure, submitted online by the demo citizen with its three papers.
    func submitAssociation(_ citizen: String) async throws -> DossierDTO {
        let procedure = try await procedureID("1.001776", agency: quangNinh)
        let files = ["don-de-nghi.pdf", "du-thao-dieu-le.pdf", "danh-sach.pdf"].enumerated().map {
            UploadPart(field: "document_\($0.offset + 1)", fileName: $0.element, data: samplePDF)
        }
        let res = try await multipart("/api/v1/portal/dossiers", token: citizen, fields: [
            ("procedure_id", procedure.uuidString), ("ten_hoi", "Hội Nông dân sản xuất giỏi Hạ Long"), ("pham_vi", "Toàn tỉnh"), ("so_hoi_vien", "120"),
        ], files: files)
        XCTAssertEqual(res.status, .created, res.body)
        return try res.json(DossierDTO.self)
    }

    @discardableResult
    func act(_ id: UUID, _ action: String, as token: String, json: [String: String] = [:],
             file: StaticString = #filePath, line: UInt = #line) async throws -> DossierDTO {
        let res = try await api(.POST, "/api/v1/dossiers/\(id)/\(action)", as: token, json: json)
        XCTAssertEqual(res.status, .ok, "\(action): \(res.body)", file: file, line: line)
        return try res.json(DossierDTO.self)
    }

    func printout(_ id: UUID, _ form: String, by browser: Browser) async throws -> TestResponse {
        try await browser.get("/one-stop/dossiers/\(id)/print/\(form)")
    }

    func assertContains(_ body: String, _ parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        for part in parts { XCTAssertTrue(body.contains(part), "missing \"\(part)\"", file: file, line: line) }
    }

    // MARK: The forms of one dossier's journey

    func test_journeyForms_carryTheAgencyHeaderStoredDatesReasonsAndControlSlipLines() async throws {
        let citizen = try await demoApplicantToken()
        let clerk = try await token("quangninh.vanthu")
        let specialist = try await token("quangninh.chuyenvien")
        let homeAffairs = try await token("quangninh.snv.chuyenvien")
        let dossier = try await submitAssociation(citizen)
        let id = dossier.id
        let officer = browser()
        try await officer.signIn("quangninh.vanthu")

        // Before acceptance there is no receipt, and no such thing as an unknown form.
        let early = try await printout(id, "receipt", by: officer)
        XCTAssertEqual(early.status, .conflict)
        assertContains(early.body, ["chưa được tiếp nhận"])
        let unknown = try await printout(id, "invoice", by: officer)
        XCTAssertEqual(unknown.status, .notFound)

        clock.advance(30 * 60) // 09:30
        let accepted = try await act(id, "accept", as: clerk)
        let calendar = try await CalendarService.calendar(on: app.db)
        let promised = calendar.addWorkingDays(30, to: LocalDate(iso: "2026-03-02")!)
        XCTAssertEqual(accepted.promisedDate, promised.iso)
        clock.advance(30 * 60)
        try await act(id, "hand-over", as: clerk) // to the general unit (TH)
        clock.advance(86_400)
        try await act(id, "hand-over", as: specialist) // to the Department of Home Affairs, a day after
        clock.advance(3600)
        try await act(id, "request-supplement", as: homeAffairs, json: ["reason": "Bổ sung biên bản họp ban vận động."])
        clock.advance(86_400)
        let answer = try await multipart("/api/v1/portal/dossiers/\(id)/supplement", token: citizen, fields: [("note", "Gửi biên bản họp")],
                                         files: [UploadPart(field: "files", fileName: "bien-ban.pdf", data: samplePDF)])
        XCTAssertEqual(answer.status, .ok, answer.body)
        let due = try XCTUnwrap(try answer.json(DossierDTO.self).dueDate.flatMap(LocalDate.init(iso:)))

        // Past the due date: the one-stop office apologises with a new working day.
        clock.now = vietnamTime(calendar.addWorkingDays(2, to: due).iso, 10, 0)
        let today = LocalDate.inVietnam(clock.now)
        let newDate = calendar.addWorkingDays(5, to: today)
        try await act(id, "apologise", as: clerk, json: ["new_date": newDate.iso, "reason": "Chờ Sở Nội vụ thẩm định điều lệ."])
        clock.advance(3600)
        try await act(id, "hand-over", as: homeAffairs) // back to the provincial office (VP), late
        clock.advance(3600)
        let finished = try await act(id, "hand-over", as: clerk)
        XCTAssertEqual(finished.status, 9)
        let officerSession = browser()
        try await officerSession.signIn("quangninh.vanthu")
        for form in ["refusal", "stop"] {
            let notYet = try await printout(id, form, by: officerSession)
            XCTAssertEqual(notYet.status, .conflict, form)
        }

        // Receipt: the agency header, the national motto, the stored promised date, the papers received.
        let clerkName = try await user("quangninh.vanthu").fullName
        let receipt = try await printout(id, "receipt", by: officerSession)
        XCTAssertEqual(receipt.status, .ok, receipt.body)
        assertContains(receipt.body, [
            "Ủy ban nhân dân tỉnh Quảng Ninh", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
            "Quảng Ninh, ngày 02 tháng 3 năm 2026", "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", "000.00.00.H49-260302-0001",
            "Trần Văn Công", "1.001776 — Thủ tục thành lập hội", promised.vietnamese, "02/03/2026 09:30:00",
            "don-de-nghi.pdf", "du-thao-dieu-le.pdf", "danh-sach.pdf", clerkName, "In phiếu",
        ])
        for label in dossier.files.map(\.label) { assertContains(receipt.body, [label]) }
        XCTAssertFalse(receipt.body.contains("bien-ban.pdf"), "a supplement is not a paper of the receipt")

        // Supplement request: what, who, when.
        let homeAffairsName = try await user("quangninh.snv.chuyenvien").fullName
        let supplement = try await printout(id, "supplement", by: officerSession)
        XCTAssertEqual(supplement.status, .ok)
        assertContains(supplement.body, ["Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", "Bổ sung biên bản họp ban vận động.", homeAffairsName,
                                         "03/03/2026 11:00:00"])

        // Apology: the old and the new appointment, and why.
        let apology = try await printout(id, "apology", by: officerSession)
        XCTAssertEqual(apology.status, .ok)
        assertContains(apology.body, ["Phiếu xin lỗi và hẹn lại ngày trả kết quả", newDate.vietnamese, promised.vietnamese,
                                      "Chờ Sở Nội vụ thẩm định điều lệ."])

        // Control slip: one line per hand-over, with the timeliness of the part handed on.
        let slip = try await printout(id, "control-slip", by: officerSession)
        XCTAssertEqual(slip.status, .ok)
        assertContains(slip.body, ["Phiếu kiểm soát quá trình giải quyết hồ sơ", "Trước hạn", "Quá hạn"])
        let stored = try await Dossier.find(id, on: app.db)!
        let model = try await DossierPrintouts.build(.controlSlip, dossier: stored, now: clock.now, on: app.db)
        let office = "Bộ phận một cửa — Ủy ban nhân dân tỉnh Quảng Ninh"
        let general = "Phòng Tổng hợp — Ủy ban nhân dân tỉnh Quảng Ninh"
        let provincialOffice = "Văn phòng UBND tỉnh — Ủy ban nhân dân tỉnh Quảng Ninh"
        XCTAssertEqual(model.controlLines.map(\.from), ["Trần Văn Công", office, general, "Sở Nội vụ tỉnh Quảng Ninh", provincialOffice])
        XCTAssertEqual(model.controlLines.map(\.to), [office, general, "Sở Nội vụ tỉnh Quảng Ninh", provincialOffice, office])
        XCTAssertEqual(model.controlLines.map(\.timeliness), ["", "", "Trước hạn", "Quá hạn", "Trước hạn"])
        let specialistName = try await user("quangninh.chuyenvien").fullName
        XCTAssertEqual(model.controlLines.map(\.person), [clerkName, clerkName, specialistName, homeAffairsName, clerkName])
        XCTAssertEqual(model.controlLines.first?.time, "02/03/2026 09:30:00")

        // Who may print: an agency on the route yes; another agency, another applicant, nobody signed in: no.
        let route = browser()
        try await route.signIn("quangninh.snv.chuyenvien")
        let onRoute = try await printout(id, "control-slip", by: route)
        XCTAssertEqual(onRoute.status, .ok)
        let outsider = browser()
        try await outsider.signIn("dongthap.vanthu")
        let foreign = try await printout(id, "receipt", by: outsider)
        XCTAssertEqual(foreign.status, .notFound)
        let anonymous = try await browser().get("/one-stop/dossiers/\(id)/print/receipt")
        XCTAssertEqual(anonymous.status, .seeOther)
        XCTAssertTrue(anonymous.headers.first(name: .location)?.hasPrefix("/sign-in") == true)

        let applicant = browser()
        try await applicant.portalSignIn("congdan@egov.local", password: DemoSeed.password)
        let own = try await applicant.get("/portal/dossiers/\(id)/print/receipt")
        XCTAssertEqual(own.status, .ok, own.body)
        assertContains(own.body, ["Cổng dịch vụ công", "000.00.00.H49-260302-0001", promised.vietnamese, "Ủy ban nhân dân tỉnh Quảng Ninh"])
        let ownNotYet = try await applicant.get("/portal/dossiers/\(id)/print/refusal")
        XCTAssertEqual(ownNotYet.status, .conflict)
        let other = browser()
        try await other.portalSignIn("doanhnghiep@egov.local", password: DemoSeed.password)
        let notTheirs = try await other.get("/portal/dossiers/\(id)/print/receipt")
        XCTAssertEqual(notTheirs.status, .notFound)
        let signedOut = try await browser().get("/portal/dossiers/\(id)/print/receipt")
        XCTAssertEqual(signedOut.status, .seeOther)
        XCTAssertTrue(signedOut.headers.first(name: .location)?.hasPrefix("/portal/sign-in") == true)
    }

    func test_refusalAndStopNotices_stateTheirReasons_onlyWhenTheyApply() async throws {
        let citizen = try await demoApplicantToken()
        let clerk = try await token("quangninh.vanthu")
        let officer = browser()
        try await officer.signIn("quangninh.vanthu")

        let refused = try await submitAssociation(citizen)
        try await act(refused.id, "refuse", as: clerk, json: ["reason": "Hồ sơ không thuộc thẩm quyền giải quyết của UBND tỉnh."])
        let refusal = try await printout(refused.id, "refusal", by: officer)
        XCTAssertEqual(refusal.status, .ok)
        assertContains(refusal.body, ["Phiếu từ chối tiếp nhận giải quyết hồ sơ", "Hồ sơ không thuộc thẩm quyền giải quyết của UBND tỉnh.",
                                      refused.code])
        for form in ["receipt", "control-slip", "apology", "stop"] {
            let notThis = try await printout(refused.id, form, by: officer)
            XCTAssertEqual(notThis.status, .conflict, form)
        }

        let stopped = try await submitAssociation(citizen)
        try await act(stopped.id, "accept", as: clerk)
        try await act(stopped.id, "hand-over", as: clerk)
        try await act(stopped.id, "stop", as: try await token("quangninh.chuyenvien"), json: ["reason": "Ban vận động xin dừng thành lập hội."])
        let notice = try await printout(stopped.id, "stop", by: officer)
        XCTAssertEqual(notice.status, .ok)
        assertContains(notice.body, ["Thông báo dừng xử lý hồ sơ", "Ban vận động xin dừng thành lập hội.", stopped.code])
        let noRefusal = try await printout(stopped.id, "refusal", by: officer)
        XCTAssertEqual(noRefusal.status, .conflict)
    }

    func test_header_putsTheParentAgencyAbove_andDatesTheLineTheVietnameseWay() async throws {
        let homeAffairs = try await agency("000.00.01.H49")
        let header = try await DossierPrintouts.header(agencyID: homeAffairs.id!, date: LocalDate(iso: "2026-02-05")!, on: app.db)
        XCTAssertEqual(header.parentAgencyName, "Ủy ban nhân dân tỉnh Quảng Ninh")
        XCTAssertEqual(header.agencyName, "Sở Nội vụ tỉnh Quảng Ninh")
        XCTAssertEqual(header.dateLine, "Quảng Ninh, ngày 05 tháng 02 năm 2026")
    }

    // MARK: Papers received on paper at the counter

    func test_counterTakesPapersOnPaper_theReceiptListsEachPaperAndHowItCame_onlineCannot() async throws {
        let clerk = try await token("quangninh.vanthu")
        let procedure = try await procedureID("1.001776", agency: quangNinh)
        let fields: [(String, String)] = [
            ("procedure_id", procedure.uuidString), ("channel", "in_person"), ("applicant_name", "Lê Thị Hoa"), ("applicant_phone", "0912345678"),
            ("ten_hoi", "Hội Cựu giáo chức Hạ Long"), ("pham_vi", "Toàn tỉnh"), ("so_hoi_vien", "80"),
        ]
        let draft = UploadPart(field: "document_2", fileName: "du-thao-dieu-le.pdf", data: samplePDF)

        // Nothing ticked: the papers without a file are named.
        let missing = try await multipart("/api/v1/dossiers", token: clerk, fields: fields, files: [draft])
        XCTAssertEqual(missing.status, .unprocessableEntity)
        XCTAssertEqual(Set(missing.error?.fields?.keys.map { $0 } ?? []), ["document_1", "document_3"], missing.body)
        XCTAssertEqual(missing.error?.fields?["document_3"], "Thiếu giấy tờ bắt buộc: Danh sách ban lãnh đạo lâm thời.")

        // Two papers on paper (a checkbox's "on" and JSON-ish "true"), one as a file; unknown ticks are ignored.
        let entered = try await multipart("/api/v1/dossiers", token: clerk,
                                          fields: fields + [("paper_document_1", "on"), ("paper_document_3", "true"), ("paper_document_9", "on")],
                                          files: [draft])
        XCTAssertEqual(entered.status, .created, entered.body)
        let dossier = try entered.json(DossierDTO.self)
        XCTAssertEqual(dossier.papersReceived.map(\.slot), ["document_1", "document_3"])
        XCTAssertEqual(dossier.papersReceived.map(\.label), ["Đơn đề nghị thành lập hội", "Danh sách ban lãnh đạo lâm thời"])
        XCTAssertEqual(dossier.files.map(\.slot), ["document_2"])
        try await act(dossier.id, "accept", as: clerk)

        let officer = browser()
        try await officer.signIn("quangninh.vanthu")
        let receipt = try await printout(dossier.id, "receipt", by: officer)
        XCTAssertEqual(receipt.status, .ok, receipt.body)
        let rows = receipt.body.components(separatedBy: "<tr><td>").dropFirst().map { $0.components(separatedBy: "</tr>")[0] }
        XCTAssertEqual(rows, [
            "1</td><td>Đơn đề nghị thành lập hội</td><td>1 bản chính</td><td>Bản giấy</td>",
            "2</td><td>Dự thảo điều lệ hội</td><td>1 bản chính</td><td>du-thao-dieu-le.pdf</td>",
            "3</td><td>Danh sách ban lãnh đạo lâm thời</td><td>1 bản chính</td><td>Bản giấy</td>",
        ])
        let page = try await officer.get("/one-stop/dossiers/\(dossier.id)")
        assertContains(page.body, ["id=\"papers-received\"", "Bản giấy</span> Đơn đề nghị thành lập hội"])

        // Online, a tick is no paper: the applicant must attach the file.
        let online = try await multipart("/api/v1/portal/dossiers", token: try await demoApplicantToken(),
                                         fields: [("procedure_id", procedure.uuidString), ("ten_hoi", "Hội A"), ("pham_vi", "Toàn tỉnh"), ("so_hoi_vien", "30"),
                                                  ("paper_document_1", "on"), ("paper_document_3", "on")], files: [draft])
        XCTAssertEqual(online.status, .unprocessableEntity)
        XCTAssertEqual(Set(online.error?.fields?.keys.map { $0 } ?? []), ["document_1", "document_3"], online.body)
    }

    // MARK: The log book

    func test_logBook_listsTheAgencysDossiersOfTheRangeInVietnamTime_asPageCSVAndAPI() async throws {
        let citizen = try await demoApplicantToken()
        let clerk = try await token("quangninh.vanthu")
        let first = try await submitAssociation(citizen) // Monday 2 March 09:00
        let acceptedFirst = try await act(first.id, "accept", as: clerk)
        clock.now = vietnamTime("2026-03-31", 23, 30) // still March in Hà Nội, already 16:30 UTC
        let last = try await submitAssociation(citizen)
        clock.now = vietnamTime("2026-04-01", 0, 10) // April in Hà Nội, still 31 March in UTC
        let april = try await submitAssociation(citizen)

        // A dossier of another agency in the same month.
        clock.now = vietnamTime("2026-03-10", 9, 0)
        let printing = try await procedureID("1.003757", agency: "000.00.14.H20")
        let other = try await multipart("/api/v1/portal/dossiers", token: citizen, fields: [("procedure_id", printing.uuidString), ("co_so_in", "Cơ sở in Sen Hồng")],
                                        files: [UploadPart(field: "document_1", fileName: "don.pdf", data: samplePDF),
                                                UploadPart(field: "document_2", fileName: "gcn.pdf", data: samplePDF)])
        XCTAssertEqual(other.status, .created, other.body)
        let otherCode = try other.json(DossierDTO.self).code

        clock.now = vietnamTime("2026-04-02", 9, 0)
        let clerkNow = try await token("quangninh.vanthu")
        let march = try await api(.GET, "/api/v1/dossiers/log-book?from=2026-03-01&to=2026-03-31", as: clerkNow)
        XCTAssertEqual(march.status, .ok, march.body)
        let rows = try march.json([DossierLogBook.Row].self)
        XCTAssertEqual(rows.map(\.code), [first.code, last.code])
        XCTAssertEqual(rows.map(\.number), [1, 2])
        XCTAssertEqual(rows[0].promisedDate, acceptedFirst.promisedDate)
        XCTAssertEqual(rows[0].procedureCode, "1.001776")
        XCTAssertEqual(rows[0].statusLabel, "Đã tiếp nhận")
        XCTAssertEqual(rows[0].timelinessLabel, "Trong hạn")
        let aprilRows = try await api(.GET, "/api/v1/dossiers/log-book?from=2026-04-01&to=2026-04-30", as: clerkNow).json([DossierLogBook.Row].self)
        XCTAssertEqual(aprilRows.map(\.code), [april.code])
        let byDefault = try await api(.GET, "/api/v1/dossiers/log-book", as: clerkNow).json([DossierLogBook.Row].self)
        XCTAssertEqual(byDefault.map(\.code), [april.code], "by default: this month up to today")

        // Each agency keeps its own book.
        let otherBook = try await api(.GET, "/api/v1/dossiers/log-book?from=2026-03-01&to=2026-03-31", as: try await token("dongthap.stttt.vanthu"))
            .json([DossierLogBook.Row].self)
        XCTAssertEqual(otherBook.map(\.code), [otherCode])
        let emptyBook = try await api(.GET, "/api/v1/dossiers/log-book?from=2026-03-01&to=2026-03-31", as: try await token("dongthap.vanthu"))
            .json([DossierLogBook.Row].self)
        XCTAssertEqual(emptyBook.count, 0)

        // CSV: BOM, header, one line per dossier.
        let csv = try await api(.GET, "/api/v1/dossiers/log-book?from=2026-03-01&to=2026-03-31&format=csv", as: clerkNow)
        XCTAssertEqual(csv.headers.contentType?.subType, "csv")
        XCTAssertTrue(csv.body.hasPrefix("\u{FEFF}STT,Mã hồ sơ,Người nộp"), csv.body)
        let csvLines = csv.body.split(separator: "\r\n")
        XCTAssertEqual(csvLines.count, 3)
        XCTAssertTrue(csvLines[1].hasPrefix("1,\(first.code),Trần Văn Công"), String(csvLines[1]))
        XCTAssertTrue(csvLines[2].contains("31/03/2026 23:30:00"), String(csvLines[2]))

        // The printable page and its CSV, for the signed-in officer.
        let officer = browser()
        try await officer.signIn("quangninh.vanthu")
        let page = try await officer.get("/one-stop/log-book?from=2026-03-01&to=2026-03-31")
        XCTAssertEqual(page.status, .ok, page.body)
        assertContains(page.body, ["SỔ THEO DÕI HỒ SƠ", "Từ ngày 01/03/2026 đến ngày 31/03/2026 — 2 hồ sơ", first.code, last.code, "In sổ"])
        XCTAssertFalse(page.body.contains(april.code))
        XCTAssertFalse(page.body.contains(otherCode))
        let pageCSV = try await officer.get("/one-stop/log-book?from=2026-03-01&to=2026-03-31&format=csv")
        XCTAssertEqual(pageCSV.body, csv.body)

        // Bad ranges say what is wrong.
        for query in ["from=2026-13-01", "from=2026-03-31&to=2026-03-01", "from=2025-01-01&to=2026-03-01"] {
            let bad = try await officer.get("/one-stop/log-book?\(query)")
            XCTAssertEqual(bad.status, .badRequest, query)
            XCTAssertTrue(bad.body.contains("role=\"alert\""), query)
            let badAPI = try await api(.GET, "/api/v1/dossiers/log-book?\(query)", as: clerkNow)
            XCTAssertEqual(badAPI.status, .badRequest, query)
        }
        let badFormat = try await api(.GET, "/api/v1/dossiers/log-book?format=xml", as: clerkNow)
        XCTAssertEqual(badFormat.status, .badRequest)
        let anonymous = try await api(.GET, "/api/v1/dossiers/log-book", as: nil)
        XCTAssertEqual(anonymous.status, .unauthorized)
    }
}
