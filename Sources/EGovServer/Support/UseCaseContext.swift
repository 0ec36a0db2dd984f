import Fluent
import NIOConcurrencyHelpers
import Vapor

/// What a use case runs in: the database, the clock, who acts, whose name the audit log
/// records, and the node's services. An HTTP handler builds it from its request
/// (`req.useCase`); a worker, a CLI command or a hub loop from the application
/// (`app.useCase(as:)`), so every command runs the same way without HTTP.
struct UseCaseContext: Sendable {
    let db: any Database
    let services: Services
    /// The signed-in civil servant, if any (nil for the system, a worker or an applicant).
    let actor: Actor?
    /// Whose name the audit log records events under.
    let audit: AuditContext
    let logger: Logger
    /// Set when the use case wrote to the audit log, so the request's fallback entry is skipped.
    let auditMark: AuditMark?

    init(db: any Database, services: Services, actor: Actor?, audit: AuditContext, logger: Logger, auditMark: AuditMark? = nil) {
        self.db = db
        self.services = services
        self.actor = actor
        self.audit = audit
        self.logger = logger
        self.auditMark = auditMark
    }

    var now: Date { services.clock.now() }
    var settings: Settings { services.settings }
    var requestID: String? { audit.requestID }

    /// The same context acting as `actor` (e.g. a user at sign-in, before a session exists).
    func acting(as actor: Actor) -> UseCaseContext {
        UseCaseContext(db: db, services: services, actor: actor, audit: AuditContext(actor: actor, requestID: requestID),
                       logger: logger, auditMark: auditMark)
    }

    /// The same context recording its events under `audit` (an applicant, the system).
    func recording(as audit: AuditContext) -> UseCaseContext {
        UseCaseContext(db: db, services: services, actor: actor, audit: audit, logger: logger, auditMark: auditMark)
    }

    /// Runs `body` in one transaction and chains the events it recorded before commit.
    func audited<T: Sendable>(_ body: @escaping @Sendable (Database, AuditTrail) async throws -> T) async throws -> T {
        auditMark?.mark()
        return try await services.auditLog.transaction(on: db, context: audit, body)
    }

    /// Records events on their own (e.g. a failed sign-in that changes nothing else).
    func auditOnly(_ events: [AuditEvent]) async throws {
        auditMark?.mark()
        try await services.auditLog.record(events, context: audit, on: db)
    }
}

/// Whether a request's use cases wrote to the audit log.
final class AuditMark: Sendable {
    private let box = NIOLockedValueBox(false)
    func mark() { box.withLockedValue { $0 = true } }
    var isMarked: Bool { box.withLockedValue { $0 } }
}

extension Request {
    private struct AuditMarkKey: StorageKey { typealias Value = AuditMark }

    var auditMark: AuditMark {
        if let mark = storage[AuditMarkKey.self] { return mark }
        let mark = AuditMark()
        storage[AuditMarkKey.self] = mark
        return mark
    }

    /// The context of this request: its signed-in civil servant, else its signed-in applicant
    /// (who has no `Actor` but is named in the audit log), else nobody.
    var useCase: UseCaseContext {
        let actor = auth.get(Actor.self)
        let audit = actor.map { AuditContext(actor: $0, requestID: id) } ?? applicantAuditContext
        return UseCaseContext(db: db, services: application.egovServices, actor: actor, audit: audit, logger: logger, auditMark: auditMark)
    }
}

extension Application {
    /// A context outside any request: a worker, a CLI command, a hub loop.
    func useCase(as actor: Actor? = nil, audit: AuditContext? = nil) -> UseCaseContext {
        UseCaseContext(db: db, services: egovServices, actor: actor, audit: audit ?? AuditContext(actor: actor, requestID: nil), logger: logger)
    }
}
