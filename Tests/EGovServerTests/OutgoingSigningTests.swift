import EGovCore
import Fluent
import Foundation
import XCTest
import XCTVapor
@testable import EGovServer

/// Signing and issuing an outgoing document: the confirmation and second factor before a
/// signature, the signer's title and mark, the recipients' order, and the PDF that carries
/// the leader's and the agency's PAdES signatures.
final class OutgoingSigningTests: EGovTestCase {
    /// A draft by quangninh.chuyenvien with `file`, submitted and approved: it waits for a signature.
    func approvedDraft(file: Data, fileName: String = "Cong van.pdf", externalRecipients: String = "Như trên;\nLưu: VT, TH.",
                       line: UInt = #line) async throws -> OutgoingDocumentDTO {
        let specialist = try await token("quangninh.chuyenvien")
        let body: [String: String] = ["subject": "Về việc triển khai chữ ký số trên văn bản điện tử", "external_recipients": externalRecipients,
                                      "recipient_agency_codes": "000.00.01.H49"]
        var response = try await api(.POST, "/api/v1/outgoing-documents", as: specialist, json: body)
        XCTAssertEqual(response.status, .created, response.body, line: line)
        let doc = try response.json(OutgoingDocumentDTO.self)
        response = try await upload("/api/v1/outgoing-documents/\(doc.id)/attachments", as: specialist, fileName: fileName, data: file)
        XCTAssertEqual(response.status, .created, response.body, line: line)
        response = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/submit", as: specialist, json: [String: String]())
        XCTAssertEqual(response.status, .ok, response.body, line: line)
        response = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/approve", as: try await token("quangninh.truongphong"), json: [String: String]())
        XCTAssertEqual(response.status, .ok, response.body, line: line)
        return try response.json(OutgoingDocumentDTO.self)
    }

    func sign(_ doc: OutgoingDocumentDTO, _ body: [String: String], token: String? = nil) async throws -> TestResponse {
        let leader: String
        if let token { leader = token } else { leader = try await self.token("quangninh.lanhdao") }
        return try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/sign", as: leader, json: body)
    }

    func test_nothingIsSignedWithoutConfirmationAndTheLeadersSecondFactor() async throws {
        let doc = try await approvedDraft(file: makeTextPDF("Cong van so 1"))
        var response = try await sign(doc, ["signing_mark": "KT."])
        XCTAssertEqual(response.status, .unprocessableEntity)
        XCTAssertTrue(response.error?.fields?["confirm"]?.contains("Cần xác nhận trước khi ký số") ?? false, response.body)
        response = try await sign(doc, ["signing_mark": "KT.", "confirm": "false"])
        XCTAssertEqual(response.status, .unprocessableEntity)

        // The leader turns on TOTP: now the code is asked for too, and checked.
        // (signed in before, as signing in would now need the code too)
        let session = try await token("quangninh.lanhdao")
        let leader = try await user("quangninh.lanhdao")
        let secret = TOTP.generateSecret()
        leader.totpSecret = Base32.encode(secret)
        leader.totpEnabled = true
        try await leader.update(on: app.db)
        response = try await sign(doc, ["signing_mark": "KT.", "confirm": "true"], token: session)
        XCTAssertEqual(response.status, .unprocessableEntity)
        XCTAssertNotNil(response.error?.fields?["totp_code"])
        let right = TOTP(secret: secret).code(at: clock.now)
        let wrong = String(right.reversed()) == right ? "000000" : String(right.reversed())
        response = try await sign(doc, ["signing_mark": "KT.", "confirm": "true", "totp_code": wrong == right ? "12345x" : wrong], token: session)
        XCTAssertEqual(response.status, .unprocessableEntity)
        XCTAssertEqual(response.error?.fields?["totp_code"], "Mã xác thực hai lớp không đúng hoặc đã hết hạn.")
        do {
            let count = try await DocumentSignatureRecord.query(on: app.db).count()
            XCTAssertEqual(count, 0, "a refused attempt leaves no signature")
            let state = try await OutgoingDocument.find(doc.id, on: app.db)?.state
            XCTAssertEqual(state, "approved")
        }
        response = try await sign(doc, ["signing_mark": "KT.", "confirm": "true", "totp_code": right], token: session)
        XCTAssertEqual(response.status, .ok, response.body)
        XCTAssertEqual(try response.json(OutgoingDocumentDTO.self).state, "signed")
    }

