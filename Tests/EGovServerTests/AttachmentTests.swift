import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

final class AttachmentTests: EGovTestCase {
    func test_attachmentIsStoredByHashAndDownloadedWithItsNameOnlyByThoseWhoSeeTheDocument() async throws {
        let doc = try await registerIncoming(as: "quangninh.vanthu")
        let clerk = try await token("quangninh.vanthu")
        let response = try await upload("/api/v1/incoming-documents/\(doc.id)/attachments", as: clerk, fileName: "Tờ trình số 5.pdf", data: samplePDF)
        XCTAssertEqual(response.status, .created, response.body)
        let attachment = try response.json(AttachmentDTO.self)
        XCTAssertEqual(attachment.contentType, "application/pdf")
        XCTAssertEqual(attachment.fileName, "Tờ trình số 5.pdf")
        XCTAssertEqual(attachment.version, 1)
        let path = app.egovServices.attachments.path(of: attachment.sha256)
        XCTAssertTrue(path.hasPrefix(dataDir))
        XCTAssertEqual(FileManager.default.contents(atPath: path), samplePDF)

        // The same name again is version 2; the same content is stored once.
        let second = try await upload("/api/v1/incoming-documents/\(doc.id)/attachments", as: clerk, fileName: "Tờ trình số 5.pdf", data: samplePDF)
        XCTAssertEqual(try second.json(AttachmentDTO.self).version, 2)

        let download = try await api(.GET, attachment.downloadURL, as: clerk)
        XCTAssertEqual(download.status, .ok)
        XCTAssertEqual(download.headers.contentType, .pdf)
        XCTAssertEqual(download.headers.first(name: "X-Content-SHA256"), attachment.sha256)
        XCTAssertEqual(Data(download.body.utf8), samplePDF)

        // Someone who cannot see the document cannot fetch its file.
        for outsider in ["quangninh.chuyenvien", "dongthap.vanthu"] {
            do { let value = try await api(.GET, attachment.downloadURL, as: try await token(outsider)).status; XCTAssertEqual(value, .notFound, outsider) }
        }

        // A stored file whose bytes changed is reported, not served.
        try Data("%PDF-1.4 altered".utf8).write(to: URL(fileURLWithPath: path))
        let tampered = try await api(.GET, attachment.downloadURL, as: clerk)
        XCTAssertEqual(tampered.status, .internalServerError)
        XCTAssertEqual(tampered.error?.error, "attachment_corrupted")
        XCTAssertFalse(tampered.body.contains("altered"))
        do { let value = try await AuditEntry.query(on: app.db).filter(\.$action == "attachment.corrupted").count(); XCTAssertEqual(value, 1) }
    }

    func test_uploadsAreCheckedByContentAndSize() async throws {
        let doc = try await registerIncoming(as: "quangninh.vanthu")
        let clerk = try await token("quangninh.vanthu")
        let path = "/api/v1/incoming-documents/\(doc.id)/attachments"
        var response = try await upload(path, as: clerk, fileName: "virus.pdf", data: Data("MZ\u{90}\u{0}".utf8))
        XCTAssertEqual(response.status, .unprocessableEntity)
        XCTAssertTrue(response.error?.message.contains("không phải PDF") ?? false, response.body)
        response = try await upload(path, as: clerk, fileName: "empty.pdf", data: Data())
        XCTAssertEqual(response.status, .unprocessableEntity)
        let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 0, count: 64)
        response = try await upload(path, as: clerk, fileName: "../../anh chup.png", data: png)
        XCTAssertEqual(response.status, .created, response.body)
        XCTAssertEqual(try response.json(AttachmentDTO.self).fileName, "anh chup.png")
        // Over the configured limit.
        app.settings.maxAttachmentBytes = 1024
        app.egovServices.attachments = AttachmentStore(dataDirectory: app.settings.dataDirectory, maxBytes: app.settings.maxAttachmentBytes)
        response = try await upload(path, as: clerk, fileName: "lon.pdf", data: samplePDF + Data(repeating: 0x20, count: 2048))
        XCTAssertEqual(response.status, .unprocessableEntity)
        XCTAssertTrue(response.error?.message.contains("giới hạn") ?? false, response.body)
        // A specialist who cannot see the document cannot attach to it; nor can anyone to a finished one.
        response = try await upload(path, as: try await token("quangninh.chuyenvien"), fileName: "x.pdf", data: samplePDF)
        XCTAssertEqual(response.status, .notFound)
        do { let value = try await DocumentAttachment.query(on: app.db).count(); XCTAssertEqual(value, 1) }
    }
}
