import Fluent
import NIOConcurrencyHelpers
import SQLKit
import XCTest
import XCTVapor
@testable import EGovServer

/// Fails its first `failures` runs with a mail-server-like error, then succeeds.
struct FlakyTestJob: JobHandler {
    static let kind = "test.flaky"
    static let maxAttempts = 3

    struct Payload: Codable, Sendable { var label: String }
    struct Refused: Error, CustomStringConvertible { var description: String { "451 4.3.0 mail server busy" } }

    let failures: NIOLockedValueBox<Int>
    let runs = NIOLockedValueBox(0)

    func run(_ payload: Payload, in context: JobContext) async throws {
        runs.withLockedValue { $0 += 1 }
        let fail = failures.withLockedValue { left -> Bool in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
        if fail { throw Refused() }
    }
}

/// XCTUnwrap for an async expression.
func unwrap<T>(_ value: @autoclosure () async throws -> T?, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) async throws -> T {
    let value = try await value()
    return try XCTUnwrap(value, message, file: file, line: line)
}

/// The queue itself, on the test clock: enqueue with the caller's transaction, idempotency keys,
/// backoff, the dead-letter state, leases, and the worker waking on enqueue.
final class JobQueueTests: EGovTestCase {
    override var seedDemo: Bool { false }

    func enqueue(_ job: Job) async throws -> Bool {
        try await app.db.transaction { db in try await JobQueue.enqueue(job, on: db) }
    }

    func job(_ key: String) async throws -> Job {
        try await unwrap(await Job.query(on: app.db).filter(\.$idempotencyKey == key).first(), "job \(key)")
    }

    func effects() async throws -> [String] {
        try await sql.raw("CREATE TABLE IF NOT EXISTS job_test_effects (idempotency_key TEXT NOT NULL, worker TEXT NOT NULL)").run()
        return try await sql.raw("SELECT idempotency_key FROM job_test_effects ORDER BY idempotency_key").all()
            .map { try $0.decode(column: "idempotency_key", as: String.self) }
    }

    func test_aJobCommitsAndRollsBackWithTheTransactionThatEnqueuedIt() async throws {
        struct Refused: Error {}
        do {
            try await app.egovServices.auditLog.transaction(on: app.db, context: .system) { [clock] db, trail in
                try await JobQueue.enqueue(try Job(CountedTestJob.self, .init(milliseconds: 0), key: "rolled-back", at: clock.now), on: db)
                trail.record("test.change")
                throw Refused()
            }
            XCTFail("the transaction should have failed")
        } catch is Refused {}
        let afterRollback = try await Job.query(on: app.db).count()
        XCTAssertEqual(afterRollback, 0, "the job went with the rolled-back change")

        try await app.egovServices.auditLog.transaction(on: app.db, context: .system) { [clock] db, trail in
            try await JobQueue.enqueue(try Job(CountedTestJob.self, .init(milliseconds: 0), key: "committed", at: clock.now), on: db)
            trail.record("test.change")
        }
        let committed = try await job("committed")
        XCTAssertEqual(committed.jobState, .waiting)
        XCTAssertEqual(committed.attempts, 0)
        XCTAssertEqual(committed.runAt.timeIntervalSince1970, clock.now.timeIntervalSince1970, accuracy: 0.001)
    }

    func test_anEffectEnqueuedTwiceRunsOnce() async throws {
        app.jobs.register(CountedTestJob())
        let first = try await enqueue(try Job(CountedTestJob.self, .init(milliseconds: 0), key: "notice:42", at: clock.now))
        let second = try await enqueue(try Job(CountedTestJob.self, .init(milliseconds: 0), key: "notice:42", at: clock.now))
        XCTAssertTrue(first)
        XCTAssertFalse(second, "the key is there already")
        try await app.jobs.runUntilIdle()
        let third = try await enqueue(try Job(CountedTestJob.self, .init(milliseconds: 0), key: "notice:42", at: clock.now))
        XCTAssertFalse(third, "nor after it ran")
        try await app.jobs.runUntilIdle()
        let ran = try await effects()
        XCTAssertEqual(ran, ["notice:42"])
        let count = try await Job.query(on: app.db).count()
        XCTAssertEqual(count, 1)
    }

