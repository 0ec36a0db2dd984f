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

    /// The chain the events go to: the actor's agency, else the applicants' or the system's.
    var chain: String {
        AuditChain.Key.of(agencyCode: agencyCode, isApplicant: actorID?.hasPrefix("applicant:") ?? false)
    }
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

/// One chain as `egov audit verify` reports it.
struct AuditChainStatus: Sendable {
    let chain: String
    /// Entries found in order before the first problem (all of them when intact).
    let entries: Int
    let problem: AuditChainProblem?
    var isIntact: Bool { problem == nil }
}

/// The chains that are broken; `AuditLog.verify` gives nil when there are none.
struct AuditLogDamage: Sendable, CustomStringConvertible {
    /// Each broken chain with its first problem, legacy and system chains first.
    let brokenChains: [AuditChainStatus]
    var firstProblem: AuditChainProblem { brokenChains[0].problem! }
    var firstBadSequence: Int64 { firstProblem.firstBadSequence }
    var description: String {
        brokenChains.map { "\($0.chain): \($0.problem!)" }.joined(separator: "; ")
    }
}

/// Appends to the hash chains, one per agency (`AuditChain.Key`). An append locks only its
/// chain's head row, at the end of the transaction: agencies do not wait for each other on
/// PostgreSQL. SQLite has a single writer per file anyway; its writers queue in `sqliteWriter`.
final class AuditLog: Sendable {
    /// SQLite lets one connection write at a time. Writers of this process wait their turn here,
    /// first come first served, for the whole write transaction, instead of in SQLite's busy
    /// handler (which retries on a pool thread). This is the database's single writer, not an
    /// audit lock: PostgreSQL writers never take it.
    let sqliteWriter = AsyncMutex()
    private let clock: @Sendable () -> Date
    private let commitListeners = NIOLockedValueBox<[@Sendable ([AuditEvent]) -> Void]>([])

    /// `clock` is read at each append, so tests that move the app clock move the log's times too.
    init(clock: @escaping @Sendable () -> Date) { self.clock = clock }

    /// Runs `body` in one transaction and chains the events it recorded before commit.
    func transaction<T: Sendable>(
        on db: Database, context: AuditContext,
        _ body: @escaping @Sendable (Database, AuditTrail) async throws -> T
    ) async throws -> T {
        let (value, events) = try await writeTransaction(on: db) { tx -> (T, [AuditEvent]) in
            let trail = AuditTrail()
            let value = try await body(tx, trail)
            let events = trail.events
            try await self.append(events, context: context, on: tx)
            return (value, events)
        }
        if !events.isEmpty {
            for listener in commitListeners.withLockedValue({ $0 }) { listener(events) }
        }
        return value
    }

    /// Calls `listener` with the events of each audited transaction once it has committed
    /// (caches of what those events changed drop their copies).
    func whenCommitted(_ listener: @escaping @Sendable ([AuditEvent]) -> Void) {
        commitListeners.withLockedValue { $0.append(listener) }
    }

