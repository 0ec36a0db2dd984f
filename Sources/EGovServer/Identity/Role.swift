/// Roles a civil servant holds in their agency.
enum Role: String, CaseIterable, Codable, Sendable, Comparable {
    case systemAdmin = "system_admin"
    case agencyAdmin = "agency_admin"
    /// Lãnh đạo
    case leader
    /// Trưởng đơn vị: heads a unit (phòng, vụ); assigns its documents and reviews its drafts.
    case unitHead = "unit_head"
    /// Văn thư
    case clerk
    /// Chuyên viên
    case specialist

    static func < (lhs: Role, rhs: Role) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Stored as one comma-separated column: the same on SQLite and PostgreSQL.
    static func decodeList(_ stored: String) -> Set<Role> {
        Set(stored.split(separator: ",").compactMap { Role(rawValue: String($0)) })
    }
    static func encodeList(_ roles: Set<Role>) -> String {
        roles.sorted().map(\.rawValue).joined(separator: ",")
    }
}
