import Fluent
import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The durable job queue: the `jobs` table, its handlers, and the statements that take, finish
/// and fail jobs. Workers (`JobWorkers`) call it in a loop; tests call `runUntilIdle`.
final class JobQueue: Sendable {
    struct Configuration: Sendable {
        /// How long a taken job is held; a worker that dies lets it go after this.
        var lease: TimeInterval = 60
        /// How often a running job's lease is renewed.
        var heartbeat: TimeInterval = 20
        /// The longest a worker sleeps before looking again (other processes enqueue silently).
        var pollInterval: TimeInterval = 1
        /// Succeeded jobs are deleted after this; their idempotency keys go with them.
        var keepSucceeded: TimeInterval = 30 * 86_400
    }

    let configuration: Configuration
    /// Names this process's leases: host, pid and a random part (pids are reused after a restart).
    let processName: String
    private let application: Application
    private let handlers = NIOLockedValueBox<[String: RegisteredJobHandler]>([:])
    private let inFlight = NIOLockedValueBox(0)

    init(application: Application, configuration: Configuration = .init()) {
        self.application = application
        self.configuration = configuration
        let host = ProcessInfo.processInfo.hostName.isEmpty ? "localhost" : ProcessInfo.processInfo.hostName
        processName = "\(host):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8).lowercased())"
    }

    func register<Handler: JobHandler>(_ handler: Handler) {
        handlers.withLockedValue { $0[Handler.kind] = RegisteredJobHandler(handler) }
    }

    var kinds: [String] { handlers.withLockedValue { $0.keys.sorted() } }

    private var now: Date { application.now }
    private var sql: SQLDatabase { application.db as! SQLDatabase }
    private var isPostgres: Bool { sql.dialect.name == "postgresql" }

    // MARK: Enqueue

    /// Writes `job` with the caller's transaction `db`, so it commits or rolls back with the change
    /// that causes it. A job whose idempotency key is already there is not added: false.
    @discardableResult
    static func enqueue(_ job: Job, on db: Database) async throws -> Bool {
        guard let sql = db as? SQLDatabase else { throw EGovError.badRequest("the job queue needs an SQL database") }
        let rows = try await sql.insert(into: Job.schema)
            .columns("id", "kind", "payload", "state", "attempts", "max_attempts", "run_at", "idempotency_key", "created_at")
            .values(job.id ?? UUID(), job.kind, job.payload, job.state, job.attempts, job.maxAttempts, job.runAt, job.idempotencyKey, job.createdAt)
            .ignoringConflicts(with: ["idempotency_key"])
            .returning("id")
            .all()
        guard !rows.isEmpty else { return false }
        JobMetrics.shared.enqueued(job.kind)
        // Rung before the commit: the worker then looks again a few times in the next second.
        JobBell.shared.ring()
        return true
    }

    // MARK: Take, finish, fail

    /// Takes the earliest due job this process has a handler for, waiting or with an expired
    /// lease, and holds it for `lease` seconds under `worker`.
    func take(by worker: String) async throws -> TakenJob? {
        let kinds = self.kinds
        guard !kinds.isEmpty else { return nil }
        let now = self.now
        let leaseEnd = now.addingTimeInterval(configuration.lease)
        let kindList = SQLList(kinds.map { SQLBind($0) })
        let rows: [any SQLRow]
        if isPostgres {
            // SKIP LOCKED: concurrent workers pass over each other's candidates instead of queueing on them.
            rows = try await sql.raw("""
                UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = \(bind: worker), locked_at = \(bind: now), run_at = \(bind: leaseEnd)
                WHERE id = (SELECT id FROM jobs WHERE state IN ('waiting', 'running') AND run_at <= \(bind: now) AND kind IN (\(kindList))
                            ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING id, kind, payload, attempts, max_attempts, idempotency_key
                """).all()
        } else {
            // One writer at a time on SQLite: BEGIN IMMEDIATE holds the write lock from the select on.
            rows = try await application.egovServices.auditLog.writeTransaction(on: application.db) { db in
                try await (db as! SQLDatabase).raw("""
                    UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_by = \(bind: worker), locked_at = \(bind: now), run_at = \(bind: leaseEnd)
                    WHERE id = (SELECT id FROM jobs WHERE state IN ('waiting', 'running') AND run_at <= \(bind: now) AND kind IN (\(kindList))
                                ORDER BY run_at LIMIT 1)
                    RETURNING id, kind, payload, attempts, max_attempts, idempotency_key
                    """).all()
            }
        }
        guard let row = rows.first else { return nil }
        return TakenJob(id: try row.decode(column: "id", as: UUID.self), kind: try row.decode(column: "kind", as: String.self),
                        payload: try row.decode(column: "payload", as: String.self), attempts: try row.decode(column: "attempts", as: Int.self),
                        maxAttempts: try row.decode(column: "max_attempts", as: Int.self),
                        idempotencyKey: try row.decode(column: "idempotency_key", as: String.self), lockedBy: worker)
    }

