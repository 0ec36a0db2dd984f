import EGovCore
import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// What happened, as a use case reports it.
struct AuditEvent: Sendable {
    var action: String
    var objectType: String?
    var objectID: String?
    var details: String?

    init(_ action: String, objectType: String? = nil, objectID: String? = nil, details: String? = nil) {
        self.action = action
        self.objectType = objectType
        self.objectID = objectID
        self.details = details
    }
}

/// Who and which request an event belongs to.
struct AuditContext: Sendable {
    var actorID: String?
    var actorName: String?
    var agencyCode: String?
    var requestID: String?

    init(actor: Actor?, requestID: String?) {
        self.actorID = actor?.userID.uuidString
        self.actorName = actor?.username
        self.agencyCode = actor?.agencyCode
        self.requestID = requestID
    }

    /// A citizen or business acting on the portal: `applicant:<uuid>` keeps them apart from civil servants.
    init(applicantID: UUID, login: String, requestID: String?) {
        self.actorID = "applicant:\(applicantID.uuidString)"
        self.actorName = login
        self.agencyCode = nil
        self.requestID = requestID
    }

    static let system = AuditContext(actor: nil, requestID: nil)
}

/// Events a use case collects while it runs; they are chained when its transaction commits.
final class AuditTrail: Sendable {
    private let box = NIOLockedValueBox<[AuditEvent]>([])
    func record(_ event: AuditEvent) { box.withLockedValue { $0.append(event) } }
    func record(_ action: String, objectType: String? = nil, objectID: String? = nil, details: String? = nil) {
        record(AuditEvent(action, objectType: objectType, objectID: objectID, details: details))
    }
    var events: [AuditEvent] { box.withLockedValue { $0 } }
}

/// Appends to the hash chain. Appends are serialised: in-process by a lock held for the whole
/// transaction, and across processes on PostgreSQL by an advisory transaction lock.
final class AuditLog: Sendable {
    private let mutex = AsyncMutex()
    private let clock: @Sendable () -> Date

    /// `clock` is read at each append, so tests that move the app clock move the log's times too.
    init(clock: @escaping @Sendable () -> Date) { self.clock = clock }

    /// Runs `body` in one transaction and chains the events it recorded before commit.
    func transaction<T: Sendable>(
        on db: Database, context: AuditContext,
        _ body: @escaping @Sendable (Database, AuditTrail) async throws -> T
    ) async throws -> T {
        try await mutex.withLock {
            try await Self.writeTransaction(on: db) { tx in
                let trail = AuditTrail()
                let value = try await body(tx, trail)
                try await self.append(trail.events, context: context, on: tx)
                return value
            }
        }
    }

    /// A transaction that holds the write lock from its first statement. On SQLite a plain
    /// (deferred) transaction that read before another connection committed cannot start
    /// writing (SQLITE_BUSY_SNAPSHOT); `BEGIN IMMEDIATE` waits for the lock instead.
    static func writeTransaction<T: Sendable>(on db: Database, _ body: @escaping @Sendable (Database) async throws -> T) async throws -> T {
        guard let sql = db as? SQLDatabase, sql.dialect.name == "sqlite" else {
            return try await db.transaction(body)
        }
        return try await db.withConnection { connection in
            let raw = connection as! SQLDatabase
            try await raw.raw("BEGIN IMMEDIATE").run()
            do {
                let value = try await body(connection)
                try await raw.raw("COMMIT").run()
                return value
            } catch {
                try? await raw.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Records events on their own (e.g. a failed sign-in that changes nothing else).
    func record(_ events: [AuditEvent], context: AuditContext, on db: Database) async throws {
        _ = try await transaction(on: db, context: context) { _, trail in
            events.forEach(trail.record)
        }
    }

    private func append(_ events: [AuditEvent], context: AuditContext, on tx: Database) async throws {
        guard !events.isEmpty else { return }
        if let sql = tx as? SQLDatabase, sql.dialect.name == "postgresql" {
            try await sql.raw("SELECT pg_advisory_xact_lock(734211)").run()
        }
        let head = try await AuditChainHead.find(1, on: tx)
        var sequence = head?.sequence ?? 0
        var previous = head?.hash ?? AuditChain.genesisHash
        let now = Int64((clock().timeIntervalSince1970 * 1000).rounded(.down))
        for event in events {
            sequence += 1
            let record = AuditRecord(
                sequence: sequence, occurredAtMillis: now, actorID: context.actorID, actorName: context.actorName,
                agencyCode: context.agencyCode, action: event.action, objectType: event.objectType,
                objectID: event.objectID, requestID: context.requestID, details: event.details,
                previousHash: previous)
            try await AuditEntry(record: record).create(on: tx)
            previous = record.hash
        }
        if let head {
            head.sequence = sequence
            head.hash = previous
            try await head.update(on: tx)
        } else {
            try await AuditChainHead(sequence: sequence, hash: previous).create(on: tx)
        }
    }

    /// Checks the whole chain page by page; nil when intact.
    static func verify(on db: Database, batchSize: Int = 5_000) async throws -> AuditChainProblem? {
        let head = try await AuditChainHead.find(1, on: db).map { (sequence: $0.sequence, hash: $0.hash) }
        var verifier = AuditChainVerifier()
        var last: Int64 = 0
        while true {
            let page = try await AuditEntry.query(on: db).filter(\.$id > last).sort(\.$id).limit(batchSize).all()
            guard let lastEntry = page.last else { break }
            for entry in page {
                if let problem = verifier.check(entry.record, storedHash: entry.hash) { return problem }
            }
            last = lastEntry.id!
        }
        return verifier.finish(head: head)
    }
}

extension Request {
    var wasAudited: Bool { auditMark.isMarked }
}

/// The safety net: a state-changing request that succeeded without recording an event
/// still leaves a line in the log.
/// Reads pass straight through (no task).
struct AuditFallbackMiddleware: Middleware {
    func respond(to request: Request, chainingTo next: Responder) -> EventLoopFuture<Response> {
        guard ![.GET, .HEAD, .OPTIONS].contains(request.method) else { return next.respond(to: request) }
        return next.respond(to: request).flatMap { response in
            guard response.status.code < 400, !request.wasAudited else { return request.eventLoop.makeSucceededFuture(response) }
            return request.eventLoop.makeFutureWithTask {
                try await request.useCase.auditOnly([AuditEvent("request.\(request.method.rawValue.lowercased())", objectType: "route", objectID: request.url.path)])
                return response
            }
        }
    }
}