    func test_failuresBackOffExponentiallyThenTheJobIsDeadWithItsError_andARetryRunsItAgain() async throws {
        let flaky = FlakyTestJob(failures: NIOLockedValueBox(3))
        app.jobs.register(flaky)
        let before = JobMetrics.shared.render()
        _ = try await enqueue(try Job(FlakyTestJob.self, .init(label: "thư"), key: "flaky", at: clock.now))

        try await app.jobs.runUntilIdle()
        var stored = try await job("flaky")
        XCTAssertEqual(stored.jobState, .waiting)
        XCTAssertEqual(stored.attempts, 1)
        XCTAssertEqual(stored.lastError?.contains("451 4.3.0 mail server busy"), true, stored.lastError ?? "")
        var delay = stored.runAt.timeIntervalSince(clock.now)
        XCTAssertTrue((7.5..<12.5).contains(delay), "first backoff 10 s ± 25 %: \(delay)")
        XCTAssertNil(stored.lockedBy)

        clock.advance(delay - 1)
        try await app.jobs.runUntilIdle()
        XCTAssertEqual(flaky.runs.withLockedValue { $0 }, 1, "not due before its backoff ends")

        clock.advance(1.01) // past the due time, whatever the stored time's rounding
        try await app.jobs.runUntilIdle()
        stored = try await job("flaky")
        XCTAssertEqual(stored.attempts, 2)
        XCTAssertEqual(stored.jobState, .waiting)
        delay = stored.runAt.timeIntervalSince(clock.now)
        XCTAssertTrue((15..<25).contains(delay), "second backoff 20 s ± 25 %: \(delay)")

        clock.advance(delay + 0.01)
        try await app.jobs.runUntilIdle()
        stored = try await job("flaky")
        XCTAssertEqual(stored.jobState, .failed, "three attempts of three: dead")
        XCTAssertEqual(stored.attempts, 3)
        XCTAssertEqual(stored.lastError?.contains("451 4.3.0"), true)
        XCTAssertNotNil(stored.finishedAt)
        clock.advance(86_400)
        try await app.jobs.runUntilIdle()
        XCTAssertEqual(flaky.runs.withLockedValue { $0 }, 3, "a dead job is not taken again")

        let metrics = JobMetrics.shared.render()
        XCTAssertEqual(counter(metrics, "failed", "test.flaky") - counter(before, "failed", "test.flaky"), 3)
        XCTAssertEqual(counter(metrics, "dead", "test.flaky") - counter(before, "dead", "test.flaky"), 1)
        XCTAssertEqual(counter(metrics, "enqueued", "test.flaky") - counter(before, "enqueued", "test.flaky"), 1)

        // The administrator's retry: all attempts again, due now; this time it succeeds.
        let deadID = stored.id!
        let retried = try await app.egovServices.auditLog.transaction(on: app.db, context: .system) { [clock] db, _ in
            try await JobQueue.retry(deadID, at: clock.now, on: db)
        }
        XCTAssertEqual(retried.jobState, .waiting)
        XCTAssertEqual(retried.attempts, 0)
        try await app.jobs.runUntilIdle()
        stored = try await job("flaky")
        XCTAssertEqual(stored.jobState, .succeeded)
        XCTAssertEqual(stored.attempts, 1)
        let after = JobMetrics.shared.render()
        XCTAssertEqual(counter(after, "retried", "test.flaky") - counter(before, "retried", "test.flaky"), 1)
        XCTAssertEqual(counter(after, "succeeded", "test.flaky") - counter(before, "succeeded", "test.flaky"), 1)
    }

    func test_backoffDoublesUpToAnHour() {
        XCTAssertEqual(JobBackoff.delay(afterAttempt: 1, jitter: 1), 10)
        XCTAssertEqual(JobBackoff.delay(afterAttempt: 2, jitter: 1), 20)
        XCTAssertEqual(JobBackoff.delay(afterAttempt: 5, jitter: 1), 160)
        XCTAssertEqual(JobBackoff.delay(afterAttempt: 12, jitter: 1), 3600)
        XCTAssertEqual(JobBackoff.delay(afterAttempt: 3, jitter: 0.75), 30)
    }

