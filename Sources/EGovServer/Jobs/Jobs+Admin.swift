import Fluent
import Vapor

/// The queue is the whole node's, not an agency's: only system administrators see or retry jobs.
enum JobPermissions {
    static func canManage(_ actor: Actor) -> Bool { actor.isSystemAdmin }

    static func require(_ actor: Actor) throws {
        guard canManage(actor) else { throw EGovError.forbidden("Chỉ quản trị hệ thống được xem và chạy lại tác vụ nền.") }
    }
}

enum JobQueries {
    static let pageSize = 100

    static func list(_ state: Job.State?, limit: Int = pageSize, on db: Database) async throws -> [Job] {
        let query = Job.query(on: db)
        switch state {
        case .waiting?: query.filter(\.$state == Job.State.waiting.rawValue).sort(\.$runAt)
        case .running?: query.filter(\.$state == Job.State.running.rawValue).sort(\.$lockedAt)
        case .succeeded?, .failed?: query.filter(\.$state == state!.rawValue).sort(\.$finishedAt, .descending)
        case nil: query.sort(\.$createdAt, .descending)
        }
        return try await query.sort(\.$id).limit(limit).all()
    }
}

/// Thử lại: an administrator puts a dead job back in the queue, audited.
struct RetryJob {
    let actor: Actor
    let jobID: UUID

    func run(in ctx: UseCaseContext) async throws -> Job {
        try JobPermissions.require(actor)
        let (jobID, now) = (jobID, ctx.now)
        return try await ctx.acting(as: actor).audited { db, trail in
            let job = try await JobQueue.retry(jobID, at: now, on: db)
            trail.record("job.retry", objectType: "job", objectID: jobID.uuidString, details: "\(job.kind) \(job.idempotencyKey)")
            return job
        }
    }
}

// MARK: API

struct JobDTO: Content {
    let id: UUID
    let kind: String
    let state: String
    let attempts: Int
    let maxAttempts: Int
    let runAt: Date
    let lockedBy: String?
    let lockedAt: Date?
    let lastError: String?
    let idempotencyKey: String
    let createdAt: Date
    let finishedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, kind, state, attempts
        case maxAttempts = "max_attempts", runAt = "run_at", lockedBy = "locked_by", lockedAt = "locked_at", lastError = "last_error"
        case idempotencyKey = "idempotency_key", createdAt = "created_at", finishedAt = "finished_at"
    }

    init(_ job: Job) {
        id = job.id!
        kind = job.kind
        state = job.state
        attempts = job.attempts
        maxAttempts = job.maxAttempts
        runAt = job.runAt
        lockedBy = job.lockedBy
        lockedAt = job.lockedAt
        lastError = job.lastError
        idempotencyKey = job.idempotencyKey
        createdAt = job.createdAt
        finishedAt = job.finishedAt
    }
}

struct JobCountsDTO: Content {
    let waiting: Int
    let running: Int
    let succeeded: Int
    let failed: Int

    init(_ counts: [Job.State: Int]) {
        waiting = counts[.waiting] ?? 0
        running = counts[.running] ?? 0
        succeeded = counts[.succeeded] ?? 0
        failed = counts[.failed] ?? 0
    }
}

struct JobListDTO: Content {
    let counts: JobCountsDTO
    let jobs: [JobDTO]
}

/// `/api/v1/jobs`: the queue for system administrators.
struct JobAPI: RouteCollection {
    func boot(routes: RoutesBuilder) throws {
        routes.get("jobs", use: list)
        routes.post("jobs", ":jobID", "retry", use: retry)
    }

    func list(req: Request) async throws -> JobListDTO {
        try JobPermissions.require(try req.actor)
        var state: Job.State?
        if let raw = req.query[String.self, at: "state"] {
            guard let parsed = Job.State(rawValue: raw) else {
                throw EGovError.badRequest("Trạng thái phải là waiting, running, succeeded hoặc failed.", code: "bad_state")
            }
            state = parsed
        }
        let jobs = try await JobQueries.list(state, on: req.db)
        return JobListDTO(counts: JobCountsDTO(try await JobQueue.counts(on: req.db)), jobs: jobs.map(JobDTO.init))
    }

    func retry(req: Request) async throws -> JobDTO {
        let actor = try req.actor
        try JobPermissions.require(actor)
        return JobDTO(try await RetryJob(actor: actor, jobID: try req.uuidParameter("jobID")).run(in: req.useCase))
    }
}

// MARK: Page

struct JobRow: Encodable {
    let id: String
    let kind: String
    let kindLabel: String
    let stateLabel: String
    let attempts: String
    let runAt: String
    let lockedBy: String
    let lastError: String
    let createdAt: String
    let finishedAt: String
    let retryURL: String

    init(_ job: Job) {
        id = job.id!.uuidString
        kind = job.kind
        kindLabel = JobLabels.kind(job.kind)
        stateLabel = JobLabels.state(job.state)
        attempts = "\(job.attempts)/\(job.maxAttempts)"
        runAt = job.runAt.vietnamTimestamp
        lockedBy = job.lockedBy ?? ""
        lastError = job.lastError ?? ""
        createdAt = job.createdAt.vietnamTimestamp
        finishedAt = job.finishedAt?.vietnamTimestamp ?? ""
        retryURL = "/admin/jobs/\(job.id!)/retry"
    }
}

struct JobsPage: Encodable {
    let shell: Shell
    let waitingCount: Int
    let runningCount: Int
    let succeededCount: Int
    let failedCount: Int
    let failed: [JobRow]
    let running: [JobRow]
    let waiting: [JobRow]
    let succeeded: [JobRow]
}

/// `/admin/jobs`: what waits, what runs, what failed (with its error and a retry button), what finished lately.
struct JobPages: RouteCollection {
    static let recentSucceeded = 20

    func boot(routes: RoutesBuilder) throws {
        routes.get("admin", "jobs", use: show)
        routes.post("admin", "jobs", ":jobID", "retry", use: retry)
    }

    func show(req: Request) async throws -> Response {
        try JobPermissions.require(try req.actor)
        let counts = try await JobQueue.counts(on: req.db)
        let (failed, running, waiting) = (try await JobQueries.list(.failed, on: req.db), try await JobQueries.list(.running, on: req.db),
                                          try await JobQueries.list(.waiting, on: req.db))
        let succeeded = try await JobQueries.list(.succeeded, limit: Self.recentSucceeded, on: req.db)
        return try await req.render("jobs", JobsPage(
            shell: req.shell("Tác vụ nền"), waitingCount: counts[.waiting] ?? 0, runningCount: counts[.running] ?? 0,
            succeededCount: counts[.succeeded] ?? 0, failedCount: counts[.failed] ?? 0,
            failed: failed.map(JobRow.init), running: running.map(JobRow.init), waiting: waiting.map(JobRow.init),
            succeeded: succeeded.map(JobRow.init)))
    }

    func retry(req: Request) async throws -> Response {
        let actor = try req.actor
        let job = try await RetryJob(actor: actor, jobID: try req.uuidParameter("jobID")).run(in: req.useCase)
        return req.redirectAfterPost(to: "/admin/jobs", flash: "Đã đưa tác vụ \"\(JobLabels.kind(job.kind))\" trở lại hàng đợi.")
    }
}
