import EGovCore
import XCTest
import XCTVapor
@testable import EGovServer

/// A leader reads a PDF in the page before directing or signing; a file is named after its content.
final class AttachmentViewingTests: EGovTestCase {
    func test_aPDFIsShownInThePage_andAFileKeepsTheNameOfItsCheckedType() async throws {
        let doc = try await registerIncoming(as: "quangninh.vanthu")
        let clerk = try await token("quangninh.vanthu")
        // A PDF that came in as ".html" is stored as ".pdf", so it never downloads as a web page.
        let response = try await upload("/api/v1/incoming-documents/\(doc.id)/attachments", as: clerk, fileName: "Công văn 12.html", data: samplePDF)
        XCTAssertEqual(response.status, .created, response.body)
        let attachment = try response.json(AttachmentDTO.self)
        XCTAssertEqual(attachment.fileName, "Công văn 12.pdf")

        let download = try await api(.GET, attachment.downloadURL, as: clerk)
        XCTAssertTrue(download.headers.first(name: .contentDisposition)?.hasPrefix("attachment;") ?? false)
        let inline = try await api(.GET, attachment.downloadURL + "?inline=1", as: clerk)
        XCTAssertEqual(inline.status, .ok)
        XCTAssertEqual(inline.headers.contentType, .pdf)
        XCTAssertTrue(inline.headers.first(name: .contentDisposition)?.hasPrefix("inline;") ?? false)
        XCTAssertEqual(inline.headers.first(name: "X-Frame-Options"), "SAMEORIGIN", "our own pages may frame it, no other site")

        // The document's page shows it in place.
        let browser = browser()
        try await browser.signIn("quangninh.vanthu")
        let page = try await browser.get("/documents/incoming/\(doc.id)")
        XCTAssertTrue(page.body.contains(#"<iframe src="/documents/attachments/\#(attachment.id)?inline=1""#), page.body)
    }

    func test_fileNamesEndAsTheirType() {
        XCTAssertEqual(AttachmentContentType.pdf.fileName("to-trinh.html"), "to-trinh.pdf")
        XCTAssertEqual(AttachmentContentType.pdf.fileName("Quyết định.PDF"), "Quyết định.PDF")
        XCTAssertEqual(AttachmentContentType.jpeg.fileName("anh.jpeg"), "anh.jpeg")
        XCTAssertEqual(AttachmentContentType.png.fileName("scan"), "scan.png")
        XCTAssertEqual(AttachmentContentType.docx.fileName("v1.2 báo cáo"), "v1.2 báo cáo.docx", "text after a dot is not always an extension")
        XCTAssertEqual(AttachmentContentType.named("Công văn.pdf"), .pdf)
        XCTAssertNil(AttachmentContentType.named("ghi-chu.txt"))
    }
}
