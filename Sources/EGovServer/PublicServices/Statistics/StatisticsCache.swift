import NIOConcurrencyHelpers
import Vapor

/// The public statistics of a period, kept in memory for `EGOV_STATISTICS_CACHE_SECONDS`: the
/// page is public and read far more often than a minute's change to it matters, so a burst of
/// readers costs one read of the tallies per period and minute.
final class StatisticsCache: Sendable {
    /// Past this many periods the cache starts again, so odd periods cannot fill the memory.
    let capacity: Int
    private let entries = NIOLockedValueBox<[String: (at: Date, statistics: StatisticsDTO)]>([:])

    init(capacity: Int = 256) {
        self.capacity = capacity
    }

    func statistics(for key: String, now: Date, maxAge: TimeInterval,
                    compute: () async throws -> StatisticsDTO) async throws -> StatisticsDTO {
        if maxAge > 0, let entry = entries.withLockedValue({ $0[key] }), now.timeIntervalSince(entry.at) >= 0,
           now.timeIntervalSince(entry.at) < maxAge {
            return entry.statistics
        }
        let statistics = try await compute()
        guard maxAge > 0 else { return statistics }
        entries.withLockedValue {
            if $0.count >= capacity { $0.removeAll() }
            $0[key] = (now, statistics)
        }
        return statistics
    }
}

extension Application {
    private struct StatisticsCacheKey: StorageKey { typealias Value = StatisticsCache }

    /// Set up by `configure`.
    var statisticsCache: StatisticsCache {
        get {
            guard let cache = storage[StatisticsCacheKey.self] else { fatalError("configure(_:) sets the statistics cache") }
            return cache
        }
        set { storage[StatisticsCacheKey.self] = newValue }
    }
}
