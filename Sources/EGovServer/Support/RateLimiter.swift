import Foundation
import NIOConcurrencyHelpers
import Vapor

/// A sliding-window limit per key (a client address): at most `limit` hits in any `window`.
/// Each key keeps the times of its last `limit` hits; keys idle for a whole window are pruned
/// whenever a table has doubled since its last pruning (and holds more than `pruneAbove`),
/// so memory stays bounded by the clients of the last window at an amortised constant cost.
/// Keys are spread over `shards` tables with a lock each, so a pruning holds up only the few
/// requests of its shard, and the event loops seldom wait for one another.
final class RateLimiter: Sendable {
    enum Decision: Equatable, Sendable {
        case allowed
        /// Refused: the oldest hit in the window leaves it after this many seconds.
        case limited(retryAfter: Int)
    }

    let limit: Int
    let window: TimeInterval
    /// Above this many keys in a shard, a hit there first drops the idle ones.
    let pruneAbove: Int
    private struct Shard {
        var table: [String: [Date]] = [:]
        var pruneAt: Int
    }
    private let shards: [NIOLockedValueBox<Shard>]

    init(limit: Int, window: TimeInterval, pruneAbove: Int = 10_000, shards: Int = 16) {
        self.limit = limit
        self.window = window
        let perShard = max(1, pruneAbove / shards)
        self.pruneAbove = perShard
        self.shards = (0..<max(1, shards)).map { _ in NIOLockedValueBox(Shard(pruneAt: perShard)) }
    }

    /// Counts a hit of `key` at `now` when it fits the window.
    func hit(_ key: String, now: Date) -> Decision {
        let start = now.addingTimeInterval(-window)
        return shards[Int(UInt(bitPattern: key.hashValue) % UInt(shards.count))].withLockedValue { shard in
            if shard.table.count > shard.pruneAt {
                shard.table = shard.table.filter { ($0.value.last ?? .distantPast) > start }
                shard.pruneAt = max(pruneAbove, shard.table.count * 2)
            }
            var times = shard.table[key, default: []].filter { $0 > start }
            guard times.count < limit else {
                shard.table[key] = times
                let wait = times[0].timeIntervalSince(start)
                return .limited(retryAfter: max(1, Int(wait.rounded(.up))))
            }
            times.append(now)
            shard.table[key] = times
            return .allowed
        }
    }

    var trackedKeys: Int { shards.reduce(0) { $0 + $1.withLockedValue { $0.table.count } } }
}

extension Request {
    /// The client's address: the first `X-Forwarded-For` hop behind a trusted proxy
    /// (`EGOV_TRUST_PROXY=true`), the peer's address otherwise.
    var clientAddress: String {
        if application.settings.trustProxy,
           let first = headers.first(name: .xForwardedFor)?.split(separator: ",").first.map({ String($0.trimmingWhitespace) }),
           !first.isEmpty {
            return first
        }
        return remoteAddress?.ipAddress ?? "unknown"
    }
}
