import EGovCore
import Vapor

/// CSV downloads (the format itself is `CSVTable` in EGovCore).
enum CSV {
    static func document(header: [String], rows: [[String]]) -> String {
        CSVTable.render(header: header, rows: rows)
    }

    static func response(_ text: String, fileName: String) -> Response {
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.replaceOrAdd(name: .contentType, value: "text/csv; charset=utf-8")
        response.headers.replaceOrAdd(name: .contentDisposition, value: AttachmentDownload.contentDisposition(for: fileName))
        return response
    }
}
