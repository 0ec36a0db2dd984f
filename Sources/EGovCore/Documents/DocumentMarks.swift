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
    /// Secret documents never travel over the public exchange hub: they go on paper.
    public var mayTravelOverHub: Bool { !isClassified }
    /// The outgoing register (sổ) its number is taken from: secret documents have their own.
    public var outgoingRegister: String { isClassified ? "outgoing-secret" : "outgoing" }
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

/// When two registrations are the same incoming document: the same sender, number and notation,
/// and issue date, however they were typed (case, diacritics, spaces).
public enum IncomingDocumentIdentity {
    public static func key(sender: String, numberNotation: String, issuedDate: LocalDate) -> String {
        let compact = { (text: String) in SearchFolding.fold(text).filter { !$0.isWhitespace } }
        return "\(compact(sender))|\(compact(numberNotation))|\(issuedDate.iso)"
    }
}
