import NIOConcurrencyHelpers
import Vapor

/// The public statistics of a period, kept in memory for `EGOV_STATISTICS_CACHE_SECONDS`: the
/// page is public and read far more often than a minute's change to it matters, so readers cost
/// one read of the tallies per period and minute. Readers arriving together on a miss wait for
/// the one read under way instead of each starting their own.
final class StatisticsCache: Sendable {
    /// Past this many periods the cache starts again.
    private let entries = ExpiringCache<String, StatisticsDTO>(capacity: 256)
    private let reading = NIOLockedValueBox<[String: Task<StatisticsDTO, Error>]>([:])

    func statistics(for key: String, now: Date, maxAge: TimeInterval,
                    compute: @escaping @Sendable () async throws -> StatisticsDTO) async throws -> StatisticsDTO {
        guard maxAge > 0 else { return try await compute() }
        if let cached = entries.value(for: key, now: now, maxAge: maxAge) { return cached }
        let reading = reading
        let read = reading.withLockedValue { underWay in
            if let read = underWay[key] { return read }
            // Created and registered under the lock, so its own removal (which takes the lock) comes after.
            let read = Task { [entries] in
                defer { reading.withLockedValue { $0[key] = nil } }
                let statistics = try await compute()
                entries.store(statistics, for: key, now: now)
                return statistics
            }
            underWay[key] = read
            return read
        }
        return try await read.value
    }
}

