import Fluent
import NIOConcurrencyHelpers
import Vapor

/// Runs the jobs of one kind. `run` may be called again for the same job after a crash or an
/// expired lease, so it must be safe to repeat: database effects go through `context.finish`,
/// which commits them with the job's success, or nothing of them.
protocol JobHandler: Sendable {
    associatedtype Payload: Codable & Sendable
    static var kind: String { get }
    /// Attempts before the job is dead (state `failed`).
    static var maxAttempts: Int { get }
    func run(_ payload: Payload, in context: JobContext) async throws
}

extension JobHandler {
    static var maxAttempts: Int { 10 }
}

/// A job as a worker took it: the lease is `(lockedBy, attempts)`.
struct TakenJob: Sendable {
    let id: UUID
    let kind: String
    let payload: String
    let attempts: Int
    let maxAttempts: Int
    let idempotencyKey: String
    let lockedBy: String
}

/// What a handler may use while it runs. Handlers read `db`, `logger`, `now` and `finish` (and the
/// senders through `application`), so this can become a `UseCaseContext` without touching them.
struct JobContext: Sendable {
    let application: Application
    let job: TakenJob
    let logger: Logger
    fileprivate let finished: NIOLockedValueBox<Bool>
    fileprivate let queue: JobQueue

    init(application: Application, job: TakenJob, queue: JobQueue) {
        self.application = application
        self.job = job
        var logger = application.logger
        logger[metadataKey: "job"] = .string("\(job.kind) \(job.id)")
        self.logger = logger
        self.finished = NIOLockedValueBox(false)
        self.queue = queue
    }

    var db: Database { application.db }
    var now: Date { application.now }

    /// A use case run by the worker, as `actor` (or the system): jobs run commands like any caller.
    func useCase(as actor: Actor? = nil) -> UseCaseContext { application.useCase(as: actor) }

    /// Commits `effects` in the transaction that marks the job succeeded: both or neither. Throws
    /// `JobLeaseLost` (and rolls back) when another worker has taken the job meanwhile.
    func finish(_ effects: @escaping @Sendable (Database) async throws -> Void) async throws {
        try await queue.complete(job, effects: effects)
        finished.withLockedValue { $0 = true }
    }

    var isFinished: Bool { finished.withLockedValue { $0 } }
}

struct JobLeaseLost: Error, CustomStringConvertible {
    var description: String { "the job's lease passed to another worker" }
}

/// Type-erased handler in the queue's registry.
struct RegisteredJobHandler: Sendable {
    let kind: String
    let run: @Sendable (String, JobContext) async throws -> Void

    init<Handler: JobHandler>(_ handler: Handler) {
        kind = Handler.kind
        run = { payload, context in
            let decoded = try JSONDecoder().decode(Handler.Payload.self, from: Data(payload.utf8))
            try await handler.run(decoded, in: context)
        }
    }
}

/// Delay before attempt `n + 1` after attempt `n` failed: 10 s doubling to at most an hour, times
/// a jitter in [0.75, 1.25) so jobs that failed together do not come back together.
enum JobBackoff {
    static let base: TimeInterval = 10
    static let cap: TimeInterval = 3600

    static func delay(afterAttempt attempt: Int, jitter: Double = Double.random(in: 0.75..<1.25)) -> TimeInterval {
        let exponent = Double(max(0, min(attempt - 1, 20)))
        return min(cap, base * pow(2, exponent)) * jitter
    }
}
