import Vapor

extension Responder {
    /// The request's answer once `work` is done. Global middleware are future-based because an
    /// `AsyncMiddleware` costs a task on every request; this makes one only when they have
    /// something to await (a session or token to load).
    func respond(to request: Request, after work: @escaping @Sendable () async throws -> Void) -> EventLoopFuture<Response> {
        request.eventLoop.makeFutureWithTask(work).flatMap { respond(to: request) }
    }
}
