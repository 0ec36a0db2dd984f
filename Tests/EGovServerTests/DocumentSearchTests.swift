import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

final class DocumentSearchTests: EGovTestCase {
    func test_textOfPDFAttachmentsIsSearchedWhenPdftotextIsThere() async throws {
        let doc = try await registerIncoming(as: "quangninh.vanthu")
        let clerk = try await token("quangninh.vanthu")
        let pdf = makeTextPDF("Ke hoach trien khai nen tang tich hop chia se du lieu LGSP nam 2026")
        let response = try await upload("/api/v1/incoming-documents/\(doc.id)/attachments", as: clerk, fileName: "ke-hoach.pdf", data: pdf)
        XCTAssertEqual(response.status, .created, response.body)
        await app.attachmentText.waitUntilIdle()
        let row = try await DocumentAttachment.query(on: app.db).first()
        guard app.attachmentText.isAvailable else {
            // Without the tool the node degrades to metadata search.
            XCTAssertEqual(row?.textState, "unavailable")
            throw XCTSkip("pdftotext is not installed here (scripts/install-deps installs poppler-utils)")
        }
        XCTAssertEqual(row?.textState, "done")
        XCTAssertTrue(row?.extractedText?.contains("tich hop chia se du lieu") ?? false, row?.extractedText ?? "")
        // The words of the file find the document; the subject does not contain them.
        for query in ["LGSP", "chia sẻ dữ liệu", "tích hợp"] {
            let found = try await api(.GET, "/api/v1/incoming-documents?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", as: clerk)
                .json([IncomingDocumentDTO].self)
            XCTAssertEqual(found.map(\.id), [doc.id], query)
        }
        // …but only for people who may see the document.
        let other = try await api(.GET, "/api/v1/incoming-documents?q=LGSP", as: try await token("dongthap.vanthu")).json([IncomingDocumentDTO].self)
        XCTAssertEqual(other.count, 0)
    }

    func test_missingPdftotextDegradesToMetadataSearch() async throws {
        let extractor = AttachmentTextExtractor(app: app, tool: "/nonexistent/pdftotext")
        XCTAssertFalse(extractor.isAvailable)
        app.attachmentText = extractor
        let doc = try await registerIncoming(as: "quangninh.vanthu")
        let clerk = try await token("quangninh.vanthu")
        _ = try await upload("/api/v1/incoming-documents/\(doc.id)/attachments", as: clerk, fileName: "a.pdf", data: makeTextPDF("LGSP"))
        await app.attachmentText.waitUntilIdle()
        do { let value = try await DocumentAttachment.query(on: app.db).first()?.textState; XCTAssertEqual(value, "unavailable") }
        do { let value = try await api(.GET, "/api/v1/incoming-documents?q=LGSP", as: clerk).json([IncomingDocumentDTO].self).count; XCTAssertEqual(value, 0) }
        do { let value = try await api(.GET, "/api/v1/incoming-documents?q=bien%20che", as: clerk).json([IncomingDocumentDTO].self).count; XCTAssertEqual(value, 1) }
    }
}
