import Vapor

/// The public statistics of a period, kept in memory for `EGOV_STATISTICS_CACHE_SECONDS`: the
/// page is public and read far more often than a minute's change to it matters, so readers cost
/// one read of the tallies per period and minute (readers arriving together on a miss each read).
final class StatisticsCache: Sendable {
    /// Past this many periods the cache starts again.
    private let entries = ExpiringCache<String, StatisticsDTO>(capacity: 256)

    func statistics(for key: String, now: Date, maxAge: TimeInterval,
                    compute: () async throws -> StatisticsDTO) async throws -> StatisticsDTO {
        if let cached = entries.value(for: key, now: now, maxAge: maxAge) { return cached }
        let statistics = try await compute()
        if maxAge > 0 { entries.store(statistics, for: key, now: now) }
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
