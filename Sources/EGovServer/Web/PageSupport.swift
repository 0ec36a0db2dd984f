import Vapor

extension EGovError {
    /// Errors to show next to form fields: validation errors as they are, a conflict under `field`.
    func formErrors(conflictField field: String) -> [String: String]? {
        if !fieldErrors.isEmpty { return fieldErrors }
        if status == .conflict || status == .unprocessableEntity || status == .badRequest { return [field: message] }
        return nil
    }
}

extension Request {
    func render<E: Encodable>(_ template: String, _ context: E, status: HTTPResponseStatus = .ok) async throws -> Response {
        try await view.render(template, context).encodeResponse(status: status, for: self)
    }

    /// Decodes a form body; malformed input becomes a 400 a person can read.
    func form<T: Content>(_ type: T.Type) throws -> T {
        do { return try content.decode(T.self) } catch {
            throw EGovError.badRequest("Dữ liệu biểu mẫu không hợp lệ. Vui lòng kiểm tra và gửi lại.")
        }
    }

    /// This page's address with `page` set and every other filter kept: the links of a paged list.
    func pageURL(_ page: Int) -> String {
        var components = URLComponents()
        components.path = url.path
        var items = (url.query.flatMap { URLComponents(string: "?\($0)")?.queryItems } ?? []).filter { $0.name != "page" }
        items.append(URLQueryItem(name: "page", value: String(page)))
        components.queryItems = items
        return components.string ?? url.path
    }

    /// A UUID route parameter; anything else is a 404.
    func uuidParameter(_ name: String) throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else { throw EGovError.notFound() }
        return id
    }
}
