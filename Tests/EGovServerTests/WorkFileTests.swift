import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// Work files (hồ sơ công việc) through the API and the web UI: the yearly list, a file's
/// documents and totals, closing and archiving, and every refusal on the way.
final class WorkFileTests: EGovTestCase {
    let province = "000.00.00.H49"

    // MARK: Helpers

    func createFile(as username: String, code: String, title: String = "Hồ sơ tuyển dụng công chức năm 2026", retention: String = "10",
                    year: Int? = nil, file: StaticString = #filePath, line: UInt = #line) async throws -> WorkFileDTO {
        var body = ["code": code, "title": title, "retention": retention]
        if let year { body["year"] = String(year) }
        let response = try await api(.POST, "/api/v1/work-files", as: try await token(username), json: body)
        XCTAssertEqual(response.status, .created, response.body, file: file, line: line)
        return try response.json(WorkFileDTO.self)
    }

    /// An incoming document registered by the clerk and directed by the leader to Phòng Tổng hợp.
    func incomingDirectedToTH(_ changes: [String: String] = [:]) async throws -> IncomingDocumentDTO {
        let doc = try await registerIncoming(as: "quangninh.vanthu", changes)
        let leader = try await user("quangninh.lanhdao")
        let th = try await unit(province, "TH")
        var response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/present", as: try await token("quangninh.vanthu"),
                                     json: ["leader_id": leader.id!.uuidString])
        XCTAssertEqual(response.status, .ok, response.body)
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/direct", as: try await token("quangninh.lanhdao"),
                                 json: ["lead_unit_id": th.id!.uuidString])
        XCTAssertEqual(response.status, .ok, response.body)
        return try response.json(IncomingDocumentDTO.self)
    }

    func outgoingDraft(as username: String, pages: Int = 2) async throws -> OutgoingDocumentDTO {
        let response = try await api(.POST, "/api/v1/outgoing-documents", as: try await token(username), json: [
            "type_code": "official_letter", "subject": "Về việc báo cáo kết quả tuyển dụng công chức năm 2026",
            "page_count": String(pages), "external_recipients": "Lưu: VT, TH.",
        ])
        XCTAssertEqual(response.status, .created, response.body)
        return try response.json(OutgoingDocumentDTO.self)
    }

    /// A second specialist, in Phòng Kiểm soát thủ tục hành chính.
    func addKSTTSpecialist() async throws {
        let kstt = try await unit(province, "KSTT")
        try await User(agencyID: try await agency(province).id!, unitID: kstt.id!, username: "quangninh.kstt", fullName: "Lê Thị Thu",
                       roles: [.specialist], passwordHash: try app.password.hash(DemoSeed.password)).create(on: app.db)
    }

    func add(_ kind: String, _ id: UUID, to fileID: UUID, as username: String) async throws -> TestResponse {
        try await api(.POST, "/api/v1/work-files/\(fileID)/documents", as: try await token(username), json: ["kind": kind, "document_id": id.uuidString])
    }

    // MARK: The whole life of a file through the API

    func test_specialistOpensAFileFillsItClosesItAndTheClerkArchivesIt() async throws {
        let specialist = try await token("quangninh.chuyenvien")
        let specialistUser = try await user("quangninh.chuyenvien")
        let th = try await unit(province, "TH")
        let incoming = try await incomingDirectedToTH()
        let outgoing = try await outgoingDraft(as: "quangninh.chuyenvien", pages: 2)

        let file = try await createFile(as: "quangninh.chuyenvien", code: "3.th")
        XCTAssertEqual(file.code, "03.TH")
        XCTAssertEqual(file.year, 2026)
        XCTAssertEqual(file.keeper.id, specialistUser.id)
        XCTAssertEqual(file.unit.id, th.id)
        XCTAssertEqual(file.retention, "10")
        XCTAssertEqual(file.retentionLabel, "10 năm")
        XCTAssertEqual(file.state, "open")
        XCTAssertEqual(file.availableMoves, ["close"])
        XCTAssertTrue(file.canChangeDocuments)
        XCTAssertEqual(file.items, [])
        XCTAssertEqual(file.totals, WorkFileTotalsDTO(incoming: 0, outgoing: 0, documents: 0, pages: 0, hidden: 0))

        // Documents come in the order they are added, with totals.
        var response = try await add("incoming", incoming.id, to: file.id, as: "quangninh.chuyenvien")
        XCTAssertEqual(response.status, .created, response.body)
        response = try await add("outgoing", outgoing.id, to: file.id, as: "quangninh.chuyenvien")
        XCTAssertEqual(response.status, .created, response.body)
        var shown = try response.json(WorkFileDTO.self)
        XCTAssertEqual(shown.items?.map(\.position), [1, 2])
        XCTAssertEqual(shown.items?.map(\.kind), ["incoming", "outgoing"])
        XCTAssertEqual(shown.items?.first?.numberNotation, "125/QĐ-BNV")
        XCTAssertEqual(shown.items?.first?.date, "2026-02-25")
        XCTAssertEqual(shown.items?.first?.author, "Bộ Nội vụ")
        XCTAssertEqual(shown.items?.first?.arrival, "1/2026")
        XCTAssertEqual(shown.items?.last?.numberNotation, "")
        XCTAssertNil(shown.items?.last?.date)
        XCTAssertEqual(shown.items?.last?.addedBy.id, specialistUser.id)
        XCTAssertEqual(shown.totals, WorkFileTotalsDTO(incoming: 1, outgoing: 1, documents: 2, pages: 5, hidden: 0))

        // Twice in one file is refused; another file may hold the same document.
        response = try await add("incoming", incoming.id, to: file.id, as: "quangninh.chuyenvien")
        XCTAssertEqual(response.status, .conflict, response.body)
        XCTAssertEqual(response.error?.error, "already_in_file")
        let second = try await createFile(as: "quangninh.chuyenvien", code: "04.TH", title: "Hồ sơ báo cáo biên chế", retention: "permanent")
        XCTAssertEqual(second.retentionLabel, "Vĩnh viễn")
        response = try await add("incoming", incoming.id, to: second.id, as: "quangninh.chuyenvien")
        XCTAssertEqual(response.status, .created, response.body)

        // Removing a document moves the later ones up; adding it again puts it last.
        response = try await api(.DELETE, "/api/v1/work-files/\(file.id)/documents/incoming/\(incoming.id)", as: specialist)
        XCTAssertEqual(response.status, .ok, response.body)
        shown = try response.json(WorkFileDTO.self)
        XCTAssertEqual(shown.items?.map(\.id), [outgoing.id])
        XCTAssertEqual(shown.items?.map(\.position), [1])
        response = try await api(.DELETE, "/api/v1/work-files/\(file.id)/documents/incoming/\(incoming.id)", as: specialist)
        XCTAssertEqual(response.status, .notFound, "no longer in the file")
        response = try await add("incoming", incoming.id, to: file.id, as: "quangninh.chuyenvien")
        shown = try response.json(WorkFileDTO.self)
        XCTAssertEqual(shown.items?.map(\.id), [outgoing.id, incoming.id])
        XCTAssertEqual(shown.items?.map(\.position), [1, 2])

        // The year's list, in code order, with document counts; another year's is empty.
        let list = try await api(.GET, "/api/v1/work-files?year=2026", as: try await token("quangninh.quantri")).json([WorkFileDTO].self)
        XCTAssertEqual(list.map(\.code), ["03.TH", "04.TH"])
        XCTAssertEqual(list.map(\.documentCount), [2, 1])
        XCTAssertEqual(list.first?.availableMoves, [], "an administrator may look but not move")
        do { let value = try await api(.GET, "/api/v1/work-files", as: specialist).json([WorkFileDTO].self).count; XCTAssertEqual(value, 2, "this year by default") }
        do { let value = try await api(.GET, "/api/v1/work-files?year=2027", as: specialist).json([WorkFileDTO].self); XCTAssertEqual(value.count, 0) }

        // Close, reopen, close again; the clerk hands it to the archive.
        response = try await api(.POST, "/api/v1/work-files/\(file.id)/close", as: specialist)
        XCTAssertEqual(response.status, .ok, response.body)
        shown = try response.json(WorkFileDTO.self)
        XCTAssertEqual(shown.state, "closed")
        XCTAssertNotNil(shown.closedAt)
        XCTAssertEqual(shown.availableMoves, ["reopen"], "the keeper may reopen but not archive")
        XCTAssertFalse(shown.canChangeDocuments)
        response = try await api(.POST, "/api/v1/work-files/\(file.id)/reopen", as: specialist)
        XCTAssertEqual(try response.json(WorkFileDTO.self).state, "open")
        XCTAssertNil(try response.json(WorkFileDTO.self).closedAt)
        response = try await api(.POST, "/api/v1/work-files/\(file.id)/close", as: specialist)
        XCTAssertEqual(response.status, .ok, response.body)
        response = try await api(.POST, "/api/v1/work-files/\(file.id)/archive", as: specialist)
        XCTAssertEqual(response.status, .forbidden, response.body)
        let clerk = try await token("quangninh.vanthu")
        do { let value = try await api(.GET, "/api/v1/work-files/\(file.id)", as: clerk).json(WorkFileDTO.self).availableMoves; XCTAssertEqual(value, ["archive"]) }
        response = try await api(.POST, "/api/v1/work-files/\(file.id)/archive", as: clerk)
        XCTAssertEqual(response.status, .ok, response.body)
        shown = try response.json(WorkFileDTO.self)
        XCTAssertEqual(shown.state, "archived")
        XCTAssertNotNil(shown.archivedAt)
        XCTAssertEqual(shown.availableMoves, [])
        // The clerk sees every incoming document, but not a colleague's outgoing draft.
        XCTAssertEqual(shown.totals, WorkFileTotalsDTO(incoming: 1, outgoing: 0, documents: 1, pages: 3, hidden: 1))

        // Once archived, it cannot be reopened.
        response = try await api(.POST, "/api/v1/work-files/\(file.id)/reopen", as: specialist)
        XCTAssertEqual(response.status, .conflict, response.body)
        XCTAssertEqual(response.error?.error, "illegal_move")
        XCTAssertTrue(response.error?.message.contains("đã nộp lưu trữ") ?? false, response.body)

        let actions = try await AuditEntry.query(on: app.db).filter(\.$objectID == file.id.uuidString).sort(\.$id).all().map(\.action)
        XCTAssertEqual(actions, ["workfile.create", "workfile.add_document", "workfile.add_document", "workfile.remove_document",
                                 "workfile.add_document", "workfile.close", "workfile.reopen", "workfile.close", "workfile.archive"])
        do { let problem = try await AuditLog.verify(on: app.db); XCTAssertNil(problem) }
    }

    func test_fileShowsEachViewerOnlyTheDocumentsTheyMaySee() async throws {
        try await addKSTTSpecialist()
        let open = try await incomingDirectedToTH()
        let secret = try await incomingDirectedToTH(["number_notation": "12/QĐ-BNV", "confidentiality": "confidential", "page_count": "4"])
        // The unit head of the lead unit sees the confidential one and files both.
        let file = try await createFile(as: "quangninh.truongphong", code: "01.TH")
        _ = try await add("incoming", open.id, to: file.id, as: "quangninh.truongphong")
        let response = try await add("incoming", secret.id, to: file.id, as: "quangninh.truongphong")
        XCTAssertEqual(try response.json(WorkFileDTO.self).totals, WorkFileTotalsDTO(incoming: 2, outgoing: 0, documents: 2, pages: 7, hidden: 0))

        func seen(by username: String) async throws -> WorkFileDTO {
            let response = try await api(.GET, "/api/v1/work-files/\(file.id)", as: try await token(username))
            XCTAssertEqual(response.status, .ok, "\(username): \(response.body)")
            return try response.json(WorkFileDTO.self)
        }
        do {
            let dto = try await seen(by: "quangninh.chuyenvien")
            XCTAssertEqual(dto.items?.map(\.id), [open.id], "a specialist of the lead unit does not see the confidential document")
            XCTAssertEqual(dto.totals, WorkFileTotalsDTO(incoming: 1, outgoing: 0, documents: 1, pages: 3, hidden: 1))
            XCTAssertEqual(dto.documentCount, 2)
        }
        do {
            let dto = try await seen(by: "quangninh.kstt")
            XCTAssertEqual(dto.items, [], "another unit sees the file but none of its documents")
            XCTAssertEqual(dto.totals?.hidden, 2)
        }
        do { let value = try await seen(by: "quangninh.lanhdao").items?.map(\.id); XCTAssertEqual(value, [open.id, secret.id]) }
        do { let value = try await seen(by: "quangninh.quantri").items?.count; XCTAssertEqual(value, 0) }
    }

    // MARK: Refusals

    func test_anotherAgencysFileIsNotFound() async throws {
        let file = try await createFile(as: "quangninh.chuyenvien", code: "01.TH")
        let foreignDoc = try await registerIncoming(as: "dongthap.vanthu")
        for other in ["dongthap.vanthu", "dongthap.lanhdao", "admin"] {
            let token = try await token(other)
            do { let value = try await api(.GET, "/api/v1/work-files/\(file.id)", as: token).status; XCTAssertEqual(value, .notFound, other) }
            do { let value = try await api(.POST, "/api/v1/work-files/\(file.id)/close", as: token).status; XCTAssertEqual(value, .notFound, other) }
            do { let value = try await api(.POST, "/api/v1/work-files/\(file.id)/archive", as: token).status; XCTAssertEqual(value, .notFound, other) }
            do {
                let value = try await api(.DELETE, "/api/v1/work-files/\(file.id)/documents/incoming/\(foreignDoc.id)", as: token).status
                XCTAssertEqual(value, .notFound, other)
            }
            let list = try await api(.GET, "/api/v1/work-files?year=2026", as: token).json([WorkFileDTO].self)
            XCTAssertFalse(list.contains { $0.id == file.id }, other)
        }
        let response = try await add("incoming", foreignDoc.id, to: file.id, as: "dongthap.lanhdao")
        XCTAssertEqual(response.status, .notFound, response.body)
        XCTAssertEqual(response.error?.message, "Không tìm thấy hồ sơ.")
        // Nor can a file take in another agency's document.
        let own = try await add("incoming", foreignDoc.id, to: file.id, as: "quangninh.chuyenvien")
        XCTAssertEqual(own.status, .notFound, own.body)
        let page = browser()
        _ = try await page.signIn("dongthap.lanhdao")
        do { let value = try await page.get("/work-files/\(file.id)").status; XCTAssertEqual(value, .notFound) }
    }

    func test_userWhoCannotSeeAConfidentialDocumentCannotAddIt() async throws {
        let secret = try await incomingDirectedToTH(["confidentiality": "confidential"])
        let file = try await createFile(as: "quangninh.chuyenvien", code: "01.TH")
        var response = try await add("incoming", secret.id, to: file.id, as: "quangninh.chuyenvien")
        XCTAssertEqual(response.status, .notFound, response.body)
        XCTAssertEqual(response.error?.message, "Không tìm thấy văn bản đến.")
        response = try await add("outgoing", secret.id, to: file.id, as: "quangninh.chuyenvien")
        XCTAssertEqual(response.status, .notFound, "the wrong register finds nothing either")
        // The unit head may see it, and may add it to the specialist's file.
        response = try await add("incoming", secret.id, to: file.id, as: "quangninh.truongphong")
        XCTAssertEqual(response.status, .created, response.body)
        do { let value = try await WorkFileItem.query(on: app.db).count(); XCTAssertEqual(value, 1) }
        // What the specialist cannot see, they cannot take out.
        response = try await api(.DELETE, "/api/v1/work-files/\(file.id)/documents/incoming/\(secret.id)", as: try await token("quangninh.chuyenvien"))
        XCTAssertEqual(response.status, .notFound, response.body)
        do { let value = try await WorkFileItem.query(on: app.db).count(); XCTAssertEqual(value, 1) }
    }

    func test_specialistOfAnotherUnitCannotChangeSomeoneElsesFile() async throws {
        try await addKSTTSpecialist()
        let file = try await createFile(as: "quangninh.chuyenvien", code: "01.TH")
        let theirs = try await outgoingDraft(as: "quangninh.kstt")
        var response = try await add("outgoing", theirs.id, to: file.id, as: "quangninh.kstt")
        XCTAssertEqual(response.status, .forbidden, response.body)
        XCTAssertEqual(response.error?.error, "forbidden")
        do { let value = try await api(.POST, "/api/v1/work-files/\(file.id)/close", as: try await token("quangninh.kstt")).status; XCTAssertEqual(value, .forbidden) }
        do { let value = try await api(.GET, "/api/v1/work-files/\(file.id)", as: try await token("quangninh.kstt")).json(WorkFileDTO.self); XCTAssertFalse(value.canChangeDocuments); XCTAssertEqual(value.availableMoves, []) }
        // The unit head of the file's unit and a leader may; an administrator account keeps no files.
        let draft = try await outgoingDraft(as: "quangninh.truongphong")
        response = try await add("outgoing", draft.id, to: file.id, as: "quangninh.truongphong")
        XCTAssertEqual(response.status, .created, response.body)
        response = try await api(.POST, "/api/v1/work-files/\(file.id)/close", as: try await token("quangninh.lanhdao"))
        XCTAssertEqual(response.status, .ok, response.body)
        response = try await api(.POST, "/api/v1/work-files", as: try await token("quangninh.quantri"),
                                 json: ["code": "09.VP", "title": "Hồ sơ quản trị", "retention": "5"])
        XCTAssertEqual(response.status, .forbidden, response.body)
    }

    func test_openFileCannotBeArchivedNorAnEmptyOneClosed() async throws {
        let file = try await createFile(as: "quangninh.chuyenvien", code: "01.TH")
        var response = try await api(.POST, "/api/v1/work-files/\(file.id)/archive", as: try await token("quangninh.vanthu"))
        XCTAssertEqual(response.status, .conflict, response.body)
        XCTAssertEqual(response.error?.error, "illegal_move")
        XCTAssertEqual(response.error?.message, "Hồ sơ đang mở: cần đóng hồ sơ trước khi nộp lưu trữ.")
        response = try await api(.POST, "/api/v1/work-files/\(file.id)/close", as: try await token("quangninh.chuyenvien"))
        XCTAssertEqual(response.status, .conflict, response.body)
        XCTAssertEqual(response.error?.error, "empty_file")
        response = try await api(.POST, "/api/v1/work-files/\(file.id)/reopen", as: try await token("quangninh.chuyenvien"))
        XCTAssertEqual(response.status, .conflict, "an open file cannot be reopened")
        do { let value = try await WorkFile.find(file.id, on: app.db)?.state; XCTAssertEqual(value, "open") }
    }

    func test_archivedFileTakesNoMoreDocuments() async throws {
        let doc = try await incomingDirectedToTH()
        let other = try await outgoingDraft(as: "quangninh.chuyenvien")
        let file = try await createFile(as: "quangninh.chuyenvien", code: "01.TH")
        _ = try await add("incoming", doc.id, to: file.id, as: "quangninh.chuyenvien")
        _ = try await api(.POST, "/api/v1/work-files/\(file.id)/close", as: try await token("quangninh.chuyenvien"))
        // Closed: reopen first.
        var response = try await add("outgoing", other.id, to: file.id, as: "quangninh.chuyenvien")
        XCTAssertEqual(response.status, .conflict, response.body)
        XCTAssertEqual(response.error?.error, "file_not_open")
        XCTAssertTrue(response.error?.message.contains("mở lại") ?? false, response.body)
        _ = try await api(.POST, "/api/v1/work-files/\(file.id)/archive", as: try await token("quangninh.lanhdao"))
        for who in ["quangninh.chuyenvien", "quangninh.lanhdao"] {
            response = try await add("outgoing", other.id, to: file.id, as: who)
            XCTAssertEqual(response.status, .conflict, response.body)
            XCTAssertEqual(response.error?.message, "Hồ sơ đã nộp lưu trữ, không thể thêm hoặc bỏ văn bản.")
            response = try await api(.DELETE, "/api/v1/work-files/\(file.id)/documents/incoming/\(doc.id)", as: try await token(who))
            XCTAssertEqual(response.status, .conflict, response.body)
        }
        do { let value = try await WorkFileItem.query(on: app.db).count(); XCTAssertEqual(value, 1) }
    }

    func test_aCodeIsUsedOnceInAYearsList() async throws {
        let first = try await createFile(as: "quangninh.chuyenvien", code: "01.TCCB", title: "Hồ sơ nâng lương")
        let response = try await api(.POST, "/api/v1/work-files", as: try await token("quangninh.truongphong"),
                                     json: ["code": "1.tccb", "title": "Hồ sơ khác", "retention": "5"])
        XCTAssertEqual(response.status, .conflict, response.body)
        XCTAssertEqual(response.error?.error, "duplicate_code")
        XCTAssertEqual(response.error?.fields?["code"], "Danh mục hồ sơ năm 2026 đã có hồ sơ số 01.TCCB (Hồ sơ nâng lương). Vui lòng chọn số khác.")
        // Another year's list, or another agency, may use it.
        let lastYear = try await createFile(as: "quangninh.chuyenvien", code: "01.TCCB", year: 2025)
        XCTAssertEqual(lastYear.year, 2025)
        let elsewhere = try await createFile(as: "dongthap.chuyenvien", code: "01.TCCB")
        XCTAssertNotEqual(elsewhere.id, first.id)
        do { let value = try await WorkFile.query(on: app.db).count(); XCTAssertEqual(value, 3) }
    }

    func test_badInputGetsFieldErrorsInVietnamese() async throws {
        let specialist = try await token("quangninh.chuyenvien")
        let cases: [([String: String], String)] = [
            (["code": "TCCB"], "code"),
            (["code": "01.TC CB"], "code"),
            (["code": "0.TCCB"], "code"),
            (["code": ""], "code"),
            (["title": ""], "title"),
            (["title": String(repeating: "Hồ sơ ", count: 90)], "title"),
            (["retention": "100"], "retention"),
            (["retention": "mãi mãi"], "retention"),
            (["retention": ""], "retention"),
            (["year": "năm nay"], "year"),
        ]
        for (changes, field) in cases {
            var body = ["code": "01.TH", "title": "Hồ sơ tuyển dụng", "retention": "10"]
            for (key, value) in changes { body[key] = value }
            let response = try await api(.POST, "/api/v1/work-files", as: specialist, json: body)
            XCTAssertEqual(response.status, .unprocessableEntity, "\(changes): \(response.body)")
            XCTAssertNotNil(response.error?.fields?[field], "\(changes) should flag \(field): \(response.body)")
        }
        do {
            let response = try await api(.POST, "/api/v1/work-files", as: specialist, json: ["code": "TCCB", "title": "Hồ sơ", "retention": "10"])
            XCTAssertEqual(response.error?.fields?["code"], "Số và ký hiệu hồ sơ \"TCCB\" không đúng dạng: cần số thứ tự, dấu chấm, rồi ký hiệu đơn vị hoặc lĩnh vực, ví dụ 01.TCCB.")
        }
        do { let value = try await WorkFile.query(on: app.db).count(); XCTAssertEqual(value, 0) }

        let file = try await createFile(as: "quangninh.chuyenvien", code: "01.TH", retention: "Vĩnh viễn")
        XCTAssertEqual(file.retention, "permanent")
        var response = try await api(.POST, "/api/v1/work-files/\(file.id)/documents", as: specialist, json: ["kind": "memo", "document_id": "không phải mã"])
        XCTAssertEqual(response.status, .unprocessableEntity, response.body)
        XCTAssertNotNil(response.error?.fields?["kind"])
        XCTAssertNotNil(response.error?.fields?["document_id"])
        response = try await api(.GET, "/api/v1/work-files?year=abc", as: specialist)
        XCTAssertEqual(response.status, .badRequest, response.body)
        response = try await api(.GET, "/api/v1/work-files/không-phải-mã", as: specialist)
        XCTAssertEqual(response.status, .notFound)
        response = try await api(.DELETE, "/api/v1/work-files/\(file.id)/documents/memo/\(UUID())", as: specialist)
        XCTAssertEqual(response.status, .notFound)
    }

    // MARK: The web UI

    func test_specialistKeepsAFileAndTheClerkArchivesItInTheWebUI() async throws {
        let incoming = try await incomingDirectedToTH()
        let outgoing = try await outgoingDraft(as: "quangninh.chuyenvien", pages: 2)

        let specialist = browser()
        _ = try await specialist.signIn("quangninh.chuyenvien")
        var page = try await specialist.get("/")
        XCTAssertTrue(page.body.contains("href=\"/work-files\""), "the capability is in the navigation")
        page = try await specialist.get("/work-files")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("Danh mục hồ sơ năm 2026"))
        XCTAssertTrue(page.body.contains("Lập hồ sơ mới"))
        XCTAssertTrue(page.body.contains("/work-files?year=2025"))

        // A malformed code is shown back next to the field, with what was typed.
        var response = try await specialist.post("/work-files", [("year", "2026"), ("code", "TH-01"), ("title", "Hồ sơ tuyển dụng"), ("retention", "10"), ("notes", "")])
        XCTAssertEqual(response.status, .unprocessableEntity)
        XCTAssertTrue(response.body.contains("không đúng dạng"), response.body)
        XCTAssertTrue(response.body.contains("value=\"TH-01\""))
        response = try await specialist.post("/work-files", [("year", "2026"), ("code", "3.th"), ("title", "Hồ sơ tuyển dụng công chức năm 2026"),
                                                              ("retention", "10"), ("notes", "Theo Kế hoạch số 15/KH-UBND")])
        XCTAssertEqual(response.status, .seeOther, response.body)
        let path = try XCTUnwrap(response.headers.first(name: .location))
        page = try await specialist.get(path)
        XCTAssertTrue(page.body.contains("Đã lập hồ sơ 03.TH trong danh mục năm 2026."), page.body)
        XCTAssertTrue(page.body.contains("Hồ sơ chưa có văn bản nào"))
        // Recent documents the specialist may see are offered.
        XCTAssertTrue(page.body.contains("value=\"incoming:\(incoming.id)\""), page.body)
        XCTAssertTrue(page.body.contains("value=\"outgoing:\(outgoing.id)\""))

        // Choose one from the list; paste the other's address.
        response = try await specialist.post("\(path)/documents", [("document", "incoming:\(incoming.id)"), ("document_id", ""), ("kind", "")])
        XCTAssertEqual(response.status, .seeOther, response.body)
        response = try await specialist.post("\(path)/documents", [("document", ""), ("document_id", "http://egov.local/documents/outgoing/\(outgoing.id)"), ("kind", "")])
        XCTAssertEqual(response.status, .seeOther, response.body)
        page = try await specialist.get(path)
        XCTAssertTrue(page.body.contains("Đã đưa văn bản vào hồ sơ 03.TH."))
        XCTAssertTrue(page.body.contains("Tổng số: 2 văn bản, 5 trang"), page.body)
        XCTAssertTrue(page.body.contains("125/QĐ-BNV"))
        XCTAssertTrue(page.body.contains(">Đến<"))
        XCTAssertTrue(page.body.contains(">Đi<"))
        XCTAssertTrue(page.body.contains("25/02/2026"))
        XCTAssertTrue(page.body.contains("href=\"/documents/outgoing/\(outgoing.id)\""))

        // Adding it again is refused on the page; so is an id that is no document.
        response = try await specialist.post("\(path)/documents", [("document", ""), ("document_id", incoming.id.uuidString), ("kind", "")])
        XCTAssertEqual(response.status, .conflict)
        XCTAssertTrue(response.body.contains("Văn bản này đã có trong hồ sơ (số thứ tự 1)."), response.body)
        response = try await specialist.post("\(path)/documents", [("document", ""), ("document_id", UUID().uuidString), ("kind", "")])
        XCTAssertEqual(response.status, .notFound)
        XCTAssertTrue(response.body.contains("Không tìm thấy văn bản có mã này"), response.body)
        response = try await specialist.post("\(path)/documents", [("document", ""), ("document_id", ""), ("kind", "")])
        XCTAssertEqual(response.status, .unprocessableEntity)

        // Remove the incoming document, then close the file.
        response = try await specialist.post("\(path)/documents/incoming/\(incoming.id)/remove", [])
        XCTAssertEqual(response.status, .seeOther, response.body)
        page = try await specialist.get(path)
        XCTAssertTrue(page.body.contains("Tổng số: 1 văn bản, 2 trang"), page.body)
        XCTAssertTrue(page.body.contains("Đóng hồ sơ"))
        XCTAssertFalse(page.body.contains("/archive\""), "the keeper is not offered the archive")
        response = try await specialist.post("\(path)/close", [])
        XCTAssertEqual(response.status, .seeOther, response.body)
        page = try await specialist.get(path)
        XCTAssertTrue(page.body.contains("Đã đóng hồ sơ."))
        XCTAssertFalse(page.body.contains("Đưa văn bản vào hồ sơ"), "a closed file takes no documents")
        XCTAssertTrue(page.body.contains("/reopen\""))

        // The clerk hands it to the archive from the list.
        let clerk = browser()
        _ = try await clerk.signIn("quangninh.vanthu")
        page = try await clerk.get("/work-files?year=2026")
        XCTAssertTrue(page.body.contains("03.TH"))
        XCTAssertTrue(page.body.contains("Đã đóng"))
        XCTAssertTrue(page.body.contains(path))
        page = try await clerk.get(path)
        XCTAssertTrue(page.body.contains("/archive\""))
        response = try await clerk.post("\(path)/archive", [])
        XCTAssertEqual(response.status, .seeOther, response.body)
        page = try await clerk.get(path)
        XCTAssertTrue(page.body.contains("Đã nộp hồ sơ vào lưu trữ cơ quan."))
        XCTAssertTrue(page.body.contains("Đã nộp lưu"))
        response = try await specialist.post("\(path)/reopen", [])
        XCTAssertEqual(response.status, .conflict)
        XCTAssertTrue(response.body.contains("Hồ sơ đã nộp lưu trữ, không thể mở lại nữa."), response.body)
        do { let value = try await WorkFile.query(on: app.db).first()?.state; XCTAssertEqual(value, "archived") }
    }

    func test_documentIsFiledFromItsOwnPage() async throws {
        let doc = try await incomingDirectedToTH()
        let secret = try await incomingDirectedToTH(["number_notation": "12/QĐ-BNV", "confidentiality": "confidential"])
        let file = try await createFile(as: "quangninh.chuyenvien", code: "01.TH", title: "Hồ sơ biên chế năm 2026")
        let closed = try await createFile(as: "quangninh.chuyenvien", code: "02.TH", title: "Hồ sơ đã xong")
        _ = try await add("incoming", doc.id, to: closed.id, as: "quangninh.chuyenvien")
        _ = try await api(.POST, "/api/v1/work-files/\(closed.id)/close", as: try await token("quangninh.chuyenvien"))

        let specialist = browser()
        _ = try await specialist.signIn("quangninh.chuyenvien")
        let filing = "/work-files/filing?kind=incoming&document_id=\(doc.id)"
        var page = try await specialist.get(filing)
        XCTAssertEqual(page.status, .ok, page.body)
        XCTAssertTrue(page.body.contains("Văn bản đã có trong hồ sơ"))
        XCTAssertTrue(page.body.contains("Hồ sơ đã xong"), "the closed file that holds it is named")
        XCTAssertTrue(page.body.contains("action=\"/work-files/\(file.id)/documents\""), "the open file is offered")
        XCTAssertFalse(page.body.contains("action=\"/work-files/\(closed.id)/documents\""), "a closed file is not")
        let response = try await specialist.post("/work-files/\(file.id)/documents", [("document", "incoming:\(doc.id)")])
        XCTAssertEqual(response.status, .seeOther, response.body)
        XCTAssertEqual(response.headers.first(name: .location), "/work-files/\(file.id)")
        page = try await specialist.get(filing)
        XCTAssertTrue(page.body.contains("Bạn chưa có hồ sơ đang mở nào"), page.body)
        do { let value = try await specialist.get("/work-files/filing?kind=incoming&document_id=\(secret.id)").status; XCTAssertEqual(value, .notFound) }
        do { let value = try await specialist.get("/work-files/filing?kind=memo&document_id=\(doc.id)").status; XCTAssertEqual(value, .notFound) }
    }
}
