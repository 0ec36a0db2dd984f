import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// Outgoing documents through the API: draft, review, signature, numbering and issue.
final class OutgoingDocumentTests: EGovTestCase {
    let province = "000.00.00.H49"

    struct DraftBody: Content {
        var type_code = "official_letter"
        var subject = "Về việc đôn đốc triển khai dịch vụ công trực tuyến toàn trình"
        var summary = ""
        var confidentiality = "normal"
        var recipient_unit_ids: [String] = []
        var recipient_agency_codes: [String] = []
        var external_recipients = "Lưu: VT, TH."
    }

    /// A draft by quangninh.chuyenvien (unit TH) with one PDF, taken as far as `state`.
    func draft(_ body: DraftBody = DraftBody(), upTo state: OutgoingDocumentState = .draft, pdf: Data = samplePDF,
               file: StaticString = #filePath, line: UInt = #line) async throws -> OutgoingDocumentDTO {
        let specialist = try await token("quangninh.chuyenvien")
        var response = try await api(.POST, "/api/v1/outgoing-documents", as: specialist, json: body)
        XCTAssertEqual(response.status, .created, response.body, file: file, line: line)
        var doc = try response.json(OutgoingDocumentDTO.self)
        response = try await upload("/api/v1/outgoing-documents/\(doc.id)/attachments", as: specialist, fileName: "Du thao cong van.pdf", data: pdf)
        XCTAssertEqual(response.status, .created, response.body, file: file, line: line)
        let path: [OutgoingDocumentState] = [.draft, .inReview, .approved, .signed, .issued]
        let steps: [(String, String, [String: String])] = [
            ("quangninh.chuyenvien", "submit", [:]),
            ("quangninh.truongphong", "approve", ["note": "Đồng ý trình ký."]),
            ("quangninh.lanhdao", "sign", ["signing_mark": "KT.", "confirm": "true"]),
            ("quangninh.vanthu", "issue", [:]),
        ]
        for (who, move, body) in steps.prefix(path.firstIndex(of: state) ?? 0) {
            response = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/\(move)", as: try await token(who), json: body)
            XCTAssertEqual(response.status, .ok, "\(move): \(response.body)", file: file, line: line)
            doc = try response.json(OutgoingDocumentDTO.self)
        }
        XCTAssertEqual(doc.state, state.rawValue, file: file, line: line)
        return doc
    }

