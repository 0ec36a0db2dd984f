/// Độ khẩn: how fast a document must be handled. Ordered so that a higher rank comes first
/// in inboxes.
public enum Urgency: String, CaseIterable, Codable, Sendable, Comparable {
    case normal
    /// Khẩn
    case urgent
    /// Thượng khẩn
    case veryUrgent = "very_urgent"
    /// Hỏa tốc
    case flash

    public var rank: Int { Urgency.allCases.firstIndex(of: self)! }
    public static func < (lhs: Urgency, rhs: Urgency) -> Bool { lhs.rank < rhs.rank }
    /// Urgent documents are presented to the leader at once, not on the next working day.
    public var isUrgent: Bool { self != .normal }
}

/// Độ mật. Secret documents have their own outgoing number sequence, are seen only by the
/// people they were directed to, and never travel over the public exchange hub.
public enum Confidentiality: String, CaseIterable, Codable, Sendable, Comparable {
    case normal
    /// Mật
    case confidential
    /// Tối mật
    case secret
    /// Tuyệt mật
    case topSecret = "top_secret"

    public var rank: Int { Confidentiality.allCases.firstIndex(of: self)! }
    public static func < (lhs: Confidentiality, rhs: Confidentiality) -> Bool { lhs.rank < rhs.rank }
    public var isClassified: Bool { self != .normal }
}

/// Where a deadline stands today, as inboxes mark it.
public enum DeadlineStatus: String, Codable, Sendable {
    case overdue
    /// Due today or within the next 2 working days.
    case dueSoon = "due_soon"
    case onTrack = "on_track"

    /// Working days that count as "soon".
    public static let soonWorkingDays = 2

    public static func of(dueDate: LocalDate, today: LocalDate, calendar: WorkingDayCalendar) -> DeadlineStatus {
        if dueDate < today { return .overdue }
        return calendar.workingDaysBetween(today, dueDate) <= soonWorkingDays ? .dueSoon : .onTrack
    }
}
