import Fluent
import SQLKit
import XCTest
import XCTVapor
@testable import EGovServer

/// The acceptance test of the queue: the real `egov serve` is killed with SIGKILL while jobs are
/// running and waiting; after a restart every job runs to completion and no effect happens twice.
/// Runs on SQLite, and on PostgreSQL with EGOV_TEST_DATABASE_URL (the server then gets DATABASE_URL).
final class JobQueueKillTests: EGovTestCase {
    override var seedDemo: Bool { false }
    private var servers: [Process] = []

    static let countedJobs = 70
    static let mails = 10
    static let kills = 3

    override func tearDown() async throws {
        for server in servers where server.isRunning {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        try await super.tearDown()
    }

    private func startServer(log: String) throws -> Process {
        let process = Process()
        process.executableURL = try egovBinary()
        // A socket of its own each start: a killed server leaves its socket file behind.
        process.arguments = ["serve", "--unix-socket", dataDir + "/\(log).sock", "--log", "warning"]
        var environment = ProcessInfo.processInfo.environment
        environment["EGOV_DATA_DIR"] = dataDir
        environment["EGOV_TEST_JOBS"] = "1"
        environment["EGOV_TEST_MAIL_FILE"] = dataDir + "/mail.log"
        environment.removeValue(forKey: "EGOV_SMTP_HOST")
        if let url = app.settings.databaseURL { environment["DATABASE_URL"] = url } else { environment.removeValue(forKey: "DATABASE_URL") }
        process.environment = environment
        _ = FileManager.default.createFile(atPath: dataDir + "/" + log, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: dataDir + "/" + log))
        process.standardOutput = output
        process.standardError = output
        try process.run()
        servers.append(process)
        return process
    }

    private func serverLog(_ name: String) -> String {
        (try? String(contentsOfFile: dataDir + "/" + name, encoding: .utf8)) ?? ""
    }

    private func counts() async throws -> [Job.State: Int] { try await JobQueue.counts(on: app.db) }

    /// Polls until `done` holds, for at most `seconds`.
    private func wait(upTo seconds: TimeInterval, _ done: () async throws -> Bool) async throws -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await done() { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await done()
    }

    func test_afterASIGKILLEveryJobRunsToCompletionAndNoEffectHappensTwice() async throws {
        // The server's clock is the system's: jobs are due now in real time, not on the test clock.
        let now = Date()
        var jobs: [Job] = []
        var mailJobs: [UUID] = []
        for n in 0..<Self.countedJobs {
            // Mail among the counted jobs, so that either may be the one running at the kill.
            jobs.append(try Job(CountedTestJob.self, .init(milliseconds: 120), key: "kill-test:\(n)", at: now, runAt: now.addingTimeInterval(Double(n) * 0.001)))
            if n % (Self.countedJobs / Self.mails) == 0 {
                let mail = try Job(ApplicantMessageJob.self, .init(to: "nguoi\(n)@example.vn", subject: "Thông báo \(n)", body: "Nội dung \(n)"),
                                   at: now, runAt: now.addingTimeInterval(Double(n) * 0.001 + 0.0005))
                mailJobs.append(mail.id!)
                jobs.append(mail)
            }
        }
        try await app.db.transaction { [jobs] db in
            for job in jobs { try await JobQueue.enqueue(job, on: db) }
        }
        let total = Self.countedJobs + Self.mails

        // Three kills, each a random moment after a few more jobs finished, so that they land in
        // different phases of a job: the handler's work, the send, the commit of its success.
        // Job → the attempts a kill cut off (a stale lease of the previous kill shows as running too).
        var killedAttempts: [UUID: Set<Int>] = [:]
        for round in 1...Self.kills {
            let log = "server-\(round).log"
            let server = try startServer(log: log)
            let progressed = try await wait(upTo: 90) {
                let counts = try await self.counts()
                return (counts[.succeeded] ?? 0) >= 8 * round && (counts[.running] ?? 0) >= 1
            }
            XCTAssertTrue(progressed, "round \(round): the server should have worked on the jobs: \(serverLog(log))")
            try await Task.sleep(for: .milliseconds(Int.random(in: 0..<250)))
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            XCTAssertEqual(server.terminationReason, .uncaughtSignal)
            let atKill = try await counts()
            let running = try await Job.query(on: app.db).filter(\.$state == Job.State.running.rawValue).all()
            XCTAssertGreaterThanOrEqual(running.count, 1, "round \(round): killed with a job running: \(atKill)")
            XCTAssertGreaterThan(atKill[.waiting] ?? 0, 0, "round \(round): killed with jobs waiting: \(atKill)")
            for job in running { killedAttempts[job.id!, default: []].insert(job.attempts) }
        }

        let last = try startServer(log: "server-last.log")
        let finished = try await wait(upTo: 120) { (try await self.counts()[.succeeded] ?? 0) == total }
        let afterRestart = try await counts()
        XCTAssertTrue(finished, "every job should succeed after the restarts: \(afterRestart)\n\(serverLog("server-last.log"))")
        last.terminate() // SIGTERM: the workers stop gracefully
        last.waitUntilExit()
        XCTAssertEqual(last.terminationStatus, 0, serverLog("server-last.log"))

        // Database effects: exactly once each, committed with the job's success.
        let rows = try await sql.raw("SELECT idempotency_key, COUNT(*) AS n FROM job_test_effects GROUP BY idempotency_key").all()
        var effects: [String: Int] = [:]
        for row in rows { effects[try row.decode(column: "idempotency_key", as: String.self)] = try row.decode(column: "n", as: Int.self) }
        XCTAssertEqual(effects.count, Self.countedJobs, "every counted job had its effect")
        XCTAssertEqual(effects.filter { $0.value != 1 }, [:], "no effect happened twice")

        // The jobs running at a kill were taken again once their lease ended: one attempt per kill, and the last.
        let retaken = try await Job.query(on: app.db).filter(\.$id ~~ Array(killedAttempts.keys)).all()
        XCTAssertTrue(retaken.allSatisfy { $0.attempts == killedAttempts[$0.id!]!.count + 1 && $0.jobState == .succeeded },
                      retaken.map { "\($0.kind) \($0.attempts)" }.joined(separator: ", "))

        // Mail: every message went out; another copy only of one in flight at a kill (sent, not
        // yet marked), at most one per such kill, under the same Message-ID.
        let lines = serverLog("mail.log").split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }.filter { !$0.isEmpty }
        var sent: [String: Int] = [:]
        for line in lines { sent[line[0], default: 0] += 1 }
        for id in mailJobs {
            let messageID = "job-\(id.uuidString.lowercased())"
            XCTAssertGreaterThanOrEqual(sent[messageID] ?? 0, 1, "\(messageID) was sent")
            XCTAssertLessThanOrEqual(sent[messageID] ?? 0, 1 + (killedAttempts[id]?.count ?? 0), "only a message in flight at a kill may go again: \(messageID)")
        }
        XCTAssertEqual(Set(sent.keys), Set(mailJobs.map { "job-\($0.uuidString.lowercased())" }))
    }
}