    func test_aJobWhoseWorkerDiedIsTakenAgainWhenItsLeaseEnds_andTheOldWorkerCannotFinishIt() async throws {
        app.jobs.register(CountedTestJob())
        _ = try await enqueue(try Job(CountedTestJob.self, .init(milliseconds: 0), key: "lease", at: clock.now))
        // A worker takes it and dies.
        let stale = try await unwrap(await app.jobs.take(by: "host:1:dead/0"))
        var stored = try await job("lease")
        XCTAssertEqual(stored.jobState, .running)
        XCTAssertEqual(stored.lockedBy, "host:1:dead/0")
        XCTAssertEqual(stored.runAt.timeIntervalSince(clock.now), app.jobs.configuration.lease, accuracy: 0.001)

        try await app.jobs.runUntilIdle()
        var ran = try await effects()
        XCTAssertEqual(ran, [], "the lease still holds")

        clock.advance(app.jobs.configuration.lease + 1)
        try await app.jobs.runUntilIdle()
        stored = try await job("lease")
        XCTAssertEqual(stored.jobState, .succeeded)
        XCTAssertEqual(stored.attempts, 2, "the attempt that died counts")
        ran = try await effects()
        XCTAssertEqual(ran, ["lease"])

        // The first worker comes back and tries to finish: refused, and its effect rolled back.
        do {
            try await app.jobs.complete(stale) { db in
                try await (db as! SQLDatabase).raw("INSERT INTO job_test_effects (idempotency_key, worker) VALUES ('lease', 'stale')").run()
            }
            XCTFail("a lost lease cannot finish the job")
        } catch is JobLeaseLost {}
        ran = try await effects()
        XCTAssertEqual(ran, ["lease"], "the effect happened once")
    }

    func test_aJobThatKeepsKillingItsWorkerEndsDead() async throws {
        app.jobs.register(CountedTestJob())
        _ = try await enqueue(try Job(CountedTestJob.self, .init(milliseconds: 0), key: "poison", at: clock.now))
        for attempt in 1...CountedTestJob.maxAttempts {
            _ = try await unwrap(await app.jobs.take(by: "host:\(attempt):crashing/0"), "attempt \(attempt)")
            clock.advance(app.jobs.configuration.lease + 1)
        }
        try await app.jobs.runUntilIdle()
        let stored = try await job("poison")
        XCTAssertEqual(stored.jobState, .failed)
        XCTAssertEqual(stored.lastError?.contains("dừng giữa chừng"), true, stored.lastError ?? "")
        let ran = try await effects()
        XCTAssertEqual(ran, [], "the handler did not run an eleventh time")
    }

    func test_theWorkerWakesWhenAJobIsEnqueuedInThisProcess() async throws {
        // A poll of a minute: only the bell can bring the job in within the few seconds allowed.
        app.egovServices.jobs = JobQueue(application: app, configuration: .init(pollInterval: 60))
        app.jobs.register(CountedTestJob())
        let workers = JobWorkers(queue: app.jobs, count: 1, logger: app.logger)
        workers.start()
        try await Task.sleep(for: .milliseconds(200)) // the worker has looked once and sleeps
        try await app.egovServices.auditLog.transaction(on: app.db, context: .system) { [clock] db, trail in
            try await JobQueue.enqueue(try Job(CountedTestJob.self, .init(milliseconds: 0), key: "prompt", at: clock.now), on: db)
            trail.record("test.change")
        }
        let deadline = Date().addingTimeInterval(10)
        var state = try await job("prompt").jobState
        while state != .succeeded, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
            state = try await job("prompt").jobState
        }
        XCTAssertEqual(state, .succeeded)
        await workers.stop()
        XCTAssertFalse(workers.isRunning)
    }

