import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// A dossier from the citizen's submission to the result, through two units and another agency.
final class DossierJourneyTests: EGovTestCase {
    var sender: RecordingSender!

    override func setUp() async throws {
        try await super.setUp()
        sender = RecordingSender()
        app.egovServices.mail = sender
        app.egovServices.textMessages = sender
        // The journeys move the clock by days; tokens taken at the start stay valid.
        app.settings.accessTokenLifetime = 90 * 86_400
    }

    let associationFields: [(String, String)] = [("ten_hoi", "Hội Nông dân sản xuất giỏi Hạ Long"), ("pham_vi", "Toàn tỉnh"), ("so_hoi_vien", "120")]

    func associationFiles() -> [UploadPart] {
        [UploadPart(field: "document_1", fileName: "don-de-nghi.pdf", data: samplePDF),
         UploadPart(field: "document_2", fileName: "du-thao-dieu-le.pdf", data: samplePDF),
         UploadPart(field: "document_3", fileName: "danh-sach.pdf", data: samplePDF)]
    }

    func move(_ id: UUID, _ action: String, as token: String, json: [String: String] = [:], expect: HTTPResponseStatus = .ok,
              file: StaticString = #filePath, line: UInt = #line) async throws -> DossierDTO? {
        let res = try await api(.POST, "/api/v1/dossiers/\(id)/\(action)", as: token, json: json)
        XCTAssertEqual(res.status, expect, "\(action): \(res.body)", file: file, line: line)
        return res.status == .ok ? try res.json(DossierDTO.self) : nil
    }

    func ok(_ id: UUID, _ action: String, as token: String, json: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) async throws -> DossierDTO {
        let result = try await move(id, action, as: token, json: json, file: file, line: line)
        return try XCTUnwrap(result, file: file, line: line)
    }

