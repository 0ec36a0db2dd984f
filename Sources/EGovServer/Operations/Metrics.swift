import NIOConcurrencyHelpers
import Vapor

/// In-process request counters and latency histogram, served in Prometheus text format.
final class RequestMetrics: Sendable {
    static let buckets: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    private struct Series: Hashable { let method: String; let route: String; let status: Int }
    private struct State {
        var counts: [Series: Int] = [:]
        var bucketCounts: [Int] = Array(repeating: 0, count: RequestMetrics.buckets.count)
        var durationSum: Double = 0
        var durationCount = 0
    }
    private let state = NIOLockedValueBox(State())
    private let startedAt = Date()

    func observe(method: String, route: String, status: Int, seconds: Double) {
        state.withLockedValue { state in
            state.counts[Series(method: method, route: route, status: status), default: 0] += 1
            for (index, bound) in Self.buckets.enumerated() where seconds <= bound { state.bucketCounts[index] += 1 }
            state.durationSum += seconds
            state.durationCount += 1
        }
    }

    func render() -> String {
        let state = state.withLockedValue { $0 }
        var lines = [
            "# HELP egov_http_requests_total HTTP requests by method, route and status.",
            "# TYPE egov_http_requests_total counter",
        ]
        for (series, count) in state.counts.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            lines.append("egov_http_requests_total{method=\"\(series.method)\",route=\"\(Self.escape(series.route))\",status=\"\(series.status)\"} \(count)")
        }
        lines += ["# HELP egov_http_request_duration_seconds Time to answer a request.", "# TYPE egov_http_request_duration_seconds histogram"]
        for (index, bound) in Self.buckets.enumerated() {
            lines.append("egov_http_request_duration_seconds_bucket{le=\"\(bound)\"} \(state.bucketCounts[index])")
        }
        lines.append("egov_http_request_duration_seconds_bucket{le=\"+Inf\"} \(state.durationCount)")
        lines.append("egov_http_request_duration_seconds_sum \(state.durationSum)")
        lines.append("egov_http_request_duration_seconds_count \(state.durationCount)")
        lines += ["# HELP egov_uptime_seconds Seconds since the process started.", "# TYPE egov_uptime_seconds gauge",
                  "egov_uptime_seconds \(Int(Date().timeIntervalSince(startedAt)))"]
        lines += JobMetrics.shared.render()
        return lines.joined(separator: "\n") + "\n"
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}

/// The job queue's counters (per kind) and gauges. One per process, like the queue's bell:
/// `JobQueue.enqueue` runs with a bare database handle. `enqueued` counts jobs written, a few of
/// which may roll back with their transaction; the gauges are read from the table about once a second.
final class JobMetrics: Sendable {
    static let shared = JobMetrics()

    private struct State {
        var enqueued: [String: Int] = [:]
        var succeeded: [String: Int] = [:]
        /// Attempts that ended in an error, the last one of a dead job included.
        var failed: [String: Int] = [:]
        /// Dead jobs put back to wait by an administrator.
        var retried: [String: Int] = [:]
        var dead: [String: Int] = [:]
        var waiting = 0
        var running = 0
    }
    private let state = NIOLockedValueBox(State())

    func enqueued(_ kind: String) { state.withLockedValue { $0.enqueued[kind, default: 0] += 1 } }
    func succeeded(_ kind: String) { state.withLockedValue { $0.succeeded[kind, default: 0] += 1 } }
    func retried(_ kind: String) { state.withLockedValue { $0.retried[kind, default: 0] += 1 } }
    func failed(_ kind: String, dead: Bool) {
        state.withLockedValue {
            $0.failed[kind, default: 0] += 1
            if dead { $0.dead[kind, default: 0] += 1 }
        }
    }
    func setGauges(waiting: Int, running: Int) { state.withLockedValue { ($0.waiting, $0.running) = (waiting, running) } }

    func render() -> [String] {
        let state = state.withLockedValue { $0 }
        var lines: [String] = []
        for (name, help, values) in [("enqueued", "Jobs written to the queue, by kind.", state.enqueued),
                                     ("succeeded", "Jobs that ran to completion, by kind.", state.succeeded),
                                     ("failed", "Job attempts that ended in an error, by kind.", state.failed),
                                     ("retried", "Dead jobs an administrator put back to wait, by kind.", state.retried),
                                     ("dead", "Jobs that ran out of attempts, by kind.", state.dead)] {
            lines += ["# HELP egov_jobs_\(name)_total \(help)", "# TYPE egov_jobs_\(name)_total counter"]
            lines += values.sorted { $0.key < $1.key }.map { "egov_jobs_\(name)_total{kind=\"\($0.key)\"} \($0.value)" }
        }
        lines += ["# HELP egov_jobs_waiting Jobs waiting to run (due or in backoff).", "# TYPE egov_jobs_waiting gauge", "egov_jobs_waiting \(state.waiting)",
                  "# HELP egov_jobs_running Jobs a worker holds now.", "# TYPE egov_jobs_running gauge", "egov_jobs_running \(state.running)"]
        return lines
    }
}

/// Counts each request (by route pattern, not raw path, so ids do not explode the series)
/// and echoes the request id so a user's report can be matched with the logs.
/// Future-based like the other global middleware: an `AsyncMiddleware` costs a task per request.
struct RequestObservationMiddleware: Middleware {
    let metrics: RequestMetrics

    func respond(to request: Request, chainingTo next: Responder) -> EventLoopFuture<Response> {
        let start = DispatchTime.now().uptimeNanoseconds
        return next.respond(to: request).map { response in
            response.headers.replaceOrAdd(name: "X-Request-Id", value: request.id)
            record(request, status: Int(response.status.code), start: start)
            return response
        }.flatMapErrorThrowing { error in
            record(request, status: 500, start: start)
            throw error
        }
    }

    private func record(_ request: Request, status: Int, start: UInt64) {
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        metrics.observe(method: request.method.rawValue, route: route, status: status,
                        seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}
