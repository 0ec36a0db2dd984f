import Fluent
import SQLKit
import Vapor

enum JobSetup {
    /// The queue with its handlers, for the node's `Services`.
    static func makeQueue(_ app: Application) -> JobQueue {
        let testHooks = JobTestHooks.isEnabled
        let queue = JobQueue(application: app, configuration: testHooks ? JobTestHooks.configuration : .init())
        queue.register(AttachmentTextJob())
        queue.register(ApplicantMessageJob())
        if testHooks { queue.register(CountedTestJob()) }
        return queue
    }

    /// The workers of `serve`, started at boot and stopped before the database closes.
    static func startWorkers(_ app: Application, settings: Settings) {
        if JobTestHooks.isEnabled { JobTestHooks.install(on: app) }
        // PostgreSQL: a few loops share the pool with requests; SQLite has a single writer anyway.
        let count = settings.databaseURL == nil ? 1 : min(4, max(2, System.coreCount))
        app.lifecycle.use(JobWorkersLifecycle(workers: JobWorkers(queue: app.jobs, count: count, logger: app.logger)))
    }
}

/// `EGOV_TEST_JOBS=1`, for the test that kills the server mid-queue: a job kind whose effect is a
/// countable row, a lease of 2 seconds, and with `EGOV_TEST_MAIL_FILE` mail appended to a file.
/// Never set it in production.
enum JobTestHooks {
    static var isEnabled: Bool { Environment.get("EGOV_TEST_JOBS") == "1" }

    static let configuration = JobQueue.Configuration(lease: 2, heartbeat: 0.5, pollInterval: 0.2)

    static func install(on app: Application) {
        if let path = Environment.get("EGOV_TEST_MAIL_FILE") { app.egovServices.mail = FileMailSender(path: path) }
        app.logger.warning("EGOV_TEST_JOBS is set: test job kinds and a 2-second lease are on")
    }
}

/// Sleeps, then adds one row to `job_test_effects` in the transaction that finishes the job. The
/// table has no unique constraint, so an effect that happened twice shows as two rows.
struct CountedTestJob: JobHandler {
    static let kind = "test.counted"

    struct Payload: Codable, Sendable {
        var milliseconds: Int
    }

    func run(_ payload: Payload, in context: JobContext) async throws {
        try await Task.sleep(for: .milliseconds(payload.milliseconds))
        let (key, worker) = (context.job.idempotencyKey, context.job.lockedBy)
        try await context.finish { db in
            let sql = db as! SQLDatabase
            try await sql.raw("CREATE TABLE IF NOT EXISTS job_test_effects (idempotency_key TEXT NOT NULL, worker TEXT NOT NULL)").run()
            try await sql.raw("INSERT INTO job_test_effects (idempotency_key, worker) VALUES (\(bind: key), \(bind: worker))").run()
        }
    }
}

/// Appends each mail as one line (Message-ID, recipient, subject) to a file, after a pause that
/// stands for the mail server's round trip.
struct FileMailSender: MailSender {
    let path: String

    func send(_ message: OutgoingMail) async throws {
        try await Task.sleep(for: .milliseconds(50))
        let line = "\(message.messageID ?? "-")\t\(message.to)\t\(message.subject)\n"
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        guard fd >= 0 else { throw SMTPError(description: "cannot open \(path)") }
        defer { close(fd) }
        let written = line.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        guard written == line.utf8.count else { throw SMTPError(description: "short write to \(path)") }
    }
}