    func test_outgoingDocumentGoesFromDraftToSignedAndIssuedThroughTheAPI() async throws {
        let kstt = try await unit(province, "KSTT")
        var body = DraftBody()
        body.recipient_unit_ids = [kstt.id!.uuidString]
        body.recipient_agency_codes = ["000.00.01.H49"]
        let doc = try await draft(body)
        XCTAssertEqual(doc.state, "draft")
        XCTAssertEqual(doc.issuerNotation, "UBND")
        XCTAssertEqual(Set(doc.recipients.map(\.name)), ["Phòng Kiểm soát thủ tục hành chính", "Sở Nội vụ tỉnh Quảng Ninh", "Lưu: VT, TH."])

        // A second save of the same file name keeps both versions with their hashes.
        let changed = samplePDF + Data("% sửa lần 2\n".utf8)
        let response = try await upload("/api/v1/outgoing-documents/\(doc.id)/attachments", as: try await token("quangninh.chuyenvien"),
                                        fileName: "Du thao cong van.pdf", data: changed)
        XCTAssertEqual(try response.json(AttachmentDTO.self).version, 2)

        let submitted = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/submit", as: try await token("quangninh.chuyenvien"), json: ["note": ""])
        XCTAssertEqual(try submitted.json(OutgoingDocumentDTO.self).state, "in_review")
        do {
            let inbox = try await api(.GET, "/api/v1/inbox", as: try await token("quangninh.truongphong")).json(IncomingDocumentAPI.InboxDTO.self)
            XCTAssertEqual(inbox.outgoing.map(\.id), [doc.id])
        }
        _ = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/approve", as: try await token("quangninh.truongphong"), json: ["note": "Đồng ý."])
        do {
            let inbox = try await api(.GET, "/api/v1/inbox", as: try await token("quangninh.lanhdao")).json(IncomingDocumentAPI.InboxDTO.self)
            XCTAssertEqual(inbox.outgoing.map(\.id), [doc.id])
        }
        let signed = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/sign", as: try await token("quangninh.lanhdao"), json: ["signing_mark": "KT.", "confirm": "true"])
        XCTAssertEqual(signed.status, .ok, signed.body)
        let signedDoc = try signed.json(OutgoingDocumentDTO.self)
        XCTAssertEqual(signedDoc.state, "signed")
        XCTAssertEqual(signedDoc.signatureStatus, "valid")
        // Only the current version (v2) is signed, and the signature carries the file's hash.
        XCTAssertEqual(signedDoc.signatures?.count, 1)
        XCTAssertEqual(signedDoc.signatures?.first?.status, "valid")
        let v2 = try XCTUnwrap(signedDoc.attachments?.first { $0.version == 2 })
        XCTAssertEqual(signedDoc.signatures?.first?.attachmentID, v2.id)
        XCTAssertEqual(v2.sha256, DocumentSigner.sha256Hex(of: changed))
        // The file downloads for those who see the draft, not for others.
        let file = try await api(.GET, v2.downloadURL, as: try await token("quangninh.lanhdao"))
        XCTAssertEqual(file.status, .ok)
        XCTAssertEqual(Data(file.body.utf8), changed)
        do { let value = try await api(.GET, v2.downloadURL, as: try await token("dongthap.lanhdao")).status; XCTAssertEqual(value, .notFound) }

        let issued = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/issue", as: try await token("quangninh.vanthu"), json: [String: String]())
        XCTAssertEqual(issued.status, .ok, issued.body)
        let issuedDoc = try issued.json(OutgoingDocumentDTO.self)
        XCTAssertEqual(issuedDoc.state, "issued")
        XCTAssertEqual(issuedDoc.number, 1)
        XCTAssertEqual(issuedDoc.numberNotation, "01/UBND-TH")
        XCTAssertEqual(issuedDoc.issuedDate, "2026-03-02")
        XCTAssertEqual(issuedDoc.signatureStatus, "valid")
        XCTAssertEqual(issuedDoc.outbox?.map(\.recipientName), ["Sở Nội vụ tỉnh Quảng Ninh"])
        XCTAssertEqual(issuedDoc.outbox?.first?.state, "waiting")
        XCTAssertEqual(issuedDoc.history?.map(\.action), ["outgoing.create", "outgoing.submit", "outgoing.approve", "outgoing.sign", "outgoing.issue"])
        do {
            let outbox = try await api(.GET, "/api/v1/outbox", as: try await token("quangninh.vanthu")).json([OutboxDTO].self)
            XCTAssertEqual(outbox.map(\.documentID), [doc.id])
        }
        // The recipient unit sees the issued document; the audit chain holds.
        do { let status = try await api(.GET, "/api/v1/outgoing-documents/\(doc.id)", as: try await token("quangninh.quantri")).status; XCTAssertEqual(status, .notFound) }
        do { let problem = try await AuditLog.verify(on: app.db); XCTAssertNil(problem) }
    }