    func test_onlyServeRunsTheWorkers() {
        XCTAssertTrue(JobWorkersLifecycle.isServing(["egov"]))
        XCTAssertTrue(JobWorkersLifecycle.isServing(["egov", "serve", "--port", "8080"]))
        XCTAssertTrue(JobWorkersLifecycle.isServing(["egov", "--demo"]))
        XCTAssertFalse(JobWorkersLifecycle.isServing(["egov", "audit", "verify"]))
        XCTAssertFalse(JobWorkersLifecycle.isServing(["egov", "migrate"]))
    }

    func test_metricsShowTheQueue() async throws {
        app.jobs.register(CountedTestJob())
        _ = try await enqueue(try Job(CountedTestJob.self, .init(milliseconds: 0), key: "metrics-1", at: clock.now))
        _ = try await enqueue(try Job(CountedTestJob.self, .init(milliseconds: 0), key: "metrics-2", at: clock.now.addingTimeInterval(600)))
        try await app.jobs.runUntilIdle()
        let body = try await api(.GET, "/metrics", as: nil).body
        XCTAssertTrue(body.contains("# TYPE egov_jobs_enqueued_total counter"), body)
        XCTAssertTrue(body.contains("egov_jobs_succeeded_total{kind=\"test.counted\"}"), body)
        XCTAssertTrue(body.contains("# TYPE egov_jobs_dead_total counter"), body)
        XCTAssertTrue(body.contains("egov_jobs_waiting 1\n"), "the job due in ten minutes waits: \(body)")
        XCTAssertTrue(body.contains("egov_jobs_running 0\n"), body)
    }

    private func counter(_ lines: [String], _ name: String, _ kind: String) -> Int {
        let prefix = "egov_jobs_\(name)_total{kind=\"\(kind)\"} "
        return lines.first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) } ?? 0
    }
}

/// The work that moved onto the queue: PDF text and applicants' messages.
final class JobQueueMovedWorkTests: ApplicantTestCase {
    func test_attachmentTextIsAJobOfTheUploadsTransaction_andRunningItAgainChangesNothing() async throws {
        // A stand-in for pdftotext that prints fixed words, so the text is known.
        let tool = dataDir + "/fake-pdftotext"
        try "#!/bin/sh\necho 'Ke hoach chuyen doi so LGSP'\n".write(toFile: tool, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool)
        app.egovServices.attachmentText = AttachmentTextExtractor(app: app, tool: tool)

        let doc = try await registerIncoming(as: "quangninh.vanthu")
        let clerk = try await token("quangninh.vanthu")
        let response = try await upload("/api/v1/incoming-documents/\(doc.id)/attachments", as: clerk, fileName: "ke-hoach.pdf", data: samplePDF)
        XCTAssertEqual(response.status, .created, response.body)
        let row = try await unwrap(await DocumentAttachment.query(on: app.db).filter(\.$documentID == doc.id).first())
        let queued = try await unwrap(await Job.query(on: app.db).filter(\.$idempotencyKey == "attachment.text:\(row.id!)").first())
        XCTAssertEqual(queued.kind, AttachmentTextJob.kind)
        XCTAssertEqual(queued.jobState, .waiting, "the request did not wait for the text")
        XCTAssertNil(row.textState)

        await app.egovServices.attachmentText.waitUntilIdle()
        let read = try await DocumentAttachment.find(row.id, on: app.db)
        XCTAssertEqual(read?.textState, "done")
        let text = try await IncomingDocument.find(doc.id, on: app.db)?.attachmentText
        XCTAssertTrue(text?.hasPrefix("ke hoach chuyen doi so lgsp") ?? false, text ?? "")

        // The same job run again (a crash after the effect, before the mark) writes the same values.
        _ = try await app.db.transaction { [clock] db in
            try await JobQueue.enqueue(try Job(AttachmentTextJob.self, .init(attachmentID: row.id!), key: "again", at: clock.now), on: db)
        }
        try await app.jobs.runUntilIdle()
        let textAgain = try await IncomingDocument.find(doc.id, on: app.db)?.attachmentText
        XCTAssertEqual(textAgain, text)
        let rows = try await DocumentAttachment.query(on: app.db).filter(\.$documentID == doc.id).count()
        XCTAssertEqual(rows, 1)
    }

