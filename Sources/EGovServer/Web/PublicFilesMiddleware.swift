import Vapor

/// Serves `Public/` (styles, scripts, icons) without asking the file system on every request:
/// only paths under a name that `Public/` holds at start-up reach `FileMiddleware`. The API and
/// the pages then cost no file look-up each. A path is checked before it reaches the file
/// system: undecodable, `..`, NUL, overlong or not a regular file is a 4xx, never a 500.
struct PublicFilesMiddleware: Middleware {
    let files: FileMiddleware
    let directory: String
    /// The top-level names in `Public/` ("css", "favicon.svg").
    let roots: Set<String>

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory)
        directory = publicDirectory.hasSuffix("/") ? publicDirectory : publicDirectory + "/"
        roots = Set((try? FileManager.default.contentsOfDirectory(atPath: publicDirectory)) ?? [])
    }

    func respond(to request: Request, chainingTo next: Responder) -> EventLoopFuture<Response> {
        guard request.method == .GET || request.method == .HEAD,
              let first = request.url.path.split(separator: "/", maxSplits: 1).first, roots.contains(String(first)) else {
            return next.respond(to: request)
        }
        switch Self.check(request.url.path) {
        case .badRequest:
            return request.eventLoop.makeFailedFuture(EGovError.badRequest("Đường dẫn không hợp lệ.", code: "bad_path"))
        case .notFound:
            return request.eventLoop.makeFailedFuture(EGovError.notFound("Không tìm thấy tệp."))
        case .file(let relative):
            // FileMiddleware answers 500 for a file taken as a folder ("app.css/x"): looked up here first.
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory + relative, isDirectory: &isDirectory), !isDirectory.boolValue else {
                return request.eventLoop.makeFailedFuture(EGovError.notFound("Không tìm thấy tệp."))
            }
            return files.respond(to: request, chainingTo: next)
        }
    }

    enum Check: Equatable { case file(String), badRequest, notFound }

    /// What a request path may name under `Public/`: plain names only, no way out of the folder.
    static func check(_ rawPath: String) -> Check {
        guard rawPath.utf8.count <= 1024, let decoded = rawPath.removingPercentEncoding else { return .badRequest }
        let parts = decoded.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard !parts.isEmpty else { return .notFound }
        for part in parts {
            if part.isEmpty || part == "." || part == ".." || part.utf8.count > 255 { return .notFound }
            if part.contains("\0") || part.contains("\\") { return .badRequest }
        }
        return .file(parts.joined(separator: "/"))
    }
}
