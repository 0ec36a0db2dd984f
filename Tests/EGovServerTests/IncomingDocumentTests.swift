import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// Incoming documents through the API: registration, the handling workflow, inboxes.
final class IncomingDocumentTests: EGovTestCase {
    let province = "000.00.00.H49"

    func test_incomingDocumentGoesFromRegistrationToDoneThroughTheAPI() async throws {
        let clerk = try await token("quangninh.vanthu")
        let leader = try await token("quangninh.lanhdao")
        let head = try await token("quangninh.truongphong")
        let specialist = try await token("quangninh.chuyenvien")
        let leaderUser = try await user("quangninh.lanhdao")
        let specialistUser = try await user("quangninh.chuyenvien")
        let th = try await unit(province, "TH")
        let kstt = try await unit(province, "KSTT")

        let doc = try await registerIncoming(as: "quangninh.vanthu")
        XCTAssertEqual(doc.arrivalNumber, 1)
        XCTAssertEqual(doc.arrivalYear, 2026)
        XCTAssertEqual(doc.arrivalDate, "2026-03-02")
        XCTAssertEqual(doc.senderName, "Bộ Nội vụ")
        XCTAssertEqual(doc.state, "registered")
        XCTAssertEqual(doc.availableMoves, ["present", "withdraw"])
        do { let inbox = try await api(.GET, "/api/v1/inbox", as: clerk).json(IncomingDocumentAPI.InboxDTO.self).incoming; XCTAssertEqual(inbox.map(\.id), [doc.id]) }

        var response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/present", as: clerk, json: ["leader_id": leaderUser.id!.uuidString])
        XCTAssertEqual(response.status, .ok, response.body)
        XCTAssertEqual(try response.json(IncomingDocumentDTO.self).state, "presented")
        do { let inbox = try await api(.GET, "/api/v1/inbox", as: leader).json(IncomingDocumentAPI.InboxDTO.self).incoming; XCTAssertEqual(inbox.map(\.id), [doc.id]) }
        do { let inbox = try await api(.GET, "/api/v1/inbox", as: clerk).json(IncomingDocumentAPI.InboxDTO.self).incoming; XCTAssertEqual(inbox.count, 0) }

        // Direction with a deadline of 5 working days from Monday 2 March: Monday 9 March.
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/direct", as: leader, json: DirectBody(
            lead_unit_id: th.id!.uuidString, cooperating_unit_ids: [kstt.id!.uuidString], deadline_working_days: 5, note: "Đề xuất phương án trước hạn."))
        XCTAssertEqual(response.status, .ok, response.body)
        let directed = try response.json(IncomingDocumentDTO.self)
        XCTAssertEqual(directed.state, "directed")
        XCTAssertEqual(directed.deadline, "2026-03-09")
        XCTAssertEqual(directed.leadUnit?.id, th.id)
        XCTAssertEqual(directed.cooperatingUnits.map(\.id), [kstt.id!])
        do { let inbox = try await api(.GET, "/api/v1/inbox", as: head).json(IncomingDocumentAPI.InboxDTO.self).incoming; XCTAssertEqual(inbox.map(\.id), [doc.id]) }

        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/assign", as: head, json: ["assignee_id": specialistUser.id!.uuidString])
        XCTAssertEqual(response.status, .ok, response.body)
        XCTAssertEqual(try response.json(IncomingDocumentDTO.self).assignee?.id, specialistUser.id)
        do {
            let inbox = try await api(.GET, "/api/v1/inbox", as: specialist).json(IncomingDocumentAPI.InboxDTO.self).incoming
            XCTAssertEqual(inbox.map(\.id), [doc.id])
            XCTAssertEqual(inbox.first?.availableMoves, ["record_progress", "finish", "return"])
        }

        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/progress", as: specialist, json: ["note": "Đã xin ý kiến Phòng KSTT."])
        XCTAssertEqual(try response.json(IncomingDocumentDTO.self).state, "in_progress")
        // The reply is the specialist's own outgoing draft; someone else's is not theirs to link.
        let reply = try await api(.POST, "/api/v1/outgoing-documents", as: specialist, json: ["subject": "Trả lời Quyết định 125/QĐ-BNV"]).json(OutgoingDocumentDTO.self)
        let othersDraft = try await api(.POST, "/api/v1/outgoing-documents", as: try await token("quangninh.lanhdao"), json: ["subject": "Dự thảo của lãnh đạo"]).json(OutgoingDocumentDTO.self)
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/finish", as: specialist,
                                 json: ["note": "Đã tham mưu văn bản trả lời.", "reply_document_id": othersDraft.id.uuidString])
        XCTAssertEqual(response.status, .unprocessableEntity, response.body)
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/finish", as: specialist,
                                 json: ["note": "Đã tham mưu văn bản trả lời.", "reply_document_id": reply.id.uuidString])
        let done = try response.json(IncomingDocumentDTO.self)
        XCTAssertEqual(done.replyDocumentID, reply.id)
        XCTAssertEqual(done.state, "done")
        XCTAssertEqual(done.result, "Đã tham mưu văn bản trả lời.")
        XCTAssertEqual(done.availableMoves, [])
        XCTAssertEqual(done.history?.map(\.action), ["incoming.register", "incoming.present", "incoming.direct", "incoming.assign",
                                                    "incoming.record_progress", "incoming.finish"])
        XCTAssertEqual(done.history?.last?.actor.name, specialistUser.fullName)
        do { let inbox = try await api(.GET, "/api/v1/inbox", as: specialist).json(IncomingDocumentAPI.InboxDTO.self).incoming; XCTAssertEqual(inbox.count, 0) }

        // Every move is in the audit log, and the chain is intact.
        let actions = try await AuditEntry.query(on: app.db).filter(\.$objectID == doc.id.uuidString).sort(\.$id).all().map(\.action)
        XCTAssertEqual(actions, ["incoming.register", "incoming.present", "incoming.direct", "incoming.assign", "incoming.record_progress", "incoming.finish"])
        do { let problem = try await AuditLog.verify(on: app.db); XCTAssertNil(problem) }
    }

    struct DirectBody: Content {
        var lead_unit_id: String
        var cooperating_unit_ids: [String] = []
        var assignee_id: String?
        var deadline_working_days: Int?
        var deadline: String?
        var note: String = ""
    }

    func test_arrivalNumbersAreGapFreeAndUniqueUnderConcurrentRegistration() async throws {
        let clerk = try await token("quangninh.vanthu")
        let count = 30
        let app: Application = self.app
        let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
            for i in 1...count {
                let body = incomingJSON(["number_notation": "\(i)/UBND-VP", "type_code": "", "sender_agency_code": "", "sender_name": "UBND huyện Vân Đồn"])
                group.addTask { try await postJSON(app: app, "/api/v1/incoming-documents", token: clerk, body: body) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(statuses, Array(repeating: .created, count: count))
        let numbers = try await IncomingDocument.query(on: app.db).all().map(\.arrivalNumber).sorted()
        XCTAssertEqual(numbers, Array(1...count))
        // Another agency's register starts at 1 on its own.
        let other = try await registerIncoming(as: "dongthap.vanthu")
        XCTAssertEqual(other.arrivalNumber, 1)
        // A new year starts again at 1.
        clock.now = ISO8601DateFormatter().date(from: "2027-01-04T02:00:00Z")!
        let nextYear = try await registerIncoming(as: "quangninh.vanthu", ["number_notation": "01/UBND-VP", "type_code": "", "issued_date": "2026-12-30"])
        XCTAssertEqual(nextYear.arrivalNumber, 1)
        XCTAssertEqual(nextYear.arrivalYear, 2027)
    }

    func test_sameDocumentRegisteredTwiceIsRefusedShowingTheEarlierEntry() async throws {
        let first = try await registerIncoming(as: "quangninh.vanthu")
        // Same sender, number and date, typed differently.
        let response = try await api(.POST, "/api/v1/incoming-documents", as: try await token("quangninh.vanthu"),
                                     json: incomingJSON(["number_notation": "125 / QĐ-BNV"]))
        XCTAssertEqual(response.status, .conflict, response.body)
        XCTAssertEqual(response.error?.error, "duplicate_document")
        XCTAssertEqual(response.error?.fields?["duplicate_of"], first.id.uuidString)
        XCTAssertTrue(response.error?.message.contains("số 1/2026") ?? false, response.body)
        // A failed registration takes no number: the next one is 2.
        let next = try await registerIncoming(as: "quangninh.vanthu", ["number_notation": "126/QĐ-BNV"])
        XCTAssertEqual(next.arrivalNumber, 2)
    }

    func test_badRegistrationInputGetsClearErrors() async throws {
        let clerk = try await token("quangninh.vanthu")
        let cases: [([String: String], String)] = [
            (["subject": ""], "subject"),
            (["subject": String(repeating: "Quyết định ", count: 60)], "subject"),
            (["number_notation": "QĐ-BNV"], "number_notation"),
            (["issued_date": "25/02/2026"], "issued_date"),
            (["issued_date": "2026-03-05"], "issued_date"),
            (["arrival_date": "2026-03-10"], "arrival_date"),
            (["urgency": "very"], "urgency"),
            (["confidentiality": "mat"], "confidentiality"),
            (["page_count": "0"], "page_count"),
            (["type_code": "report"], "type_code"),
            (["sender_agency_code": "", "sender_name": ""], "sender_name"),
            (["sender_agency_code": "000.00.00.Z99"], "sender_agency_code"),
        ]
        for (changes, field) in cases {
            let response = try await api(.POST, "/api/v1/incoming-documents", as: clerk, json: incomingJSON(changes))
            XCTAssertEqual(response.status, .unprocessableEntity, "\(changes): \(response.body)")
            XCTAssertNotNil(response.error?.fields?[field], "\(changes) should flag \(field): \(response.body)")
            XCTAssertFalse(response.error?.message.isEmpty ?? true)
        }
        let malformed = try await api(.POST, "/api/v1/incoming-documents/\(UUID())/direct", as: try await token("quangninh.lanhdao"),
                                      json: ["lead_unit_id": "không phải mã"])
        XCTAssertEqual(malformed.status, .unprocessableEntity, malformed.body)
        do { let value = try await IncomingDocument.query(on: app.db).count(); XCTAssertEqual(value, 0) }
    }

    func test_forbiddenMovesAreRefused() async throws {
        let doc = try await registerIncoming(as: "quangninh.vanthu")
        let leaderUser = try await user("quangninh.lanhdao")
        let th = try await unit(province, "TH")
        // Only clerks register.
        var response = try await api(.POST, "/api/v1/incoming-documents", as: try await token("quangninh.chuyenvien"), json: incomingJSON(["number_notation": "9/QĐ-BNV"]))
        XCTAssertEqual(response.status, .forbidden)
        // A specialist cannot even see a document not yet directed to them.
        response = try await api(.GET, "/api/v1/incoming-documents/\(doc.id)", as: try await token("quangninh.chuyenvien"))
        XCTAssertEqual(response.status, .notFound)
        // Another agency's clerk and leader: not found, for reads and moves.
        for other in ["dongthap.vanthu", "dongthap.lanhdao", "admin"] {
            let token = try await token(other)
            do { let value = try await api(.GET, "/api/v1/incoming-documents/\(doc.id)", as: token).status; XCTAssertEqual(value, .notFound, other) }
            do { let value = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/withdraw", as: token, json: ["note": "x"]).status; XCTAssertEqual(value, .notFound, other) }
            let list = try await api(.GET, "/api/v1/incoming-documents", as: token).json([IncomingDocumentDTO].self)
            XCTAssertFalse(list.contains { $0.id == doc.id }, other)
        }
        // A leader cannot direct before the clerk presents it (state machine), nor can the clerk direct (role).
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/direct", as: try await token("quangninh.lanhdao"), json: ["lead_unit_id": th.id!.uuidString])
        XCTAssertEqual(response.status, .conflict, response.body)
        XCTAssertEqual(response.error?.error, "illegal_move")
        _ = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/present", as: try await token("quangninh.vanthu"), json: ["leader_id": leaderUser.id!.uuidString])
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/direct", as: try await token("quangninh.vanthu"), json: ["lead_unit_id": th.id!.uuidString])
        XCTAssertEqual(response.status, .forbidden, response.body)
        // Presenting to someone who is not a leader is a field error.
        let doc2 = try await registerIncoming(as: "quangninh.vanthu", ["number_notation": "127/QĐ-BNV"])
        let notLeader = try await user("quangninh.chuyenvien")
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc2.id)/present", as: try await token("quangninh.vanthu"), json: ["leader_id": notLeader.id!.uuidString])
        XCTAssertEqual(response.status, .unprocessableEntity)
        XCTAssertNotNil(response.error?.fields?["leader_id"])
        // A unit in another agency cannot lead.
        let foreignUnit = try await unit("000.00.00.H20", "TH")
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/direct", as: try await token("quangninh.lanhdao"), json: ["lead_unit_id": foreignUnit.id!.uuidString])
        XCTAssertEqual(response.status, .unprocessableEntity, response.body)
        // Directed to TH: the unit head of TH may assign, but not to someone outside TH; a specialist may not assign.
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/direct", as: try await token("quangninh.lanhdao"), json: ["lead_unit_id": th.id!.uuidString])
        XCTAssertEqual(response.status, .ok, response.body)
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/assign", as: try await token("quangninh.chuyenvien"), json: ["assignee_id": notLeader.id!.uuidString])
        XCTAssertEqual(response.status, .forbidden, response.body)
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/assign", as: try await token("quangninh.truongphong"), json: ["assignee_id": leaderUser.id!.uuidString])
        XCTAssertEqual(response.status, .unprocessableEntity, response.body)
        // Finishing before assignment: nobody is its handler yet, and the permission answers
        // before the state machine (one pipeline: 404, then 403, then 409); someone else's document cannot be finished.
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/finish", as: try await token("quangninh.chuyenvien"), json: ["note": "Xong"])
        XCTAssertEqual(response.status, .forbidden, response.body)
        _ = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/assign", as: try await token("quangninh.truongphong"), json: ["assignee_id": notLeader.id!.uuidString])
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/finish", as: try await token("quangninh.truongphong"), json: ["note": "Xong"])
        XCTAssertEqual(response.status, .forbidden, response.body)
        // A finish without a result is a field error, not a silent success.
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/finish", as: try await token("quangninh.chuyenvien"), json: ["note": "  "])
        XCTAssertEqual(response.status, .unprocessableEntity)
        do { let value = try await IncomingDocument.find(doc.id, on: app.db)?.state; XCTAssertEqual(value, "assigned") }
    }

    func test_specialistSeesDocumentsOfTheirUnitButConfidentialOnesOnlyWhenAssigned() async throws {
        let leaderUser = try await user("quangninh.lanhdao")
        let th = try await unit(province, "TH")
        let kstt = try await unit(province, "KSTT")
        // A second specialist, in the cooperating unit KSTT.
        let hash = try app.password.hash(DemoSeed.password)
        let agency = try await agency(province)
        try await User(agencyID: agency.id!, unitID: kstt.id!, username: "quangninh.kstt", fullName: "Lê Thị Thu",
                       roles: [.specialist], passwordHash: hash).create(on: app.db)

        func direct(_ changes: [String: String]) async throws -> IncomingDocumentDTO {
            let doc = try await registerIncoming(as: "quangninh.vanthu", changes)
            _ = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/present", as: try await token("quangninh.vanthu"), json: ["leader_id": leaderUser.id!.uuidString])
            let response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/direct", as: try await token("quangninh.lanhdao"),
                                         json: DirectBody(lead_unit_id: th.id!.uuidString, cooperating_unit_ids: [kstt.id!.uuidString]))
            XCTAssertEqual(response.status, .ok, response.body)
            return try response.json(IncomingDocumentDTO.self)
        }
        let open = try await direct([:])
        let secret = try await direct(["number_notation": "12/QĐ-BNV", "confidentiality": "confidential"])

        func visible(_ username: String) async throws -> Set<UUID> {
            Set(try await api(.GET, "/api/v1/incoming-documents", as: try await token(username)).json([IncomingDocumentDTO].self).map(\.id))
        }
        do { let value = try await visible("quangninh.chuyenvien"); XCTAssertEqual(value, [open.id]) }
        do { let value = try await visible("quangninh.kstt"); XCTAssertEqual(value, [open.id]) }
        do { let value = try await visible("quangninh.truongphong"); XCTAssertEqual(value, [open.id, secret.id]) }
        do { let value = try await visible("quangninh.lanhdao"); XCTAssertEqual(value, [open.id, secret.id]) }
        do { let value = try await visible("quangninh.vanthu"); XCTAssertEqual(value, [open.id, secret.id]) }
        do { let value = try await visible("quangninh.quantri"); XCTAssertEqual(value, []) }
        do { let value = try await api(.GET, "/api/v1/incoming-documents/\(secret.id)", as: try await token("quangninh.chuyenvien")).status; XCTAssertEqual(value, .notFound) }
        do { let value = try await api(.GET, "/api/v1/incoming-documents/\(secret.id)", as: try await token("quangninh.kstt")).status; XCTAssertEqual(value, .notFound) }

        // Once assigned to the specialist, the confidential document is theirs to see; the cooperating unit still cannot.
        let specialistUser = try await user("quangninh.chuyenvien")
        let response = try await api(.POST, "/api/v1/incoming-documents/\(secret.id)/assign", as: try await token("quangninh.truongphong"),
                                     json: ["assignee_id": specialistUser.id!.uuidString])
        XCTAssertEqual(response.status, .ok, response.body)
        do { let value = try await visible("quangninh.chuyenvien"); XCTAssertEqual(value, [open.id, secret.id]) }
        do { let value = try await api(.GET, "/api/v1/incoming-documents/\(secret.id)", as: try await token("quangninh.kstt")).status; XCTAssertEqual(value, .notFound) }
    }

    func test_inboxPutsTheMostUrgentFirstThenTheEarliestDeadlineAndMarksDueDates() async throws {
        let leaderUser = try await user("quangninh.lanhdao")
        let specialistUser = try await user("quangninh.chuyenvien")
        let th = try await unit(province, "TH")
        var ids: [String: UUID] = [:]
        // Directed on Monday 2 March with deadlines given as dates.
        for (name, urgency, deadline) in [("late", "normal", "2026-03-20"), ("soon", "normal", "2026-03-03"), ("flash", "flash", "2026-03-31"),
                                          ("later", "normal", "2026-03-25")] {
            let doc = try await registerIncoming(as: "quangninh.vanthu", ["number_notation": "\(ids.count + 1)/BNV-VP", "type_code": "", "urgency": urgency])
            _ = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/present", as: try await token("quangninh.vanthu"), json: ["leader_id": leaderUser.id!.uuidString])
            let response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/direct", as: try await token("quangninh.lanhdao"),
                                         json: DirectBody(lead_unit_id: th.id!.uuidString, assignee_id: specialistUser.id!.uuidString, deadline: deadline))
            XCTAssertEqual(response.status, .ok, response.body)
            XCTAssertEqual(try response.json(IncomingDocumentDTO.self).state, "assigned", "a leader naming a person assigns at once")
            ids[name] = doc.id
        }
        // Wednesday 18 March: "soon" (3 March) is overdue, "late" (20 March) is within 2 working days.
        clock.now = ISO8601DateFormatter().date(from: "2026-03-18T02:00:00Z")!
        let inbox = try await api(.GET, "/api/v1/inbox", as: try await token("quangninh.chuyenvien")).json(IncomingDocumentAPI.InboxDTO.self).incoming
        XCTAssertEqual(inbox.map(\.id), [ids["flash"]!, ids["soon"]!, ids["late"]!, ids["later"]!])
        XCTAssertEqual(inbox.map(\.deadlineStatus), ["on_track", "overdue", "due_soon", "on_track"])

        let browser = browser()
        _ = try await browser.signIn("quangninh.chuyenvien")
        let page = try await browser.get("/inbox")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("Quá hạn"), page.body)
        XCTAssertTrue(page.body.contains("Sắp đến hạn"))
        XCTAssertTrue(page.body.contains("Hỏa tốc"))
    }

    func test_returnedDocumentGoesBackToTheClerkWhoCanPresentItAgainOrWithdrawIt() async throws {
        let leaderUser = try await user("quangninh.lanhdao")
        let doc = try await registerIncoming(as: "quangninh.vanthu")
        let clerk = try await token("quangninh.vanthu")
        _ = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/present", as: clerk, json: ["leader_id": leaderUser.id!.uuidString])
        var response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/return", as: try await token("quangninh.lanhdao"), json: ["note": ""])
        XCTAssertEqual(response.status, .unprocessableEntity, "a reason is required")
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/return", as: try await token("quangninh.lanhdao"),
                                 json: ["note": "Văn bản gửi nhầm, đề nghị chuyển Sở Nội vụ."])
        XCTAssertEqual(try response.json(IncomingDocumentDTO.self).state, "returned")
        do { let inbox = try await api(.GET, "/api/v1/inbox", as: clerk).json(IncomingDocumentAPI.InboxDTO.self).incoming; XCTAssertEqual(inbox.map(\.id), [doc.id]) }
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/withdraw", as: clerk, json: ["note": "Chuyển Sở Nội vụ."])
        XCTAssertEqual(try response.json(IncomingDocumentDTO.self).state, "withdrawn")
        response = try await api(.POST, "/api/v1/incoming-documents/\(doc.id)/present", as: clerk, json: ["leader_id": leaderUser.id!.uuidString])
        XCTAssertEqual(response.status, .conflict)
        // A withdrawn registration does not block registering the same document again.
        let again = try await registerIncoming(as: "quangninh.vanthu")
        XCTAssertEqual(again.arrivalNumber, 2)
    }

    func test_listSearchFindsDocumentsWithOrWithoutDiacritics() async throws {
        _ = try await registerIncoming(as: "quangninh.vanthu")
        _ = try await registerIncoming(as: "quangninh.vanthu", ["number_notation": "40/BC-BNV", "type_code": "report", "subject": "Báo cáo tình hình cải cách hành chính quý I", "signer_name": "Phạm Thị Lan"])
        let clerk = try await token("quangninh.vanthu")
        for query in ["bien che", "biên chế", "BIÊN CHẾ", "125/QĐ", "tran van hai"] {
            let found = try await api(.GET, "/api/v1/incoming-documents?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", as: clerk)
                .json([IncomingDocumentDTO].self)
            XCTAssertEqual(found.map(\.numberNotation), ["125/QĐ-BNV"], query)
        }
        let reports = try await api(.GET, "/api/v1/incoming-documents?q=cai%20cach", as: clerk).json([IncomingDocumentDTO].self)
        XCTAssertEqual(reports.map(\.numberNotation), ["40/BC-BNV"])
        do { let value = try await api(.GET, "/api/v1/incoming-documents?state=nonsense", as: clerk).status; XCTAssertEqual(value, .badRequest) }
    }

    func test_inboxComesInPagesOfFifty() async throws {
        for i in 1...55 {
            _ = try await registerIncoming(as: "quangninh.vanthu", ["number_notation": "\(i)/UBND-VP", "type_code": "", "sender_agency_code": "",
                                                                  "sender_name": "UBND thành phố Hạ Long", "urgency": i % 10 == 0 ? "urgent" : "normal"])
        }
        let clerk = try await token("quangninh.vanthu")
        let first = try await api(.GET, "/api/v1/inbox", as: clerk).json(IncomingDocumentAPI.InboxDTO.self)
        let second = try await api(.GET, "/api/v1/inbox?page=2", as: clerk).json(IncomingDocumentAPI.InboxDTO.self)
        XCTAssertEqual(first.incoming.count, 50)
        XCTAssertTrue(first.hasMore)
        XCTAssertEqual(second.incoming.count, 5)
        XCTAssertFalse(second.hasMore)
        XCTAssertEqual(Set(first.incoming.map(\.id) + second.incoming.map(\.id)).count, 55)
        // The clerk's duties (registered, and assigned to them) merge into one order: urgent first.
        XCTAssertEqual(first.incoming.prefix(5).map(\.urgency), Array(repeating: "urgent", count: 5))
        XCTAssertFalse((first.incoming.dropFirst(5) + second.incoming).contains { $0.urgency == "urgent" })
    }
}