    func test_aNotificationsMailIsAJobOfItsTransaction_sentOnceUnderOneMessageID_andItsBodyIsNotKept() async throws {
        let citizen = try await unwrap(await Applicant.query(on: app.db).filter(\.$email == "congdan@egov.local").first())
        let notification = try await NotifyApplicant(applicantID: citizen.id!, title: "Hồ sơ đã được tiếp nhận", body: "Mã hồ sơ: 0001").run(in: app.useCase())
        XCTAssertEqual(sender.mails.count, 0, "the request does not wait for the mail server")
        let queued = try await unwrap(await Job.query(on: app.db).filter(\.$idempotencyKey == "applicant.notification:\(notification.id!)").first())
        XCTAssertEqual(queued.jobState, .waiting)

        try await app.jobs.runUntilIdle()
        XCTAssertEqual(sender.mails.map(\.to), ["congdan@egov.local"])
        XCTAssertEqual(sender.mails.first?.messageID, "job-\(queued.id!.uuidString.lowercased())")
        let sent = try await unwrap(await Job.find(queued.id, on: app.db))
        XCTAssertEqual(sent.jobState, .succeeded)
        XCTAssertFalse(sent.payload.contains("0001"), "the message body is dropped once sent: \(sent.payload)")
        try await app.jobs.runUntilIdle()
        XCTAssertEqual(sender.mails.count, 1)
    }

    func test_aConfirmationCodeIsQueuedWithTheAccount_andAFailedSendIsRetried() async throws {
        app.egovServices.mail = FailingSender()
        let created = try await api(.POST, "/api/v1/portal/register", as: nil,
                                    json: ["full_name": "Trần Văn Bình", "kind": "citizen", "password": Self.password, "email": "binh@example.vn"])
        XCTAssertEqual(created.status, .created, created.body)
        let job = try await unwrap(await Job.query(on: app.db).filter(\.$kind == ApplicantMessageJob.kind).first())
        try await app.jobs.runUntilIdle()
        var stored = try await unwrap(await Job.find(job.id, on: app.db))
        XCTAssertEqual(stored.jobState, .waiting)
        XCTAssertEqual(stored.lastError?.contains("connection refused"), true, stored.lastError ?? "")

        app.egovServices.mail = sender
        clock.advance(15)
        try await app.jobs.runUntilIdle()
        stored = try await unwrap(await Job.find(job.id, on: app.db))
        XCTAssertEqual(stored.jobState, .succeeded)
        XCTAssertEqual(stored.attempts, 2)
        XCTAssertNotNil(sender.lastCode(to: "binh@example.vn"))
    }
}

/// `/admin/jobs` and `/api/v1/jobs`: system administrators only.
final class JobQueueAdminTests: EGovTestCase {
    func deadJob() async throws -> Job {
        let job = try Job(ApplicantMessageJob.self, .init(to: "congdan@egov.local", subject: "Thông báo", body: "Nội dung"), key: "dead", at: clock.now)
        job.state = Job.State.failed.rawValue
        job.attempts = ApplicantMessageJob.maxAttempts
        job.lastError = "SMTPError: mail server answered 550 5.1.1 mailbox unavailable"
        job.finishedAt = clock.now
        try await job.create(on: app.db)
        return job
    }

