import Vapor

/// Serves `Public/` (styles, icons) without asking the file system on every request: only paths
/// under a name that `Public/` holds at start-up reach `FileMiddleware`. The API and the pages
/// then cost no file look-up each.
struct PublicFilesMiddleware: Middleware {
    let files: FileMiddleware
    /// The top-level names in `Public/` ("css", "favicon.svg").
    let roots: Set<String>

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory)
        roots = Set((try? FileManager.default.contentsOfDirectory(atPath: publicDirectory)) ?? [])
    }

    func respond(to request: Request, chainingTo next: Responder) -> EventLoopFuture<Response> {
        guard request.method == .GET || request.method == .HEAD,
              let first = request.url.path.split(separator: "/", maxSplits: 1).first, roots.contains(String(first)) else {
            return next.respond(to: request)
        }
        return files.respond(to: request, chainingTo: next)
    }
}
