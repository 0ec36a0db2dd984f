import NIOConcurrencyHelpers
import SQLKit
import Vapor

/// The worker loops of the server process: one on SQLite (it has one writer anyway), several on
/// PostgreSQL, where `SKIP LOCKED` keeps them (and other instances) off each other's jobs.
final class JobWorkers: Sendable {
    private let queue: JobQueue
    private let logger: Logger
    private let count: Int
    private let stopping = NIOLockedValueBox(false)
    private let tasks = NIOLockedValueBox<[Task<Void, Never>]>([])

    init(queue: JobQueue, count: Int, logger: Logger) {
        self.queue = queue
        self.count = count
        self.logger = logger
    }

    var isRunning: Bool { tasks.withLockedValue { !$0.isEmpty } }

    func start() {
        tasks.withLockedValue { tasks in
            guard tasks.isEmpty else { return }
            tasks = (0..<count).map { index in Task { await self.loop(index) } }
        }
        logger.info("job workers started: \(count), lease \(Int(queue.configuration.lease)) s, kinds \(queue.kinds.joined(separator: ", "))")
    }

    /// Lets each loop finish the job it is running, then returns. A job cut off by a harder stop
    /// is taken again when its lease ends.
    func stop() async {
        stopping.withLockedValue { $0 = true }
        JobBell.shared.ring()
        let running = tasks.withLockedValue { tasks in defer { tasks = [] }; return tasks }
        for task in running { await task.value }
    }

    private var isStopping: Bool { stopping.withLockedValue { $0 } }

    private func loop(_ index: Int) async {
        let name = "\(queue.processName)/\(index)"
        let bell = JobBell.shared
        var seen = bell.generation
        // After a ring (an enqueue whose transaction may not have committed yet), look again soon.
        var soon: [TimeInterval] = []
        var lastMaintenance = Date.distantPast
        while !isStopping {
            do {
                if let job = try await queue.take(by: name) {
                    await queue.perform(job)
                    continue
                }
                if index == 0, Date().timeIntervalSince(lastMaintenance) >= 1 {
                    lastMaintenance = Date()
                    try await queue.maintain()
                }
            } catch {
                logger.error("job worker \(name): \(String(reflecting: error))")
            }
            if bell.generation != seen {
                seen = bell.generation
                soon = [0.01, 0.03, 0.1, 0.3]
            }
            await bell.wait(since: seen, timeout: soon.isEmpty ? queue.configuration.pollInterval : soon.removeFirst())
        }
    }
}

/// Starts the workers when the server boots and stops them, letting running jobs finish, before
/// the database closes. Only `serve` runs them: one-off commands (`audit verify`, `pki`) do not,
/// and neither do tests, which run the queue with `runUntilIdle` where they need it.
struct JobWorkersLifecycle: LifecycleHandler {
    let workers: JobWorkers

    func didBoot(_ application: Application) throws {
        guard application.environment != .testing, Self.isServing(application.environment.arguments) else { return }
        workers.start()
    }

    func shutdownAsync(_ application: Application) async {
        await workers.stop()
    }

    func shutdown(_ application: Application) {
        // A synchronous shutdown cannot wait: leases bring back whatever was running.
        Task { await workers.stop() }
    }

    /// `egov`, `egov serve …` and `egov --flag …` serve; `egov audit verify` and the like do not.
    static func isServing(_ arguments: [String]) -> Bool {
        guard let command = arguments.dropFirst().first else { return true }
        return command == "serve" || command.hasPrefix("-")
    }
}
