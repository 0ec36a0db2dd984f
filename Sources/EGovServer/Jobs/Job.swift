import Fluent
import SQLKit
import Vapor

/// A unit of background work (tác vụ nền), written in the same transaction as the change that
/// causes it and run by a worker of the server process.
final class Job: Model, @unchecked Sendable {
    static let schema = "jobs"

    enum State: String, Codable, Sendable, CaseIterable {
        /// Chờ chạy: due at `runAt` (a new job, or one waiting out its backoff).
        case waiting
        /// Đang chạy: a worker holds it until `runAt`, the end of its lease.
        case running
        case succeeded
        /// Out of attempts (dead letter): it waits for an administrator's retry.
        case failed
    }

    @ID(key: .id) var id: UUID?
    /// Which handler runs it, e.g. `attachment.text`.
    @Field(key: "kind") var kind: String
    /// The handler's input, JSON.
    @Field(key: "payload") var payload: String
    @Field(key: "state") var state: String
    /// Attempts started so far; a take counts one, so a job that kills its worker runs out too.
    @Field(key: "attempts") var attempts: Int
    @Field(key: "max_attempts") var maxAttempts: Int
    /// When a worker may take the job next: its due time while waiting, its lease's end while running.
    @Field(key: "run_at") var runAt: Date
    /// The worker holding the job, and when it last renewed the lease.
    @OptionalField(key: "locked_by") var lockedBy: String?
    @OptionalField(key: "locked_at") var lockedAt: Date?
    @OptionalField(key: "last_error") var lastError: String?
    /// The effect it stands for: a second enqueue of the same key adds nothing.
    @Field(key: "idempotency_key") var idempotencyKey: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}

    /// A job for `Handler`, due now (or at `runAt`); `key` defaults to a fresh one.
    convenience init<Handler: JobHandler>(_ handler: Handler.Type, _ payload: Handler.Payload, key: String? = nil,
                                          at now: Date, runAt: Date? = nil) throws {
        self.init()
        self.id = UUID()
        self.kind = Handler.kind
        self.payload = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        self.state = State.waiting.rawValue
        self.attempts = 0
        self.maxAttempts = Handler.maxAttempts
        self.runAt = runAt ?? now
        self.idempotencyKey = key ?? "\(Handler.kind):\(id!.uuidString.lowercased())"
        self.createdAt = now
    }

    var jobState: State? { State(rawValue: state) }
}

struct CreateJobs: AsyncMigration {
    func prepare(on db: Database) async throws {
        try await db.schema(Job.schema)
            .id()
            .field("kind", .string, .required)
            .field("payload", .string, .required)
            .field("state", .string, .required)
            .field("attempts", .int, .required)
            .field("max_attempts", .int, .required)
            .field("run_at", .datetime, .required)
            .field("locked_by", .string)
            .field("locked_at", .datetime)
            .field("last_error", .string)
            .field("idempotency_key", .string, .required)
            .field("created_at", .datetime, .required)
            .field("finished_at", .datetime)
            .unique(on: "idempotency_key")
            .create()
        guard let sql = db as? SQLDatabase else { return }
        // The take query: the earliest due among the jobs a worker may take (SQLite and PostgreSQL both have partial indexes).
        try await sql.raw("CREATE INDEX jobs_due ON jobs (run_at) WHERE state IN ('waiting', 'running')").run()
        // The admin page: each state's newest first.
        try await sql.raw("CREATE INDEX jobs_by_state ON jobs (state, created_at)").run()
    }

    func revert(on db: Database) async throws { try await db.schema(Job.schema).delete() }
}