    func test_citizenSubmitsOnline_officersProcessThroughTwoUnitsAndAnotherAgency_resultReturned() async throws {
        let citizen = try await demoApplicantToken()
        let procedure = try await procedureID("1.001776", agency: "000.00.00.H49")

        // What is missing is said exactly, and nothing is stored.
        let incomplete = try await multipart("/api/v1/portal/dossiers", token: citizen,
                                             fields: [("procedure_id", procedure.uuidString), ("pham_vi", "Cả nước")],
                                             files: [associationFiles()[0]])
        XCTAssertEqual(incomplete.status, .unprocessableEntity)
        let fields = incomplete.error?.fields ?? [:]
        XCTAssertEqual(fields["document_2"], "Thiếu giấy tờ bắt buộc: Dự thảo điều lệ hội.")
        XCTAssertEqual(fields["ten_hoi"], "Cần nhập Tên hội dự kiến.")
        XCTAssertEqual(fields["pham_vi"], "Phạm vi hoạt động phải là một trong: Toàn tỉnh, Huyện, thị xã, thành phố.")
        XCTAssertNil(fields["document_4"], "an optional paper may be left out")
        // A file that is not a document is refused by its content, whatever its name.
        var badFiles = associationFiles()
        badFiles[1] = UploadPart(field: "document_2", fileName: "dieu-le.pdf", data: Data("MZ not a pdf".utf8))
        let badType = try await multipart("/api/v1/portal/dossiers", token: citizen, fields: [("procedure_id", procedure.uuidString)] + associationFields, files: badFiles)
        XCTAssertEqual(badType.status, .unprocessableEntity)
        XCTAssertTrue(badType.error?.fields?["document_2"]?.contains("không phải PDF") == true, badType.body)
        let none = try await Dossier.query(on: app.db).count()
        XCTAssertEqual(none, 0)

        // Submitted: code of the receiving agency's day, status 1.
        let submitted = try await multipart("/api/v1/portal/dossiers", token: citizen,
                                            fields: [("procedure_id", procedure.uuidString)] + associationFields, files: associationFiles())
        XCTAssertEqual(submitted.status, .created, submitted.body)
        var dossier = try submitted.json(DossierDTO.self)
        XCTAssertEqual(dossier.code, "000.00.00.H49-260302-0001")
        XCTAssertEqual(dossier.status, 1)
        XCTAssertEqual(dossier.channel, "online")
        XCTAssertEqual(dossier.applicantName, "Trần Văn Công")
        XCTAssertEqual(dossier.files.count, 3)
        XCTAssertEqual(dossier.formValues["so_hoi_vien"], "120")
        XCTAssertEqual(dossier.allowedMoves, ["withdraw"])
        let id = dossier.id

        // The one-stop clerk accepts: the receipt's date is 30 working days on.
        let clerk = try await token("quangninh.vanthu")
        let specialist = try await token("quangninh.chuyenvien")
        _ = try await move(id, "hand-over", as: clerk, expect: .conflict) // not accepted yet
        dossier = try await ok(id, "accept", as: clerk)
        let calendar = try await CalendarService.calendar(on: app.db)
        let promised = calendar.addWorkingDays(30, to: LocalDate(iso: "2026-03-02")!)
        XCTAssertEqual(dossier.promisedDate, promised.iso)
        XCTAssertEqual(dossier.status, 2)
        _ = try await move(id, "accept", as: clerk, expect: .conflict)

        // Into the first step: the general unit (TH), where the specialist sits.
        _ = try await move(id, "hand-over", as: specialist, expect: .forbidden) // the one-stop office starts it
        dossier = try await ok(id, "hand-over", as: clerk)
        XCTAssertEqual(dossier.status, 4)
        XCTAssertEqual(dossier.currentPlace, "Phòng Tổng hợp — Ủy ban nhân dân tỉnh Quảng Ninh")
        _ = try await move(id, "hand-over", as: clerk, expect: .forbidden) // the clerk's unit does not hold it

        // Two days later the unit hands it to the Department of Home Affairs (another agency, same node).
        clock.advance(2 * 86_400)
        let (clerkLater, specialistLater) = (try await token("quangninh.vanthu"), try await token("quangninh.chuyenvien"))
        dossier = try await ok(id, "hand-over", as: specialistLater)
        XCTAssertEqual(dossier.currentPlace, "Sở Nội vụ tỉnh Quảng Ninh")
        let handedOver = try await ExchangeOutbox.messages(forDossier: id, on: app.db)
        XCTAssertEqual(handedOver.map(\.recipientName), ["Sở Nội vụ tỉnh Quảng Ninh"], "the hand-over went through the exchange")
        XCTAssertEqual(handedOver.map(\.state), ["delivered"])
        let homeAffairs = try await token("quangninh.snv.chuyenvien")
        let seen = try await api(.GET, "/api/v1/dossiers/\(id)", as: homeAffairs)
        XCTAssertEqual(seen.status, .ok, "the agency on the route sees the dossier")
        let outsider = try await token("dongthap.vanthu")
        let hidden = try await api(.GET, "/api/v1/dossiers/\(id)", as: outsider)
        XCTAssertEqual(hidden.status, .notFound)
        _ = try await move(id, "hand-over", as: specialistLater, expect: .forbidden) // it left the unit

        // The department asks for a supplement; the clock stops until the citizen answers.
        dossier = try await ok(id, "request-supplement", as: homeAffairs, json: ["reason": "Bổ sung biên bản họp ban vận động."])
        XCTAssertEqual(dossier.status, 5)
        let dueBefore = try XCTUnwrap(dossier.dueDate.flatMap(LocalDate.init(iso:)))
        clock.advance(86_400) // Thursday 5 March
        let citizenLater = try await demoApplicantToken()
        let supplement = try await multipart("/api/v1/portal/dossiers/\(id)/supplement", token: citizenLater,
                                             fields: [("note", "Gửi biên bản họp")], files: [UploadPart(field: "files", fileName: "bien-ban.pdf", data: samplePDF)])
        XCTAssertEqual(supplement.status, .ok, supplement.body)
        dossier = try supplement.json(DossierDTO.self)
        XCTAssertEqual(dossier.status, 4)
        XCTAssertEqual(dossier.dueDate, calendar.addWorkingDays(1, to: dueBefore).iso, "the day spent supplementing is not counted")
        XCTAssertEqual(dossier.supplementRequests, 1)

        // Back to the provincial office (VP), which finishes; the one-stop office returns the result.
        let homeAffairsLater = try await token("quangninh.snv.chuyenvien")
        dossier = try await ok(id, "hand-over", as: homeAffairsLater, json: ["note": "Đã thẩm định, đề nghị cho phép thành lập."])
        XCTAssertEqual(dossier.currentPlace, "Văn phòng UBND tỉnh — Ủy ban nhân dân tỉnh Quảng Ninh")
        dossier = try await ok(id, "hand-over", as: clerkLater)
        XCTAssertEqual(dossier.status, 9)
        XCTAssertEqual(dossier.timeliness, "early")
        let noResult = try await multipart("/api/v1/dossiers/\(id)/return-result", token: clerk)
        XCTAssertEqual(noResult.status, .unprocessableEntity)
        let returned = try await multipart("/api/v1/dossiers/\(id)/return-result", token: clerk,
                                           files: [UploadPart(field: "result", fileName: "quyet-dinh.pdf", data: samplePDF)])
        XCTAssertEqual(returned.status, .ok, returned.body)
        dossier = try returned.json(DossierDTO.self)
        XCTAssertEqual(dossier.status, 10)

        // The control slip: every hand-over with from, to, person and timeliness of the step.
        let handOvers = dossier.events.filter { ["start_processing", "hand_over", "finish"].contains($0.move) }
        XCTAssertEqual(handOvers.map(\.toPlace), [
            "Phòng Tổng hợp — Ủy ban nhân dân tỉnh Quảng Ninh", "Sở Nội vụ tỉnh Quảng Ninh",
            "Văn phòng UBND tỉnh — Ủy ban nhân dân tỉnh Quảng Ninh", "Bộ phận một cửa — Ủy ban nhân dân tỉnh Quảng Ninh",
        ])
        XCTAssertEqual(handOvers.map(\.timeliness), [nil, "early", "early", "early"])
        let specialistName = try await user("quangninh.chuyenvien").fullName
        XCTAssertEqual(handOvers[1].actorName, specialistName)

        // The citizen sees their dossier, its files and was told of each step.
        let mine = try await api(.GET, "/api/v1/portal/dossiers", as: citizen).json(DossierListDTO.self)
        XCTAssertEqual(mine.items.map(\.code), ["000.00.00.H49-260302-0001"])
        let resultFile = try XCTUnwrap(dossier.files.first { $0.kind == "result" })
        let download = try await api(.GET, "/api/v1/portal/dossiers/\(id)/files/\(resultFile.id)", as: citizen)
        XCTAssertEqual(download.status, .ok)
        XCTAssertTrue(download.body.hasPrefix("%PDF"))
        let titles = try await ApplicantNotification.query(on: app.db).sort(\.$createdAt).all().map(\.title)
        XCTAssertEqual(titles, ["Đã nộp hồ sơ 000.00.00.H49-260302-0001", "Hồ sơ 000.00.00.H49-260302-0001 đã được tiếp nhận",
                                "Hồ sơ 000.00.00.H49-260302-0001 cần bổ sung", "Hồ sơ 000.00.00.H49-260302-0001 đã giải quyết xong",
                                "Đã trả kết quả hồ sơ 000.00.00.H49-260302-0001"])
        try await app.jobs.runUntilIdle()
        XCTAssertTrue(sender.mails.contains { $0.to == "congdan@egov.local" && $0.subject.contains("cần bổ sung") })

        // Nobody else reads it: another applicant, an applicant token on officer routes, an officer token on the portal.
        let business = try await demoApplicantToken("doanhnghiep@egov.local")
        let foreign = try await api(.GET, "/api/v1/portal/dossiers/\(id)", as: business)
        XCTAssertEqual(foreign.status, .notFound)
        let foreignFile = try await api(.GET, "/api/v1/portal/dossiers/\(id)/files/\(resultFile.id)", as: business)
        XCTAssertEqual(foreignFile.status, .notFound)
        let wrongKind = try await api(.GET, "/api/v1/dossiers/\(id)", as: citizen)
        XCTAssertEqual(wrongKind.status, .unauthorized)
        let officerOnPortal = try await api(.GET, "/api/v1/portal/dossiers", as: clerk)
        XCTAssertEqual(officerOnPortal.status, .unauthorized)
        let withdrawLate = try await api(.POST, "/api/v1/portal/dossiers/\(id)/withdraw", as: citizen)
        XCTAssertEqual(withdrawLate.status, .conflict)
    }

