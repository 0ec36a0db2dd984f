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
        await app.egovServices.attachmentText.waitUntilIdle()
        let row = try await DocumentAttachment.query(on: app.db).first()
        guard app.egovServices.attachmentText.isAvailable else {
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
        app.egovServices.attachmentText = extractor
        let doc = try await registerIncoming(as: "quangninh.vanthu")
        let clerk = try await token("quangninh.vanthu")
        _ = try await upload("/api/v1/incoming-documents/\(doc.id)/attachments", as: clerk, fileName: "a.pdf", data: makeTextPDF("LGSP"))
        await app.egovServices.attachmentText.waitUntilIdle()
        do { let value = try await DocumentAttachment.query(on: app.db).first()?.textState; XCTAssertEqual(value, "unavailable") }
        do { let value = try await api(.GET, "/api/v1/incoming-documents?q=LGSP", as: clerk).json([IncomingDocumentDTO].self).count; XCTAssertEqual(value, 0) }
        do { let value = try await api(.GET, "/api/v1/incoming-documents?q=bien%20che", as: clerk).json([IncomingDocumentDTO].self).count; XCTAssertEqual(value, 1) }
    }

    func test_listSearchOverMoreMatchesThanAPageIsNewestFirstWithoutGapsOrRepeats() async throws {
        // 60 matches (more than a page of 50) among other documents: on PostgreSQL the first page
        // comes from the newest documents, the second from the index; on SQLite from FTS5.
        for i in 1...66 {
            let subject = i % 11 == 0 ? "Kế hoạch phòng cháy chữa cháy lần \(i)" : "Báo cáo kết quả cải cách hành chính lần \(i)"
            _ = try await registerIncoming(as: "quangninh.vanthu", ["number_notation": "\(i)/BC-UBND", "type_code": "report",
                                                                  "issued_date": "2026-03-01", "subject": subject])
        }
        let clerk = try await token("quangninh.vanthu")
        let first = try await api(.GET, "/api/v1/incoming-documents?q=c%E1%BA%A3i%20c%C3%A1ch%20h%C3%A0nh%20ch%C3%ADnh", as: clerk).json([IncomingDocumentDTO].self)
        let second = try await api(.GET, "/api/v1/incoming-documents?q=cai%20cach%20hanh%20chinh&page=2", as: clerk).json([IncomingDocumentDTO].self)
        XCTAssertEqual(first.count, 50)
        XCTAssertEqual(second.count, 10)
        let numbers = (first + second).map(\.arrivalNumber)
        XCTAssertEqual(numbers, numbers.sorted(by: >), "newest first across both pages")
        XCTAssertEqual(Set(numbers).count, 60)
        XCTAssertTrue((first + second).allSatisfy { $0.subject.contains("cải cách hành chính") })
        // Another agency's clerk finds none of them.
        do {
            let value = try await api(.GET, "/api/v1/incoming-documents?q=cai%20cach%20hanh%20chinh", as: try await token("vpcp.vanthu")).json([IncomingDocumentDTO].self)
            XCTAssertTrue(value.allSatisfy { !$0.subject.contains("lần") })
        }
    }

    func test_newestTextMatchesReadsOnWhileTheHitRateSaysAPageIsNearAndGivesUpOnRarePhrases() {
        // 20 matches in the first 1,000: about 1,600 more reach 51 (a quarter to spare).
        XCTAssertEqual(NewestTextMatches.nextWindow(found: 20, read: 1000, wanted: 51), 1846)
        // None in the first 1,000: more than the limit would be needed; the index takes over.
        XCTAssertNil(NewestTextMatches.nextWindow(found: 0, read: 1000, wanted: 51))
        // Close to the limit: refused rather than read past it.
        XCTAssertNil(NewestTextMatches.nextWindow(found: 40, read: 7000, wanted: 51))
    }

    func test_oneSearchOverBothKindsWithFiltersPermissionsAndStablePages() async throws {
        // 25 incoming documents over three days, one urgent; and one issued outgoing document.
        for i in 1...25 {
            clock.now = ISO8601DateFormatter().date(from: "2026-03-0\(2 + i % 3)T02:00:00Z")!
            _ = try await registerIncoming(as: "quangninh.vanthu", ["number_notation": "\(i)/BC-BNV", "type_code": "report",
                                                                  "issued_date": "2026-03-01", "urgency": i == 7 ? "urgent" : "normal",
                                                                  "subject": "Báo cáo số liệu cải cách hành chính lần \(i)"])
        }
        clock.now = ISO8601DateFormatter().date(from: "2026-03-05T02:00:00Z")!
        let specialist = try await token("quangninh.chuyenvien")
        let draft = try await api(.POST, "/api/v1/outgoing-documents", as: specialist,
                                  json: ["subject": "Báo cáo tổng hợp cải cách hành chính quý I", "type_code": "report"]).json(OutgoingDocumentDTO.self)
        let clerk = try await token("quangninh.vanthu")

        func search(_ query: String, as token: String) async throws -> DocumentSearchResult {
            let response = try await api(.GET, "/api/v1/documents/search?\(query)", as: token)
            XCTAssertEqual(response.status, .ok, response.body)
            return try response.json(DocumentSearchResult.self)
        }
        // Pages of 20, newest first, no document twice, none missing.
        let first = try await search("q=cai%20cach%20hanh%20chinh&direction=incoming", as: clerk)
        let second = try await search("q=cai%20cach%20hanh%20chinh&direction=incoming&page=2", as: clerk)
        XCTAssertEqual(first.results.count, 20)
        XCTAssertTrue(first.hasMore)
        XCTAssertEqual(second.results.count, 5)
        XCTAssertFalse(second.hasMore)
        XCTAssertEqual(Set((first.results + second.results).map(\.id)).count, 25)
        let dates = (first.results + second.results).map(\.date)
        XCTAssertEqual(dates, dates.sorted(by: >))
        // Filters.
        do { let value = try await search("urgency=urgent", as: clerk).results.map(\.numberNotation); XCTAssertEqual(value, ["07/BC-BNV"]) }
        do { let value = try await search("from=2026-03-03&to=2026-03-03&direction=incoming", as: clerk).results.count; XCTAssertEqual(value, 9) }
        do { let value = try await search("type=decision", as: clerk).results.count; XCTAssertEqual(value, 0) }
        // The draft is its drafter's: found by them, not by the clerk; both kinds come together.
        do {
            let mine = try await search("q=bao%20cao%20cai%20cach", as: specialist).results
            XCTAssertEqual(mine.map(\.kind), ["outgoing"])
            XCTAssertEqual(mine.first?.id, draft.id)
        }
        do { let value = try await search("q=tong%20hop", as: clerk).results.count; XCTAssertEqual(value, 0) }
        do { let value = try await search("q=bao%20cao", as: try await token("dongthap.vanthu")).results.count; XCTAssertEqual(value, 0) }
        // Bad parameters are named.
        for bad in ["direction=sideways", "from=2026-13-01", "state=lost", "urgency=x", "from=2026-03-05&to=2026-03-01", "type=nope"] {
            let response = try await api(.GET, "/api/v1/documents/search?\(bad)", as: clerk)
            XCTAssertEqual(response.status, .badRequest, bad)
            XCTAssertFalse(response.error?.message.isEmpty ?? true)
        }
        // The page shows the same results.
        let browser = browser()
        _ = try await browser.signIn("quangninh.vanthu")
        let page = try await browser.get("/documents/search?q=cải+cách&urgency=urgent")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("07/BC-BNV"), page.body)
        XCTAssertFalse(page.body.contains("08/BC-BNV"))
    }
}
