import EGovCore
import Fluent
import XCTest
import XCTVapor
@testable import EGovServer

/// A small but real PDF (the detector looks at the content, not the name).
let samplePDF = Data("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".utf8)

extension EGovTestCase {
    /// A registration body with sensible defaults; `changes` overrides fields.
    func incomingJSON(_ changes: [String: String] = [:]) -> [String: String] {
        var body = [
            "sender_agency_code": "000.00.00.G09",
            "number_notation": "125/QĐ-BNV",
            "type_code": "decision",
            "issued_date": "2026-02-25",
            "subject": "Quyết định về việc giao chỉ tiêu biên chế công chức năm 2026",
            "signer_name": "Trần Văn Hải",
            "signer_position": "Thứ trưởng",
            "urgency": "normal",
            "confidentiality": "normal",
            "page_count": "3",
        ]
        for (key, value) in changes { body[key] = value }
        return body.filter { !$0.value.isEmpty }
    }

    /// Registers a document as `clerk` through the API and returns it.
    func registerIncoming(as clerk: String, _ changes: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) async throws -> IncomingDocumentDTO {
        let response = try await api(.POST, "/api/v1/incoming-documents", as: try await token(clerk), json: incomingJSON(changes))
        XCTAssertEqual(response.status, .created, response.body, file: file, line: line)
        return try response.json(IncomingDocumentDTO.self)
    }

    /// Sends one file as multipart/form-data.
    func upload(_ path: String, as token: String?, field: String = "file", fileName: String, data: Data,
                extraFields: [(String, String)] = [], cookie: String? = nil) async throws -> TestResponse {
        try await multipart(path, token: token, fields: extraFields, files: [UploadPart(field: field, fileName: fileName, data: data)], cookie: cookie)
    }
}

/// A JSON POST usable from concurrent child tasks (no test-case state captured).
func postJSON(app: Application, _ path: String, token: String, body: [String: String]) async throws -> HTTPResponseStatus {
    var status = HTTPResponseStatus.ok
    try await app.test(.POST, path, beforeRequest: { req async throws in
        req.headers.bearerAuthorization = .init(token: token)
        try req.content.encode(body)
    }, afterResponse: { res async throws in status = res.status })
    return status
}

/// A real one-page PDF whose text is `text` (ASCII, Helvetica), with a correct cross-reference
/// table, so that pdftotext reads it back.
func makeTextPDF(_ text: String) -> Data {
    let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(").replacingOccurrences(of: ")", with: "\\)")
    let stream = "BT /F1 12 Tf 72 720 Td (\(escaped)) Tj ET"
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        "<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    var pdf = "%PDF-1.4\n"
    var offsets: [Int] = []
    for (index, body) in objects.enumerated() {
        offsets.append(pdf.utf8.count)
        pdf += "\(index + 1) 0 obj\n\(body)\nendobj\n"
    }
    let xref = pdf.utf8.count
    pdf += "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
    for offset in offsets { pdf += String(format: "%010d 00000 n \n", offset) }
    pdf += "trailer\n<< /Size \(objects.count + 1) /Root 1 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
    return Data(pdf.utf8)
}