    func test_deadlinesAcrossTet_secondSupplementIsLate_andApologyGivesANewDate() async throws {
        let admin = try await token("quangninh.quantri")
        let created = try await api(.POST, "/api/v1/procedures", as: admin, json: [
            "code": "1.000050", "name": "Xác nhận thông tin hộ tịch", "field": "Hộ tịch", "online_level": "full",
            "channels": "in_person; online", "time_limit_days": "3", "required_documents": "Tờ khai | 1 | 0 | có",
        ])
        XCTAssertEqual(created.status, .created, created.body)
        let procedure = try created.json(ProcedureCatalogueTests.Detail.self).id
        let citizen = try await demoApplicantToken()
        let clerk = try await token("quangninh.vanthu")

        func submitAndAccept(at date: Date) async throws -> DossierDTO {
            clock.now = date
            let res = try await multipart("/api/v1/portal/dossiers", token: citizen, fields: [("procedure_id", procedure.uuidString)],
                                          files: [UploadPart(field: "document_1", fileName: "to-khai.pdf", data: samplePDF)])
            XCTAssertEqual(res.status, .created, res.body)
            return try await ok(try res.json(DossierDTO.self).id, "accept", as: clerk)
        }
        // Thursday before Tết 2026: 14:59 counts that day, 15:01 the next working day (after Tết).
        let before = try await submitAndAccept(at: vietnamTime("2026-02-12", 14, 59))
        XCTAssertEqual(before.promisedDate, "2026-02-24")
        XCTAssertEqual(before.code, "000.00.00.H49-260212-0001")
        let after = try await submitAndAccept(at: vietnamTime("2026-02-12", 15, 1))
        XCTAssertEqual(after.promisedDate, "2026-02-25")
        XCTAssertEqual(after.code, "000.00.00.H49-260212-0002", "the day's sequence goes on without a gap")

        // Not late yet: no apology. Two supplement requests make it late by rule.
        _ = try await move(after.id, "apologise", as: clerk, json: ["new_date": "2026-03-02", "reason": "Chưa xác minh xong"], expect: .conflict)
        _ = try await move(after.id, "hand-over", as: clerk)
        for reason in ["Bổ sung bản sao giấy khai sinh.", "Bổ sung xác nhận cư trú."] {
            _ = try await move(after.id, "request-supplement", as: clerk, json: ["reason": reason])
            let res = try await multipart("/api/v1/portal/dossiers/\(after.id)/supplement", token: citizen, fields: [("note", "Đã bổ sung")])
            XCTAssertEqual(res.status, .ok, res.body)
        }
        // An apology on a weekend day or in the past is refused; a working day is the new appointment.
        _ = try await move(after.id, "apologise", as: clerk, json: ["new_date": "2026-02-28", "reason": "Chờ xác minh"], expect: .unprocessableEntity)
        _ = try await move(after.id, "apologise", as: clerk, json: ["new_date": "2026-02-01", "reason": "Chờ xác minh"], expect: .unprocessableEntity)
        let apologised = try await ok(after.id, "apologise", as: clerk, json: ["new_date": "2026-02-27", "reason": "Chờ cơ quan khác xác minh"])
        XCTAssertEqual(apologised.apologyDate, "2026-02-27")
        XCTAssertEqual(apologised.status, 4, "an apology does not change the status")
        let finished = try await ok(after.id, "hand-over", as: clerk)
        XCTAssertEqual(finished.timeliness, "late", "two supplement requests count as late whatever the dates")
        let seen = try await api(.GET, "/api/v1/portal/dossiers/\(after.id)", as: citizen).json(DossierDTO.self)
        XCTAssertEqual(seen.apologyDate, "2026-02-27")
        XCTAssertTrue(seen.events.contains { $0.move == "apologise" && $0.note.contains("27/02/2026") })
    }