    func test_thePageListsFailedJobsWithTheirErrorAndRetriesThem_forSystemAdminsOnly() async throws {
        let job = try await deadJob()
        let clerk = browser()
        try await clerk.signIn("quangninh.vanthu")
        let refused = try await clerk.get("/admin/jobs")
        XCTAssertEqual(refused.status, .forbidden)
        let home = try await clerk.get("/")
        XCTAssertFalse(home.body.contains("href=\"/admin/jobs\""), "no link for a clerk")
        let refusedRetry = try await clerk.post("/admin/jobs/\(job.id!)/retry", []) // with the home page's CSRF token
        XCTAssertEqual(refusedRetry.status, .forbidden)
        XCTAssertTrue(refusedRetry.body.contains("Chỉ quản trị hệ thống"), "refused for the role, not the form")
        let agencyAdmin = browser()
        try await agencyAdmin.signIn("quangninh.quantri")
        let agencyAdminPage = try await agencyAdmin.get("/admin/jobs")
        XCTAssertEqual(agencyAdminPage.status, .forbidden, "the queue is the node's, not an agency's")

        let admin = browser()
        try await admin.signIn("admin")
        let page = try await admin.get("/admin/jobs")
        XCTAssertEqual(page.status, .ok)
        XCTAssertTrue(page.body.contains("href=\"/admin/jobs\""), "the admin menu links the page")
        XCTAssertTrue(page.body.contains("Gửi thư điện tử, tin nhắn cho người dân"))
        XCTAssertTrue(page.body.contains("550 5.1.1 mailbox unavailable"))
        XCTAssertTrue(page.body.contains("8/8"))
        XCTAssertTrue(page.body.contains("action=\"/admin/jobs/\(job.id!)/retry\""))
        XCTAssertTrue(page.body.contains("Thử lại"))

        let noToken = try await admin.post("/admin/jobs/\(job.id!)/retry", [], csrf: "wrong")
        XCTAssertEqual(noToken.status, .forbidden, "the form needs its CSRF token")
        let untouched = try await Job.find(job.id, on: app.db)
        XCTAssertEqual(untouched?.jobState, .failed)
        let retried = try await admin.post("/admin/jobs/\(job.id!)/retry", [])
        XCTAssertEqual(retried.status, .seeOther, retried.body)
        let stored = try await Job.find(job.id, on: app.db)
        XCTAssertEqual(stored?.jobState, .waiting)
        XCTAssertEqual(stored?.attempts, 0)
        let after = try await admin.get("/admin/jobs")
        XCTAssertTrue(after.body.contains("Đã đưa tác vụ"), "the flash says so")
        let audit = try await AuditEntry.query(on: app.db).filter(\.$action == "job.retry").first()
        XCTAssertEqual(audit?.actorName, "admin")
        XCTAssertEqual(audit?.objectID, job.id!.uuidString)
    }

    func test_theAPIListsAndRetriesForSystemAdminsOnly() async throws {
        let job = try await deadJob()
        let anonymous = try await api(.GET, "/api/v1/jobs", as: nil)
        XCTAssertEqual(anonymous.status, .unauthorized)
        let clerk = try await token("quangninh.vanthu")
        let clerkList = try await api(.GET, "/api/v1/jobs", as: clerk)
        XCTAssertEqual(clerkList.status, .forbidden)
        XCTAssertEqual(clerkList.error?.error, "forbidden")
        let clerkRetry = try await api(.POST, "/api/v1/jobs/\(job.id!)/retry", as: clerk)
        XCTAssertEqual(clerkRetry.status, .forbidden)

        let admin = try await token("admin")
        let list = try await api(.GET, "/api/v1/jobs?state=failed", as: admin)
        XCTAssertEqual(list.status, .ok, list.body)
        let decoded = try list.json(JobListDTO.self)
        XCTAssertEqual(decoded.counts.failed, 1)
        XCTAssertEqual(decoded.jobs.map(\.id), [job.id!])
        XCTAssertEqual(decoded.jobs.first?.lastError, job.lastError)
        XCTAssertFalse(list.body.contains("Nội dung"), "payloads are not shown")
        let badState = try await api(.GET, "/api/v1/jobs?state=dead", as: admin)
        XCTAssertEqual(badState.status, .badRequest)
        XCTAssertEqual(badState.error?.error, "bad_state")

        let retried = try await api(.POST, "/api/v1/jobs/\(job.id!)/retry", as: admin)
        XCTAssertEqual(retried.status, .ok, retried.body)
        XCTAssertEqual(try retried.json(JobDTO.self).state, "waiting")
        let twice = try await api(.POST, "/api/v1/jobs/\(job.id!)/retry", as: admin)
        XCTAssertEqual(twice.status, .conflict, "only a failed job is retried")
        let unknown = try await api(.POST, "/api/v1/jobs/\(UUID())/retry", as: admin)
        XCTAssertEqual(unknown.status, .notFound)
        let malformed = try await api(.POST, "/api/v1/jobs/not-a-uuid/retry", as: admin)
        XCTAssertEqual(malformed.status, .notFound)
    }
}
