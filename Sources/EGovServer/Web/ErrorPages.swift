import Vapor

/// Turns every error into what the caller can read: JSON `{"error","message"}` for the API,
/// the friendly error page (or a redirect to sign-in) for the web UI. Never a stack trace.
/// A task only for a failed request (the page may need rendering).
struct EGovErrorMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).flatMapError { error in
            request.eventLoop.makeFutureWithTask { await Self.response(for: error, request: request) }
        }
    }

    static func describe(_ error: Error) -> EGovError {
        switch error {
        case let error as EGovError:
            return error
        case let error as DecodingError:
            return .badRequest("Dữ liệu gửi lên không đúng định dạng (\(decodingHint(error))).", code: "malformed_body")
        case let abort as AbortError:
            let status = abort.status
            let message: String
            let code: String
            switch status.code {
            case 400: (code, message) = ("bad_request", "Yêu cầu không hợp lệ.")
            case 401: (code, message) = ("unauthorized", "Bạn cần đăng nhập để tiếp tục.")
            case 403: (code, message) = ("forbidden", "Bạn không có quyền thực hiện thao tác này.")
            case 404: (code, message) = ("not_found", "Không tìm thấy trang hoặc nội dung yêu cầu.")
            case 405: (code, message) = ("method_not_allowed", "Phương thức không được hỗ trợ cho địa chỉ này.")
            case 413: (code, message) = ("payload_too_large", "Dữ liệu gửi lên quá lớn.")
            case 415: (code, message) = ("unsupported_media_type", "Định dạng dữ liệu không được hỗ trợ; hãy gửi JSON hoặc biểu mẫu.")
            case 422: (code, message) = ("validation_failed", "Dữ liệu không hợp lệ.")
            case 429: (code, message) = ("too_many_requests", "Quá nhiều yêu cầu, vui lòng thử lại sau.")
            default: (code, message) = (status.code < 500 ? "bad_request" : "server_error",
                                        status.code < 500 ? "Yêu cầu không hợp lệ." : "Hệ thống đang gặp sự cố. Vui lòng thử lại sau.")
            }
            return EGovError(status: status, code: code, message: message)
        default:
            return EGovError(status: .internalServerError, code: "server_error", message: "Hệ thống đang gặp sự cố. Vui lòng thử lại sau.")
        }
    }

    static func response(for error: Error, request: Request) async -> Response {
        let described = describe(error)
        if described.status.code >= 500 {
            request.logger.report(error: error)
        } else {
            request.logger.debug("\(described.status.code) \(described.code): \(String(reflecting: error))")
        }
        // Compared as text: HTTPMediaType equality treats */* as matching JSON.
        let isAPI = request.url.path.hasPrefix("/api/")
            || request.headers.accept.contains { $0.mediaType.type == "application" && $0.mediaType.subType == "json" }
        if isAPI {
            let body = APIErrorBody(error: described.code, message: described.message,
                                    fields: described.fieldErrors.isEmpty ? nil : described.fieldErrors)
            var headers = described.headers
            headers.contentType = .json
            if described.status == .unauthorized { headers.add(name: .wwwAuthenticate, value: "Bearer") }
            let data = (try? JSONEncoder().encode(body)) ?? Data("{\"error\":\"server_error\",\"message\":\"\"}".utf8)
            return Response(status: described.status, headers: headers, body: .init(data: data))
        }
        if described.status == .unauthorized, request.method == .GET {
            let next = request.url.string.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? "/"
            return request.redirect(to: "/sign-in?next=\(next)")
        }
        let title: String
        switch described.status.code {
        case 401: title = "Chưa đăng nhập"
        case 403: title = "Không có quyền truy cập"
        case 404: title = "Không tìm thấy"
        case 422: title = "Dữ liệu chưa hợp lệ"
        case 429: title = "Quá nhiều yêu cầu"
        case 500...: title = "Lỗi hệ thống"
        default: title = "Yêu cầu không hợp lệ"
        }
        let page = ErrorPage(shell: request.shell(title), status: Int(described.status.code), title: title, message: described.message)
        if let response = try? await request.render("error", page, status: described.status) {
            response.headers.add(contentsOf: described.headers)
            return response
        }
        var headers = described.headers
        headers.contentType = .plainText
        return Response(status: described.status, headers: headers, body: .init(string: "\(described.status.code) \(title): \(described.message)"))
    }

    private static func decodingHint(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "thiếu trường \(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            "trường \(context.codingPath.map(\.stringValue).joined(separator: ".")) sai kiểu"
        case .dataCorrupted(let context):
            context.codingPath.isEmpty ? "không đọc được nội dung" : "trường \(context.codingPath.map(\.stringValue).joined(separator: ".")) không hợp lệ"
        @unknown default: "không đọc được nội dung"
        }
    }
}
