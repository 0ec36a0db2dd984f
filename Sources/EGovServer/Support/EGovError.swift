import Vapor

/// An error a person can read. The API shows it as `{"error": code, "message": message}`,
/// pages show the message on the error page or next to the form.
struct EGovError: AbortError, Sendable {
    let status: HTTPResponseStatus
    let code: String
    let message: String
    /// Field-level messages for forms (field name → message).
    var fieldErrors: [String: String] = [:]
    /// Seconds after which a refused request may come again (`Retry-After`, with 429).
    var retryAfter: Int?

    var headers: HTTPHeaders {
        retryAfter.map { ["Retry-After": String($0)] } ?? [:]
    }

    var reason: String { message }

    static func badRequest(_ message: String, code: String = "bad_request") -> EGovError {
        .init(status: .badRequest, code: code, message: message)
    }
    static func unauthorized(_ message: String = "Bạn cần đăng nhập để tiếp tục.", code: String = "unauthorized") -> EGovError {
        .init(status: .unauthorized, code: code, message: message)
    }
    static func forbidden(_ message: String = "Bạn không có quyền thực hiện thao tác này.") -> EGovError {
        .init(status: .forbidden, code: "forbidden", message: message)
    }
    static func notFound(_ message: String = "Không tìm thấy nội dung yêu cầu.") -> EGovError {
        .init(status: .notFound, code: "not_found", message: message)
    }
    static func conflict(_ message: String, code: String = "conflict") -> EGovError {
        .init(status: .conflict, code: code, message: message)
    }
    static func invalid(_ fieldErrors: [String: String]) -> EGovError {
        let summary = fieldErrors.sorted { $0.key < $1.key }.map(\.value).joined(separator: " ")
        return .init(status: .unprocessableEntity, code: "validation_failed", message: summary, fieldErrors: fieldErrors)
    }
    static func tooManyRequests(_ message: String, retryAfter: Int? = nil) -> EGovError {
        .init(status: .tooManyRequests, code: "too_many_requests", message: message, retryAfter: retryAfter)
    }
}

/// JSON body of every API error.
struct APIErrorBody: Content {
    let error: String
    let message: String
    var fields: [String: String]?
}