    /// A session cannot try second-factor codes one after another at signing: wrong ones count
    /// toward the lock-out as at sign-in, and a locked account signs nothing.
    func test_wrongSigningCodesLockTheAccountAsAtSignIn() async throws {
        let doc = try await approvedDraft(file: samplePDF)
        let session = try await token("quangninh.lanhdao")
        let leader = try await user("quangninh.lanhdao")
        let secret = TOTP.generateSecret()
        leader.totpSecret = Base32.encode(secret)
        leader.totpEnabled = true
        try await leader.update(on: app.db)
        let right = TOTP(secret: secret).code(at: clock.now)
        let wrong = right == "000000" ? "111111" : "000000"
        for attempt in 1...app.settings.maxFailedSignIns {
            let response = try await sign(doc, ["signing_mark": "KT.", "confirm": "true", "totp_code": wrong], token: session)
            XCTAssertEqual(response.status, .unprocessableEntity, "attempt \(attempt)")
        }
        let locked = try await sign(doc, ["signing_mark": "KT.", "confirm": "true", "totp_code": right], token: session)
        XCTAssertEqual(locked.status, .tooManyRequests, locked.body)
        let state = try await OutgoingDocument.find(doc.id, on: app.db)?.state
        XCTAssertEqual(state, "approved", "nothing was signed")
        let failures = try await AuditEntry.query(on: app.db).filter(\.$action == "sign_in.failed").count()
        XCTAssertEqual(failures, app.settings.maxFailedSignIns, "each wrong code is in the audit log")
    }

    func test_signerShowsAsTitleAndMarkNotAsTheirRole() async throws {
        let doc = try await approvedDraft(file: makeTextPDF("Cong van so 2"))
        // The demo leader's recorded position is the role name "Lãnh đạo": the suggestion is the deputy's title.
        let response = try await sign(doc, ["signing_mark": "KT.", "confirm": "true"])
        XCTAssertEqual(response.status, .ok, response.body)
        let signed = try response.json(OutgoingDocumentDTO.self)
        XCTAssertEqual(signed.signerCompetence, "KT. CHỦ TỊCH")
        XCTAssertEqual(signed.signerPosition, "PHÓ CHỦ TỊCH")
        let browser = browser()
        _ = try await browser.signIn("quangninh.lanhdao")
        let page = try await browser.get("/documents/outgoing/\(doc.id)")
        XCTAssertTrue(page.body.contains("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\(signed.signer?.name ?? "?")"), page.body)
        XCTAssertFalse(page.body.contains("Lãnh đạo \(signed.signer?.name ?? "?")"))
        let list = try await browser.get("/documents/outgoing")
        XCTAssertTrue(list.body.contains("KT. CHỦ TỊCH, PHÓ CHỦ TỊCH \(signed.signer?.name ?? "?")"), list.body)

        // A title the leader types wins; TL. without the head's title is a field error.
        let other = try await approvedDraft(file: makeTextPDF("Cong van so 3"))
        var typed = try await sign(other, ["signing_mark": "TL.", "head_title": " ", "signer_position": "Chánh Văn phòng", "confirm": "true"])
        XCTAssertEqual(typed.status, .ok, "an empty head title takes the agency's suggestion: \(typed.body)")
        XCTAssertEqual(try typed.json(OutgoingDocumentDTO.self).signerCompetence, "TL. CHỦ TỊCH")
        let third = try await approvedDraft(file: makeTextPDF("Cong van so 4"))
        typed = try await sign(third, ["signing_mark": "TUQ.", "head_title": String(repeating: "x", count: 101), "confirm": "true"])
        XCTAssertEqual(typed.status, .unprocessableEntity)
        XCTAssertNotNil(typed.error?.fields?["head_title"])
    }

