import Vapor

/// The headers every response carries, pages, files, errors and the API alike: no script,
/// style or frame from another site, no framing of our pages by another site (the signing and
/// directing pages must not be clicked through from inside someone else's page), no guessing
/// of content types, no full URL leaked to another site, and HTTPS only once the node is on it.
struct SecurityHeadersMiddleware: Middleware {
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
        "connect-src 'self'", "frame-src 'self'", "object-src 'self'", "frame-ancestors 'self'",
        "form-action 'self'", "base-uri 'self'",
    ].joined(separator: "; ")

    let headers: [(HTTPHeaders.Name, String)]

    init(httpsOnly: Bool) {
        var headers: [(HTTPHeaders.Name, String)] = [
            (.init("Content-Security-Policy"), Self.contentSecurityPolicy),
            (.init("X-Frame-Options"), "SAMEORIGIN"),
            (.init("X-Content-Type-Options"), "nosniff"),
            (.init("Referrer-Policy"), "same-origin"),
        ]
        if httpsOnly { headers.append((.init("Strict-Transport-Security"), "max-age=31536000; includeSubDomains")) }
        self.headers = headers
    }

    func respond(to request: Request, chainingTo next: Responder) -> EventLoopFuture<Response> {
        next.respond(to: request).map { response in
            for (name, value) in headers { response.headers.replaceOrAdd(name: name, value: value) }
            return response
        }
    }
}