    /// A transaction that holds the write lock from its first statement. On SQLite a plain
    /// (deferred) transaction that read before another connection committed cannot start
    /// writing (SQLITE_BUSY_SNAPSHOT); `BEGIN IMMEDIATE` takes the lock instead, after this
    /// process's previous writer has finished (`sqliteWriter`).
    func writeTransaction<T: Sendable>(on db: Database, _ body: @escaping @Sendable (Database) async throws -> T) async throws -> T {
        guard Self.isSQLite(db) else { return try await db.transaction(body) }
        return try await sqliteWriter.withLock {
            try await db.withConnection { connection in
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
    }

    static func isSQLite(_ db: Database) -> Bool {
        (db as? SQLDatabase)?.dialect.name == "sqlite"
    }

    /// Records events on their own (e.g. a failed sign-in that changes nothing else).
    func record(_ events: [AuditEvent], context: AuditContext, on db: Database) async throws {
        _ = try await transaction(on: db, context: context) { _, trail in
            events.forEach(trail.record)
        }
    }

    private func append(_ events: [AuditEvent], context: AuditContext, on tx: Database) async throws {
        guard !events.isEmpty else { return }
        guard let sql = tx as? SQLDatabase else { throw EGovError.badRequest("Cơ sở dữ liệu không hỗ trợ nhật ký hệ thống.") }
        let chain = context.chain
        let (head, numbers) = try await Self.isSQLite(tx)
            ? Self.sqliteHead(of: chain, count: events.count, on: sql)
            : Self.lockedHead(of: chain, count: events.count, on: sql)
        var last = head
        let now = Int64((clock().timeIntervalSince1970 * 1000).rounded(.down))
        var records: [AuditRecord] = []
        for (event, number) in zip(events, numbers) {
            let record = AuditChain.next(
                in: chain, after: last, sequence: number, occurredAtMillis: now, actorID: context.actorID,
                actorName: context.actorName, agencyCode: context.agencyCode, action: event.action,
                objectType: event.objectType, objectID: event.objectID, requestID: context.requestID,
                details: event.details)
            records.append(record)
            last = (record.sequence, record.hash)
        }
        // Plain SQL: the append runs while the chain (on SQLite the whole file) is held, and
        // Fluent's model encoding costs more than the insert itself.
        let rows = SQLList(records.map { record in
            SQLGroupExpression([
                SQLBind(record.sequence), SQLBind(chain), SQLBind(record.previousSequence), SQLBind(record.occurredAtMillis),
                SQLBind(record.actorID), SQLBind(record.actorName), SQLBind(record.agencyCode), SQLBind(record.action),
                SQLBind(record.objectType), SQLBind(record.objectID), SQLBind(record.requestID), SQLBind(record.details),
                SQLBind(record.previousHash), SQLBind(record.hash),
            ] as [any SQLExpression])
        })
        try await sql.raw("""
            INSERT INTO \(ident: AuditEntry.schema) (sequence, chain, previous_sequence, occurred_at_ms, actor_id, actor_name,
                agency_code, action, object_type, object_id, request_id, details, previous_hash, hash)
            VALUES \(rows)
            """).run()
        try await sql.raw("""
            INSERT INTO \(ident: AuditChainHead.schema) (chain, sequence, hash)
            VALUES (\(bind: chain), \(bind: last!.sequence), \(bind: last!.hash))
            ON CONFLICT (chain) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash
            """).run()
    }

    private struct HeadRow: Decodable {
        let sequence: Int64?
        let hash: String?
        let top: Int64?
    }

    /// SQLite: `BEGIN IMMEDIATE` made this transaction the only writer, so the next free numbers
    /// follow the highest any chain has used (heads keep it even when newest rows are deleted).
    private static func sqliteHead(of chain: String, count: Int, on sql: SQLDatabase) async throws
        -> (head: (sequence: Int64, hash: String)?, numbers: [Int64]) {
        let row = try await sql.raw("""
            SELECT h.sequence AS sequence, h.hash AS hash,
                   (SELECT max(sequence) FROM \(ident: AuditChainHead.schema)) AS top
            FROM (SELECT 1) AS one LEFT JOIN \(ident: AuditChainHead.schema) AS h ON h.chain = \(bind: chain)
            """).first(decoding: HeadRow.self)
        let top = row?.top ?? 0
        let head = row.flatMap { row in row.sequence.flatMap { sequence in row.hash.map { (sequence, $0) } } }
        return (head, (1...Int64(count)).map { top + $0 })
    }

    /// PostgreSQL: locks this chain's head row until commit (creating it first if the chain is
    /// new; a concurrent creator wins quietly), then takes numbers from the log's sequence. The
    /// numbers come after the lock, so along one chain they rise in the order entries are chained.
    private static func lockedHead(of chain: String, count: Int, on sql: SQLDatabase) async throws
        -> (head: (sequence: Int64, hash: String)?, numbers: [Int64]) {
        struct Head: Decodable { let sequence: Int64; let hash: String }
        func lock() async throws -> Head? {
            try await sql.raw("""
                SELECT sequence, hash FROM \(ident: AuditChainHead.schema) WHERE chain = \(bind: chain) FOR UPDATE
                """).first(decoding: Head.self)
        }
        var head = try await lock()
        if head == nil {
            try await sql.raw("""
                INSERT INTO \(ident: AuditChainHead.schema) (chain, sequence, hash)
                VALUES (\(bind: chain), 0, \(bind: AuditChain.genesisHash(of: chain)))
                ON CONFLICT (chain) DO NOTHING
                """).run()
            head = try await lock()
        }
        guard let head else { throw EGovError.conflict("Không ghi được nhật ký hệ thống, vui lòng thử lại.", code: "audit_append_failed") }
        struct Number: Decodable { let n: Int64 }
        let numbers = try await sql.raw("""
            SELECT nextval('\(unsafeRaw: AddAuditChains.entryNumbers)') AS n FROM generate_series(1, \(bind: count))
            """).all(decoding: Number.self).map(\.n).sorted()
        return ((head.sequence, head.hash), numbers)
    }

    /// Checks every chain page by page; nil when all are intact.
    static func verify(on db: Database, batchSize: Int = 5_000) async throws -> AuditLogDamage? {
        let broken = try await verifyChains(on: db, batchSize: batchSize).filter { !$0.isIntact }
        return broken.isEmpty ? nil : AuditLogDamage(brokenChains: broken)
    }

    /// Every chain with its entry count and first problem: the legacy chain, the system's and
    /// the applicants', then the agencies' in code order.
    static func verifyChains(on db: Database, batchSize: Int = 5_000) async throws -> [AuditChainStatus] {
        guard let sql = db as? SQLDatabase else { return [] }
        struct Key: Decodable { let chain: String }
        let keys = try await sql.raw("""
            SELECT chain FROM \(ident: AuditChainHead.schema) UNION SELECT DISTINCT chain FROM \(ident: AuditEntry.schema)
            """).all(decoding: Key.self).map(\.chain)
        let first = [AuditChain.Key.legacy, AuditChain.Key.system, AuditChain.Key.applicants]
        let ordered = first.filter(keys.contains) + keys.filter { !first.contains($0) }.sorted()
        var statuses: [AuditChainStatus] = []
        for chain in ordered {
            statuses.append(try await verify(chain: chain, on: db, batchSize: batchSize))
        }
        return statuses
    }

    /// One chain. The head is read after the entries: it is written with them, so it can only be
    /// ahead of what was read when entries were appended meanwhile, which are then read too.
    static func verify(chain: String, on db: Database, batchSize: Int = 5_000) async throws -> AuditChainStatus {
        var verifier = AuditChainVerifier(chain: chain == AuditChain.Key.legacy ? nil : chain)
        var last: Int64 = 0
        while true {
            var foundMore = false
            while true {
                let page = try await AuditEntry.query(on: db).filter(\.$chain == chain).filter(\.$id > last)
                    .sort(\.$id).limit(batchSize).all()
                guard let lastEntry = page.last else { break }
                foundMore = true
                for entry in page {
                    if let problem = verifier.check(entry.record, storedHash: entry.hash) {
                        return AuditChainStatus(chain: chain, entries: verifier.count, problem: problem)
                    }
                }
                last = lastEntry.id!
            }
            let head = try await AuditChainHead.query(on: db).filter(\.$chain == chain).first()
            if let head, head.sequence > last, foundMore { continue }
            return AuditChainStatus(chain: chain, entries: verifier.count,
                                    problem: verifier.finish(head: head.map { ($0.sequence, $0.hash) }))
        }
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
