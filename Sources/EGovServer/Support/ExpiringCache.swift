import NIOConcurrencyHelpers
import Foundation

/// Values kept in memory for a while, shared across event loops. When full it starts again, so
/// odd keys cannot fill the memory.
final class ExpiringCache<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    let capacity: Int
    private let entries = NIOLockedValueBox<[Key: (at: Date, value: Value)]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The value stored for `key` less than `maxAge` before `now`.
    func value(for key: Key, now: Date, maxAge: TimeInterval) -> Value? {
        guard maxAge > 0, let entry = entries.withLockedValue({ $0[key] }) else { return nil }
        let age = now.timeIntervalSince(entry.at)
        return age >= 0 && age < maxAge ? entry.value : nil
    }

    func store(_ value: Value, for key: Key, now: Date) {
        entries.withLockedValue {
            if $0.count >= capacity { $0.removeAll() }
            $0[key] = (now, value)
        }
    }
}