    func test_recipientsKeepTheDraftersOrderOnThePageAndInTheRegister() async throws {
        let doc = try await approvedDraft(file: makeTextPDF("Cong van so 5"), externalRecipients: "Như trên;\nBan Giám đốc;\nLưu: VT, TH.")
        XCTAssertEqual(doc.recipients.map(\.name), ["Sở Nội vụ tỉnh Quảng Ninh", "Như trên;", "Ban Giám đốc;", "Lưu: VT, TH."])
        _ = try await sign(doc, ["signing_mark": "KT.", "confirm": "true"])
        _ = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/issue", as: try await token("quangninh.vanthu"), json: [String: String]())
        let lines = try await api(.GET, "/api/v1/registers/outgoing?from=2026-03-01&to=2026-03-31", as: try await token("quangninh.lanhdao"))
            .json([DocumentRegisters.OutgoingLine].self)
        XCTAssertEqual(lines.first?.recipients, "Sở Nội vụ tỉnh Quảng Ninh; Như trên;; Ban Giám đốc;; Lưu: VT, TH.")
        let browser = browser()
        _ = try await browser.signIn("quangninh.lanhdao")
        let page = try await browser.get("/documents/outgoing/\(doc.id)").body
        let positions = ["Như trên;", "Ban Giám đốc;", "Lưu: VT, TH."].compactMap { page.range(of: "<li>\($0)</li>")?.lowerBound }
        XCTAssertEqual(positions.count, 3, page)
        XCTAssertEqual(positions, positions.sorted())
    }

    func test_theFirstFileHintGoesOnceAFileIsAttached() async throws {
        let specialist = browser()
        _ = try await specialist.signIn("quangninh.chuyenvien")
        let doc = try await api(.POST, "/api/v1/outgoing-documents", as: try await token("quangninh.chuyenvien"),
                                json: ["subject": "Về việc rà soát hồ sơ"]).json(OutgoingDocumentDTO.self)
        var page = try await specialist.get("/documents/outgoing/\(doc.id)")
        XCTAssertTrue(page.body.contains("Dự thảo cần có ít nhất một tệp"))
        _ = try await upload("/api/v1/outgoing-documents/\(doc.id)/attachments", as: try await token("quangninh.chuyenvien"), fileName: "a.pdf", data: samplePDF)
        page = try await specialist.get("/documents/outgoing/\(doc.id)")
        XCTAssertFalse(page.body.contains("Dự thảo cần có ít nhất một tệp"), "the hint is gone once a file is attached")
    }

    func test_issuedPDFCarriesTheLeadersAndTheSealsSignatures() async throws {
        let original = makeTextPDF("Cong van ve chu ky so")
        let doc = try await approvedDraft(file: original)
        let signedResponse = try await sign(doc, ["signing_mark": "KT.", "confirm": "true"])
        XCTAssertEqual(signedResponse.status, .ok, signedResponse.body)
        let signed = try signedResponse.json(OutgoingDocumentDTO.self)
        XCTAssertEqual(signed.signedPDFs?.map(\.stage), ["signed"])
        let issuedResponse = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/issue", as: try await token("quangninh.vanthu"), json: [String: String]())
        XCTAssertEqual(issuedResponse.status, .ok, issuedResponse.body)
        let issued = try issuedResponse.json(OutgoingDocumentDTO.self)
        XCTAssertEqual(issued.signedPDFs?.map(\.stage), ["signed", "issued"])
        XCTAssertTrue(issued.history?.last?.note.contains("Đóng dấu số vào 1 tệp PDF") ?? false, issued.history?.last?.note ?? "")
        // The draft and its detached signature are untouched.
        XCTAssertEqual(issued.signatureStatus, "valid")
        XCTAssertEqual(issued.attachments?.map(\.sha256), [DocumentSigner.sha256Hex(of: original)])

        let issuedFile = try XCTUnwrap(issued.signedPDFs?.last)
        let bytes = try await download(issuedFile.downloadURL, as: try await token("quangninh.vanthu"))
        XCTAssertEqual(DocumentSigner.sha256Hex(of: bytes), issuedFile.sha256)
        XCTAssertEqual(Array(bytes.prefix(original.count)), Array(original), "the issued PDF is the draft plus appended revisions")
        let signatures = try PDFSignatureInspection.signatures(in: bytes)
        XCTAssertEqual(signatures.map(\.fieldName), ["EGov-NguoiKy", "EGov-DauCoQuan"])
        XCTAssertTrue(signatures.allSatisfy { $0.subFilter == "ETSI.CAdES.detached" })
        XCTAssertTrue(signatures[1].coversRevision(endingAt: bytes.count))
        let text = String(decoding: bytes, as: UTF8.self)
        XCTAssertTrue(text.contains(PDFObject.text("Phát hành văn bản số 01/UBND-TH").bytes.map { String(UnicodeScalar($0)) }.joined()))
        do {
            let other = try await api(.GET, issuedFile.downloadURL, as: try await token("dongthap.vanthu")).status
            XCTAssertEqual(other, .notFound, "another agency does not get the file")
        }
        // The page offers it too.
        let browser = browser()
        _ = try await browser.signIn("quangninh.vanthu")
        let page = try await browser.get("/documents/outgoing/\(doc.id)")
        XCTAssertTrue(page.body.contains("/documents/outgoing/\(doc.id)/signed-pdfs/\(issuedFile.id)"), page.body)
        XCTAssertTrue(page.body.contains("Bản phát hành"))
        let pageDownload = try await browser.get("/documents/outgoing/\(doc.id)/signed-pdfs/\(issuedFile.id)")
        XCTAssertEqual(pageDownload.status, .ok)
        XCTAssertEqual(pageDownload.headers.contentType, .pdf)

        // Independent validators, when installed (CI installs them): both accept and name the
        // signers, and both refuse the file once one signed byte is changed.
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/pades-check").path
        guard Self.installed("pdfsig"), Self.installed("pyhanko") else {
            // CI installs both (scripts/install-deps --pades): there, a missing validator is a failure, not a skip.
            if ProcessInfo.processInfo.environment["CI"] == "true" {
                XCTFail("CI must run the PAdES check: pdfsig or pyhanko is missing")
                return
            }
            throw XCTSkip("pdfsig (poppler-utils) or pyhanko (pip install pyhanko pyhanko-cli) is not installed")
        }
        let pdfPath = dataDir + "/issued-check.pdf"
        try Data(bytes).write(to: URL(fileURLWithPath: pdfPath))
        let leaderName = try await user("quangninh.lanhdao").fullName
        let (status, output) = try Self.run(["python3", script, pdfPath, app.egovServices.signingKeystore.caCertificatePath, "--signers", "2",
                                             "--name", leaderName, "--name", "Ủy ban nhân dân tỉnh Quảng Ninh"])
        XCTAssertEqual(status, 0, output)
        XCTAssertTrue(output.contains("OK: both validators accept every signature and refuse the changed file"), output)
    }

