import Foundation

/// Mức độ hài lòng of an applicant with how their dossier was handled (Decree 61/2018, art. 31).
public enum SatisfactionLevel: Int, CaseIterable, Codable, Sendable, Comparable {
    case dissatisfied = 1
    case satisfied = 2
    case verySatisfied = 3

    public var label: String {
        switch self {
        case .dissatisfied: "Không hài lòng"
        case .satisfied: "Hài lòng"
        case .verySatisfied: "Rất hài lòng"
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What the applicant rates, one level each: the criteria agencies are ranked by.
public enum SatisfactionCriterion: String, CaseIterable, Codable, Sendable {
    /// Total time against the legal time limit.
    case processingTime = "processing_time"
    /// Number of contacts (trips) the applicant needed.
    case contacts
    /// Number of agencies the applicant dealt with.
    case agencies
    /// Staff attitude.
    case attitude
    /// How feedback and complaints were handled.
    case feedbackHandling = "feedback_handling"

    public var label: String {
        switch self {
        case .processingTime: "Thời gian giải quyết so với quy định"
        case .contacts: "Số lần phải liên hệ, đi lại"
        case .agencies: "Số cơ quan phải liên hệ"
        case .attitude: "Thái độ của cán bộ"
        case .feedbackHandling: "Tiếp nhận, xử lý phản ánh, kiến nghị"
        }
    }
}

/// Counts of answers per level, with their share and average (1 to 3).
public struct SatisfactionTally: Equatable, Sendable {
    /// Index 0 is `dissatisfied`, 1 `satisfied`, 2 `verySatisfied`.
    public var counts: [Int]

    public init(counts: [Int] = [0, 0, 0]) {
        self.counts = counts.count == 3 ? counts : [0, 0, 0]
    }

    public var total: Int { counts.reduce(0, +) }

    public func count(_ level: SatisfactionLevel) -> Int { counts[level.rawValue - 1] }

    /// Share of the answers at `level`, 0…1; 0 when there are none.
    public func share(_ level: SatisfactionLevel) -> Double {
        total == 0 ? 0 : Double(count(level)) / Double(total)
    }

    /// The mean level, nil without answers.
    public var average: Double? {
        guard total > 0 else { return nil }
        return Double(zip(counts, 1...3).reduce(0) { $0 + $1.0 * $1.1 }) / Double(total)
    }

    public static func + (lhs: Self, rhs: Self) -> Self {
        SatisfactionTally(counts: zip(lhs.counts, rhs.counts).map { $0 + $1 })
    }
}