    func test_issueNumbersAreGapFreeAndUniqueUnderFiftyConcurrentIssues() async throws {
        var ids: [UUID] = []
        for i in 0..<50 {
            var body = DraftBody()
            body.subject = "Công văn số thứ \(i + 1) về việc báo cáo số liệu"
            ids.append(try await draft(body, upTo: .signed).id)
        }
        var secretBody = DraftBody()
        secretBody.confidentiality = "confidential"
        secretBody.recipient_agency_codes = ["000.00.01.H49"]
        let secret = try await draft(secretBody, upTo: .signed)
        let clerk = try await token("quangninh.vanthu")
        let app: Application = self.app
        let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
            for id in ids + [secret.id] {
                group.addTask { try await postJSON(app: app, "/api/v1/outgoing-documents/\(id)/issue", token: clerk, body: [:]) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        XCTAssertEqual(statuses, Array(repeating: .ok, count: 51))
        let issued = try await OutgoingDocument.query(on: app.db).all()
        let ordinary = issued.filter { $0.register == OutgoingDocument.ordinaryRegister }.compactMap(\.number).sorted()
        XCTAssertEqual(ordinary, Array(1...50))
        XCTAssertEqual(Set(issued.filter { $0.register == OutgoingDocument.ordinaryRegister }.compactMap(\.numberNotation)).count, 50)
        // Secret documents have their own sequence, and never go to the exchange outbox.
        let secretDoc = issued.first { $0.id == secret.id }
        XCTAssertEqual(secretDoc?.register, OutgoingDocument.secretRegister)
        XCTAssertEqual(secretDoc?.number, 1)
        do { let value = try await OutboxMessage.query(on: app.db).count(); XCTAssertEqual(value, 0) }
        // Issuing twice is refused and takes no number.
        let again = try await api(.POST, "/api/v1/outgoing-documents/\(ids[0])/issue", as: clerk, json: [String: String]())
        XCTAssertEqual(again.status, .conflict)
        do { let value = try await NumberSequences.current(agencyID: try await agency(province).id!, register: "outgoing", year: 2026, on: app.db); XCTAssertEqual(value, 50) }
    }

    func test_signatureTurnsInvalidWhenTheFileChangesOrTheCertificateIsNotTrusted() async throws {
        let doc = try await draft(upTo: .signed)
        let detail = try await api(.GET, "/api/v1/outgoing-documents/\(doc.id)", as: try await token("quangninh.lanhdao")).json(OutgoingDocumentDTO.self)
        XCTAssertEqual(detail.signatureStatus, "valid")
        let attachment = try XCTUnwrap(detail.attachments?.first)
        let path = app.egovServices.attachments.path(of: attachment.sha256)
        let original = try XCTUnwrap(FileManager.default.contents(atPath: path))
        try (original + Data("tampered".utf8)).write(to: URL(fileURLWithPath: path))
        do {
            let value = try await api(.GET, "/api/v1/outgoing-documents/\(doc.id)", as: try await token("quangninh.lanhdao")).json(OutgoingDocumentDTO.self)
            XCTAssertEqual(value.signatureStatus, "invalid")
            XCTAssertEqual(value.signatures?.first?.reason, "digest_mismatch")
        }
        try original.write(to: URL(fileURLWithPath: path))
        // A node that no longer trusts the CA that issued the signer's certificate.
        let keystore = app.egovServices.signingKeystore
        try FileManager.default.removeItem(atPath: keystore.caCertificatePath)
        try FileManager.default.removeItem(atPath: keystore.caKeyPath)
        _ = try keystore.ensureCertificateAuthority(organization: "Khác", now: clock.now)
        do {
            let value = try await api(.GET, "/api/v1/outgoing-documents/\(doc.id)", as: try await token("quangninh.lanhdao")).json(OutgoingDocumentDTO.self)
            XCTAssertEqual(value.signatureStatus, "invalid")
            XCTAssertEqual(value.signatures?.first?.reason, "certificate_not_trusted")
        }
        // An unsigned draft says so.
        let unsigned = try await draft()
        let shown = try await api(.GET, "/api/v1/outgoing-documents/\(unsigned.id)", as: try await token("quangninh.chuyenvien"))
        XCTAssertEqual(try shown.json(OutgoingDocumentDTO.self).signatureStatus, "unsigned")
    }

    func test_forbiddenOutgoingMovesAreRefused() async throws {
        let doc = try await draft()
        let specialist = try await token("quangninh.chuyenvien")
        // Submitting needs the file; this one has it. A draft without files cannot be submitted.
        let bare = try await api(.POST, "/api/v1/outgoing-documents", as: specialist, json: DraftBody()).json(OutgoingDocumentDTO.self)
        var response = try await api(.POST, "/api/v1/outgoing-documents/\(bare.id)/submit", as: specialist, json: [String: String]())
        XCTAssertEqual(response.status, .unprocessableEntity, response.body)
        // Drafts are the drafter's: the clerk and leader do not see them yet; another agency never.
        for who in ["quangninh.vanthu", "quangninh.lanhdao", "dongthap.lanhdao", "admin"] {
            do { let value = try await api(.GET, "/api/v1/outgoing-documents/\(doc.id)", as: try await token(who)).status; XCTAssertEqual(value, .notFound, who) }
        }
        // Nobody signs or issues a draft; the specialist cannot approve their own, as a draft or
        // once submitted: the permission answers before the state machine (404, then 403, then 409).
        response = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/approve", as: specialist, json: [String: String]())
        XCTAssertEqual(response.status, .forbidden, response.body)
        response = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/approve", as: try await token("quangninh.truongphong"), json: [String: String]())
        XCTAssertEqual(response.status, .conflict, "the unit head may approve, but not a draft not yet submitted: \(response.body)")
        _ = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/submit", as: specialist, json: [String: String]())
        response = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/approve", as: specialist, json: [String: String]())
        XCTAssertEqual(response.status, .forbidden, response.body)
        // After submission the drafter can no longer change it.
        response = try await api(.PATCH, "/api/v1/outgoing-documents/\(doc.id)", as: specialist, json: DraftBody())
        XCTAssertEqual(response.status, .conflict, response.body)
        response = try await upload("/api/v1/outgoing-documents/\(doc.id)/attachments", as: specialist, fileName: "x.pdf", data: samplePDF)
        XCTAssertEqual(response.status, .conflict, response.body)
        // Returned with comments, it is editable again.
        response = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/return", as: try await token("quangninh.truongphong"), json: ["note": ""])
        XCTAssertEqual(response.status, .unprocessableEntity)
        response = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/return", as: try await token("quangninh.truongphong"), json: ["note": "Bổ sung số liệu quý I."])
        XCTAssertEqual(try response.json(OutgoingDocumentDTO.self).state, "returned")
        response = try await api(.PATCH, "/api/v1/outgoing-documents/\(doc.id)", as: specialist, json: DraftBody())
        XCTAssertEqual(response.status, .ok, response.body)

        // The clerk cannot sign; a leader without a certificate cannot either.
        let approved = try await draft(upTo: .approved)
        response = try await api(.POST, "/api/v1/outgoing-documents/\(approved.id)/sign", as: try await token("quangninh.vanthu"), json: [String: String]())
        XCTAssertEqual(response.status, .notFound, "the clerk does not see documents before signature")
        let leader = try await user("quangninh.lanhdao")
        try await SigningIdentityRecord.query(on: app.db).filter(\.$userID == leader.id!).delete()
        response = try await api(.POST, "/api/v1/outgoing-documents/\(approved.id)/sign", as: try await token("quangninh.lanhdao"), json: ["confirm": "true"])
        XCTAssertEqual(response.status, .conflict)
        XCTAssertEqual(response.error?.error, "no_signing_certificate")
        response = try await api(.POST, "/api/v1/outgoing-documents/\(approved.id)/sign", as: try await token("quangninh.lanhdao"), json: ["signing_mark": "XYZ"])
        XCTAssertEqual(response.status, .unprocessableEntity)
        do { let value = try await OutgoingDocument.find(approved.id, on: app.db)?.state; XCTAssertEqual(value, "approved") }

        // A classified draft is not seen by the drafter's unit colleagues; bad input is a 422.
        var secretBody = DraftBody()
        secretBody.confidentiality = "secret"
        let secret = try await api(.POST, "/api/v1/outgoing-documents", as: try await token("quangninh.truongphong"), json: secretBody).json(OutgoingDocumentDTO.self)
        do { let value = try await api(.GET, "/api/v1/outgoing-documents/\(secret.id)", as: specialist).status; XCTAssertEqual(value, .notFound) }
        var bad = DraftBody()
        bad.subject = ""
        bad.recipient_agency_codes = ["000.00.00.Z99"]
        response = try await api(.POST, "/api/v1/outgoing-documents", as: specialist, json: bad)
        XCTAssertEqual(response.status, .unprocessableEntity)
        XCTAssertNotNil(response.error?.fields?["subject"])
        response = try await api(.POST, "/api/v1/outgoing-documents", as: try await token("quangninh.vanthu"), json: DraftBody())
        XCTAssertEqual(response.status, .forbidden, "clerks issue, they do not draft")
    }

    /// The leader reads the draft in the page before signing it.
    func test_theDraftToSignIsShownInThePage() async throws {
        let doc = try await draft(upTo: .approved)
        let leader = browser()
        try await leader.signIn("quangninh.lanhdao")
        let page = try await leader.get("/documents/outgoing/\(doc.id)")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains(#"<iframe src="/documents/attachments/"#), page.body)
        XCTAssertTrue(page.body.contains("?inline=1"))
    }
}
