import Foundation

/// The order of a person's inbox (văn bản chờ xử lý): most urgent first, then the earliest
/// deadline (a document without one comes after every dated one), then the earliest
/// registered; the id breaks ties so that pages never overlap.
public struct InboxPriority: Comparable, Sendable {
    /// The deadline key of a document without a deadline: after every ISO date.
    public static let noDeadline = "9999-12-31"

    public let urgencyRank: Int
    public let deadlineKey: String
    public let registeredAt: Date
    public let tieBreak: String

    public init(urgencyRank: Int, deadlineKey: String, registeredAt: Date, tieBreak: String) {
        self.urgencyRank = urgencyRank
        self.deadlineKey = deadlineKey
        self.registeredAt = registeredAt
        self.tieBreak = tieBreak
    }

    /// The stored sort key of an ISO deadline, or of none.
    public static func deadlineKey(_ deadline: String?) -> String { deadline ?? noDeadline }

    public static func < (a: Self, b: Self) -> Bool {
        if a.urgencyRank != b.urgencyRank { return a.urgencyRank > b.urgencyRank }
        if a.deadlineKey != b.deadlineKey { return a.deadlineKey < b.deadlineKey }
        if a.registeredAt != b.registeredAt { return a.registeredAt < b.registeredAt }
        return a.tieBreak < b.tieBreak
    }
}