    func test_filesThatCannotBeStampedKeepTheirDetachedSignaturesAndTheIssueGoesOn() async throws {
        // The tests' tiny sample PDF has no cross-reference table; a PNG is no PDF at all.
        let doc = try await approvedDraft(file: samplePDF)
        let response = try await sign(doc, ["signing_mark": "KT.", "confirm": "true"])
        XCTAssertEqual(response.status, .ok, response.body)
        let signed = try response.json(OutgoingDocumentDTO.self)
        XCTAssertEqual(signed.signedPDFs?.count, 0)
        XCTAssertEqual(signed.signatureStatus, "valid")
        XCTAssertTrue(signed.history?.last?.note.contains("chỉ có chữ ký số tách rời") ?? false, signed.history?.last?.note ?? "")
        let issued = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/issue", as: try await token("quangninh.vanthu"), json: [String: String]())
        XCTAssertEqual(issued.status, .ok, issued.body)
        XCTAssertEqual(try issued.json(OutgoingDocumentDTO.self).numberNotation, "01/UBND-TH")
    }

    func test_anAgencyWithoutASealStillIssuesWithTheLeadersSignature() async throws {
        try await AgencySealRecord.query(on: app.db).delete()
        let doc = try await approvedDraft(file: makeTextPDF("Cong van so 6"))
        _ = try await sign(doc, ["signing_mark": "KT.", "confirm": "true"])
        let issued = try await api(.POST, "/api/v1/outgoing-documents/\(doc.id)/issue", as: try await token("quangninh.vanthu"), json: [String: String]())
        XCTAssertEqual(issued.status, .ok, issued.body)
        let dto = try issued.json(OutgoingDocumentDTO.self)
        XCTAssertEqual(dto.signedPDFs?.map(\.stage), ["signed"])
        XCTAssertTrue(dto.history?.last?.note.contains("egov pki seal") ?? false)
    }

    /// The raw bytes of an API download (TestResponse keeps text only).
    func download(_ path: String, as token: String) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        try await app.test(.GET, path, beforeRequest: { req async throws in
            req.headers.bearerAuthorization = .init(token: token)
        }, afterResponse: { res async throws in
            XCTAssertEqual(res.status, .ok)
            XCTAssertEqual(res.headers.contentType, .pdf)
            bytes = Array(res.body.readableBytesView)
        })
        return bytes
    }

    static func installed(_ tool: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(tool)")
        }
    }

    static func run(_ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