    /// Runs a taken job's handler with its lease renewed meanwhile, then records how it went.
    func perform(_ job: TakenJob) async {
        inFlight.withLockedValue { $0 += 1 }
        defer { inFlight.withLockedValue { $0 -= 1 } }
        let context = JobContext(application: application, job: job, queue: self)
        guard job.attempts <= job.maxAttempts else {
            // Only a job whose worker kept dying gets here: its lease ran out max_attempts times.
            await fail(job, error: "Tiến trình xử lý dừng giữa chừng \(job.maxAttempts) lần; tác vụ không được chạy tiếp.", logger: context.logger)
            return
        }
        guard let handler = handlers.withLockedValue({ $0[job.kind] }) else { return }
        let heartbeat = Task { [self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(Int(configuration.heartbeat * 1000)))
                if Task.isCancelled { return }
                try? await renewLease(of: job)
            }
        }
        do {
            try await handler.run(job.payload, context)
            heartbeat.cancel()
            if !context.isFinished { try await complete(job, effects: nil) }
        } catch is JobLeaseLost {
            heartbeat.cancel()
            context.logger.warning("job lost its lease before finishing; the worker now holding it finishes it")
        } catch {
            heartbeat.cancel()
            await fail(job, error: String(reflecting: error), logger: context.logger)
        }
    }

    /// Marks the job succeeded, with `effects` in the same transaction.
    func complete(_ job: TakenJob, effects: (@Sendable (Database) async throws -> Void)?) async throws {
        let now = self.now
        try await application.egovServices.auditLog.writeTransaction(on: application.db) { db in
            let marked = try await (db as! SQLDatabase).raw("""
                UPDATE jobs SET state = 'succeeded', finished_at = \(bind: now), run_at = \(bind: now), locked_by = NULL, locked_at = NULL
                WHERE id = \(bind: job.id) AND state = 'running' AND locked_by = \(bind: job.lockedBy) AND attempts = \(bind: job.attempts)
                RETURNING id
                """).all()
            guard !marked.isEmpty else { throw JobLeaseLost() }
            try await effects?(db)
        }
        JobMetrics.shared.succeeded(job.kind)
    }

    /// An attempt failed: back to waiting after the backoff, or dead when it was the last attempt.
    func fail(_ job: TakenJob, error: String, logger: Logger) async {
        let now = self.now
        let dead = job.attempts >= job.maxAttempts
        let state = dead ? Job.State.failed : .waiting
        let runAt = dead ? now : now.addingTimeInterval(JobBackoff.delay(afterAttempt: job.attempts))
        let text = String(error.prefix(4000))
        do {
            try await application.egovServices.auditLog.writeTransaction(on: application.db) { db in
                try await (db as! SQLDatabase).raw("""
                    UPDATE jobs SET state = \(bind: state.rawValue), run_at = \(bind: runAt), last_error = \(bind: text),
                                    finished_at = \(bind: dead ? now : nil), locked_by = NULL, locked_at = NULL
                    WHERE id = \(bind: job.id) AND state = 'running' AND locked_by = \(bind: job.lockedBy) AND attempts = \(bind: job.attempts)
                    """).run()
            }
        } catch {
            // The lease runs out and the job is taken again.
            logger.error("could not record the failure of job \(job.id): \(String(reflecting: error))")
            return
        }
        JobMetrics.shared.failed(job.kind, dead: dead)
        if dead {
            logger.error("job \(job.kind) \(job.id) is dead after \(job.attempts) attempts: \(text)")
        } else {
            logger.warning("job \(job.kind) \(job.id) failed attempt \(job.attempts) of \(job.maxAttempts), next at \(runAt): \(text)")
        }
    }

    private func renewLease(of job: TakenJob) async throws {
        let now = self.now
        let leaseEnd = now.addingTimeInterval(configuration.lease)
        try await application.egovServices.auditLog.writeTransaction(on: application.db) { db in
            try await (db as! SQLDatabase).raw("""
                UPDATE jobs SET locked_at = \(bind: now), run_at = \(bind: leaseEnd)
                WHERE id = \(bind: job.id) AND state = 'running' AND locked_by = \(bind: job.lockedBy) AND attempts = \(bind: job.attempts)
                """).run()
        }
    }

    // MARK: Administration

    /// An administrator's "Thử lại": a dead job waits again with all its attempts, now.
    static func retry(_ id: UUID, at now: Date, on db: Database) async throws -> Job {
        guard let job = try await Job.find(id, on: db) else { throw EGovError.notFound("Không tìm thấy tác vụ.") }
        guard job.jobState == .failed else {
            throw EGovError.conflict("Chỉ thử lại được tác vụ đã thất bại; tác vụ này đang ở trạng thái \"\(JobLabels.state(job.state))\".")
        }
        job.state = Job.State.waiting.rawValue
        job.attempts = 0
        job.runAt = now
        job.finishedAt = nil
        try await job.update(on: db)
        JobMetrics.shared.retried(job.kind)
        JobBell.shared.ring()
        return job
    }

    /// Jobs per state, for the admin page and the gauges.
    static func counts(on db: Database) async throws -> [Job.State: Int] {
        let rows = try await (db as! SQLDatabase).raw("SELECT state, COUNT(*) AS n FROM jobs GROUP BY state").all()
        var counts: [Job.State: Int] = [:]
        for row in rows {
            if let state = Job.State(rawValue: try row.decode(column: "state", as: String.self)) {
                counts[state] = try row.decode(column: "n", as: Int.self)
            }
        }
        return counts
    }

    /// Refreshes the waiting/running gauges and deletes succeeded jobs past their keeping time.
    func maintain() async throws {
        let counts = try await Self.counts(on: application.db)
        JobMetrics.shared.setGauges(waiting: counts[.waiting] ?? 0, running: counts[.running] ?? 0)
        let cutoff = now.addingTimeInterval(-configuration.keepSucceeded)
        try await Job.query(on: application.db).filter(\.$state == Job.State.succeeded.rawValue).filter(\.$finishedAt < cutoff).delete()
    }

    // MARK: Tests

    /// Runs due jobs here until none is due and none is running in this process (tests; the old
    /// `waitUntilIdle`). With a test clock, a job waiting out its backoff is not due until the clock moves.
    func runUntilIdle() async throws {
        let worker = "\(processName)/inline"
        while true {
            if let job = try await take(by: worker) {
                await perform(job)
                continue
            }
            if inFlight.withLockedValue({ $0 }) == 0 { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        try await maintain()
    }
}

/// Wakes idle workers of this process when a job is enqueued (or retried) here.
final class JobBell: Sendable {
    static let shared = JobBell()

    private struct State {
        var generation: UInt64 = 0
        var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
    }
    private let state = NIOLockedValueBox(State())

    var generation: UInt64 { state.withLockedValue { $0.generation } }

    func ring() {
        let waiters = state.withLockedValue { state -> [CheckedContinuation<Void, Never>] in
            state.generation &+= 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        waiters.forEach { $0.resume() }
    }

    /// Returns when the bell rings after `generation`, or after `timeout`.
    func wait(since generation: UInt64, timeout: TimeInterval) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: .milliseconds(Int(timeout * 1000))) }
            group.addTask { await self.ring(after: generation) }
            await group.next()
            group.cancelAll()
        }
    }

    private func ring(after generation: UInt64) async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLockedValue { state -> Bool in
                    if state.generation != generation || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLockedValue { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}

extension Application {
    /// The node's job queue (a member of its `Services`).
    var jobs: JobQueue { egovServices.jobs }
}