    func test_counterEntryGivesGapFreeCodesUnderConcurrency_andChecksInput() async throws {
        let admin = try await token("quangninh.quantri")
        let created = try await api(.POST, "/api/v1/procedures", as: admin, json: [
            "code": "1.000060", "name": "Cung cấp thông tin quy hoạch", "field": "Quy hoạch", "online_level": "none",
            "channels": "in_person; post", "time_limit_days": "5", "form_fields": "vi_tri | Vị trí thửa đất | text",
        ])
        XCTAssertEqual(created.status, .created, created.body)
        let procedure = try created.json(ProcedureCatalogueTests.Detail.self).id
        let clerk = try await token("quangninh.vanthu")

        let bad = try await api(.POST, "/api/v1/dossiers", as: clerk, json: [
            "procedure_id": procedure.uuidString, "channel": "online", "applicant_name": "", "applicant_phone": "12345",
        ])
        XCTAssertEqual(bad.status, .unprocessableEntity)
        XCTAssertEqual(Set(bad.error?.fields?.keys.map { $0 } ?? []), ["channel", "applicant_name", "applicant_phone", "vi_tri"])
        let specialist = try await api(.POST, "/api/v1/dossiers", as: try await token("quangninh.chuyenvien"), json: ["procedure_id": procedure.uuidString])
        XCTAssertEqual(specialist.status, .forbidden)
        let otherAgency = try await api(.POST, "/api/v1/dossiers", as: try await token("dongthap.vanthu"), json: ["procedure_id": procedure.uuidString])
        XCTAssertEqual(otherAgency.status, .forbidden)
        // Online submission of a counter-only procedure is refused.
        let online = try await multipart("/api/v1/portal/dossiers", token: try await demoApplicantToken(), fields: [("procedure_id", procedure.uuidString)])
        XCTAssertEqual(online.status, .conflict)

        let app = self.app!
        let codes = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 1...20 {
                group.addTask {
                    var code = ""
                    try await app.test(.POST, "/api/v1/dossiers", beforeRequest: { req async throws in
                        req.headers.bearerAuthorization = .init(token: clerk)
                        try req.content.encode([
                            "procedure_id": procedure.uuidString, "channel": index % 2 == 0 ? "post" : "in_person",
                            "applicant_name": "Người nộp \(index)", "applicant_phone": String(format: "09120000%02d", index), "vi_tri": "Thửa \(index)",
                        ], as: .json)
                    }, afterResponse: { res async throws in
                        XCTAssertEqual(res.status, .created, res.body.string)
                        code = (try? res.content.decode(DossierDTO.self).code) ?? ""
                    })
                    return code
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(codes.sorted(), (1...20).map { String(format: "000.00.00.H49-260302-%04d", $0) })
        let desk = try await api(.GET, "/api/v1/dossiers?status=1", as: clerk).json(DossierListDTO.self)
        XCTAssertEqual(desk.total, 20)
        let bankOfOthers = try await api(.GET, "/api/v1/dossiers", as: try await token("dongthap.vanthu")).json(DossierListDTO.self)
        XCTAssertEqual(bankOfOthers.total, 0)
        let badStatus = try await api(.GET, "/api/v1/dossiers?status=11", as: clerk)
        XCTAssertEqual(badStatus.status, .badRequest)
    }

    func test_filesAreCheckedBySizeAndType() async throws {
        app.settings.maxAttachmentBytes = 1_024
        app.egovServices.attachments = AttachmentStore(dataDirectory: app.settings.dataDirectory, maxBytes: app.settings.maxAttachmentBytes)
        let citizen = try await demoApplicantToken()
        let procedure = try await procedureID("1.001776", agency: "000.00.00.H49")
        var files = associationFiles()
        files[0] = UploadPart(field: "document_1", fileName: "don-lon.pdf", data: samplePDF + Data(repeating: 0x20, count: 2_000))
        let tooLarge = try await multipart("/api/v1/portal/dossiers", token: citizen, fields: [("procedure_id", procedure.uuidString)] + associationFields, files: files)
        XCTAssertEqual(tooLarge.status, .unprocessableEntity)
        XCTAssertTrue(tooLarge.error?.fields?["document_1"]?.hasPrefix("Tệp \"don-lon.pdf\" lớn hơn giới hạn") == true, tooLarge.body)
        files[0] = UploadPart(field: "document_1", fileName: "don.exe", data: Data("MZ\u{90}\u{00}".utf8))
        let wrongType = try await multipart("/api/v1/portal/dossiers", token: citizen, fields: [("procedure_id", procedure.uuidString)] + associationFields, files: files)
        XCTAssertEqual(wrongType.status, .unprocessableEntity)
        XCTAssertTrue(wrongType.error?.fields?["document_1"]?.contains("không phải PDF, DOCX, ODT, XLSX, JPEG hoặc PNG") == true, wrongType.body)
        let stored = try await Dossier.query(on: app.db).count()
        XCTAssertEqual(stored, 0)
    }

    func test_everyIllegalMoveIsRefusedWithAClearMessage() async throws {
        let citizen = try await demoApplicantToken()
        let procedure = try await procedureID("1.001776", agency: "000.00.00.H49")
        let res = try await multipart("/api/v1/portal/dossiers", token: citizen, fields: [("procedure_id", procedure.uuidString)] + associationFields,
                                      files: associationFiles())
        let id = try res.json(DossierDTO.self).id
        let clerk = try await token("quangninh.vanthu")
        for action in ["hand-over", "request-fees", "record-payment", "stop", "return-result"] {
            let refused = try await api(.POST, "/api/v1/dossiers/\(id)/\(action)", as: clerk, json: ["reason": "x", "amount": "1000"])
            XCTAssertTrue([.conflict, .forbidden].contains(refused.status), "\(action): \(refused.status)")
            if refused.status == .conflict {
                XCTAssertTrue(refused.error?.message.contains("đang ở trạng thái \"Mới tiếp nhận\"") == true, refused.body)
            }
        }
        _ = try await move(id, "refuse", as: clerk, expect: .unprocessableEntity) // a refusal needs its reasons
        let refused = try await ok(id, "refuse", as: clerk, json: ["reason": "Hồ sơ không thuộc thẩm quyền."])
        XCTAssertEqual(refused.status, 3)
        XCTAssertEqual(refused.allowedMoves, [])
        let withdraw = try await api(.POST, "/api/v1/portal/dossiers/\(id)/withdraw", as: citizen)
        XCTAssertEqual(withdraw.status, .conflict)
        XCTAssertTrue(withdraw.error?.message.contains("Không tiếp nhận") == true)
        // Fees: owed and paid; status 6 while unpaid.
        let second = try await multipart("/api/v1/portal/dossiers", token: citizen, fields: [("procedure_id", procedure.uuidString)] + associationFields,
                                         files: associationFiles()).json(DossierDTO.self)
        _ = try await move(second.id, "accept", as: clerk)
        _ = try await move(second.id, "hand-over", as: clerk)
        let specialist = try await token("quangninh.chuyenvien")
        _ = try await move(second.id, "request-fees", as: specialist, json: ["amount": "abc"], expect: .unprocessableEntity)
        let owed = try await ok(second.id, "request-fees", as: specialist, json: ["amount": "150.000"])
        XCTAssertEqual([owed.status, owed.feeOwed, owed.feePaid], [6, 150_000, 0])
        _ = try await move(second.id, "record-payment", as: specialist, expect: .forbidden)
        let paid = try await ok(second.id, "record-payment", as: clerk)
        XCTAssertEqual([paid.status, paid.feePaid], [4, 150_000])
        let stopped = try await ok(second.id, "stop", as: specialist, json: ["reason": "Ban vận động xin dừng."])
        XCTAssertEqual(stopped.status, 8)
        let notice = try await multipart("/api/v1/dossiers/\(second.id)/return-result", token: clerk)
        XCTAssertEqual(try notice.json(DossierDTO.self).status, 10, "a stopped dossier returns its notice without result files")
        // A withdrawal by the applicant before acceptance.
        let third = try await multipart("/api/v1/portal/dossiers", token: citizen, fields: [("procedure_id", procedure.uuidString)] + associationFields,
                                        files: associationFiles()).json(DossierDTO.self)
        let withdrawn = try await api(.POST, "/api/v1/portal/dossiers/\(third.id)/withdraw", as: citizen, json: ["reason": "Nộp nhầm thủ tục"])
        XCTAssertEqual(try withdrawn.json(DossierDTO.self).status, 7)
        // Officers cannot withdraw for the applicant.
        let fourth = try await multipart("/api/v1/portal/dossiers", token: citizen, fields: [("procedure_id", procedure.uuidString)] + associationFields,
                                         files: associationFiles()).json(DossierDTO.self)
        let asOfficer = try await api(.POST, "/api/v1/portal/dossiers/\(fourth.id)/withdraw", as: clerk)
        XCTAssertEqual(asOfficer.status, .unauthorized)
    }
}
