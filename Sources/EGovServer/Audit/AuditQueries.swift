import EGovCore
import Fluent
import Vapor

enum AuditPermissions {
    /// System admins read the whole log; agency admins their agency's entries.
    static func canBrowse(_ actor: Actor) -> Bool { actor.isAdmin }
    static func canVerify(_ actor: Actor) -> Bool { actor.isSystemAdmin }
}

/// Filters for browsing the log (the page and the API take the same ones).
struct AuditFilter: Content {
    var action: String?
    var actor: String?
    var agencyCode: String?
    var objectType: String?
    var objectID: String?
    var from: String?
    var to: String?
    /// As sent; read through `pageNumber()`, which bounds it.
    var page: String?

    enum CodingKeys: String, CodingKey {
        case action, actor, from, to, page
        case agencyCode = "agency_code", objectType = "object_type", objectID = "object_id"
    }

    static let pageSize = 50

    func pageNumber() throws -> Int { try PageNumber.parse(page) }

    func entries(for viewer: Actor, on db: Database) async throws -> [AuditEntry] {
        guard AuditPermissions.canBrowse(viewer) else { throw EGovError.forbidden("Chỉ quản trị được xem nhật ký hệ thống.") }
        let query = AuditEntry.query(on: db)
        if !viewer.isSystemAdmin { query.filter(\.$agencyCode == viewer.agencyCode) }
        if let action = Self.nonEmpty(action) {
            // A code (or its start) as before, or the Vietnamese words of the page ("vào sổ").
            let named = AuditLabels.actions(matching: action)
            query.group(.or) { any in
                any.filter(\.$action, .custom("LIKE"), action + "%")
                if !named.isEmpty { any.filter(\.$action ~~ named) }
            }
        }
        if let actor = Self.nonEmpty(actor) { query.filter(\.$actorName == actor.lowercased()) }
        if let code = Self.nonEmpty(agencyCode) { query.filter(\.$agencyCode == code.uppercased()) }
        if let type = Self.nonEmpty(objectType) { query.filter(\.$objectType == type) }
        if let id = Self.nonEmpty(objectID) { query.filter(\.$objectID == id) }
        if let from = Self.nonEmpty(from) {
            guard let day = LocalDate(iso: from) else { throw EGovError.invalid(["from": "Ngày bắt đầu không hợp lệ (YYYY-MM-DD)."]) }
            query.filter(\.$occurredAtMillis >= Self.startOfDayMillis(day))
        }
        if let to = Self.nonEmpty(to) {
            guard let day = LocalDate(iso: to) else { throw EGovError.invalid(["to": "Ngày kết thúc không hợp lệ (YYYY-MM-DD)."]) }
            query.filter(\.$occurredAtMillis < Self.startOfDayMillis(day.adding(days: 1)))
        }
        let page = try pageNumber()
        return try await query.sort(\.$id, .descending).range(((page - 1) * Self.pageSize)..<(page * Self.pageSize + 1)).all()
    }

    /// Midnight in Vietnam as milliseconds since 1970 (the log stores milliseconds).
    static func startOfDayMillis(_ day: LocalDate) -> Int64 {
        Int64(day.startInVietnam.timeIntervalSince1970) * 1000
    }

    static func nonEmpty(_ text: String?) -> String? {
        let trimmed = FormText.clean(text)
        return trimmed.isEmpty ? nil : trimmed
    }
}

extension AuditChainProblem {
    /// What the admin reads.
    var explanation: String {
        switch self {
        case .wrongPreviousHash(let sequence): "Mục #\(sequence) không nối đúng với mục trước (mục trước đã bị sửa hoặc xóa)."
        case .gap(let expected, let found): "Thiếu mục #\(expected) (mục tiếp theo là #\(found)): đã có mục bị xóa."
        case .hashMismatch(let sequence, _): "Nội dung mục #\(sequence) đã bị thay đổi."
        case .headMismatch(let expected, let stored): "Cuối nhật ký không khớp (ghi nhận #\(stored), thực tế #\(expected)): các mục cuối đã bị xóa hoặc sửa."
        }
    }

    var firstBadSequence: Int64 {
        switch self {
        case .wrongPreviousHash(let sequence), .hashMismatch(let sequence, _): sequence
        case .gap(let expected, _): expected
        case .headMismatch(let expected, _): expected
        }
    }
}

extension AuditChainStatus {
    /// The chain's name as the admin reads it.
    var label: String {
        switch chain {
        case AuditChain.Key.legacy: "chuỗi cũ (trước khi tách theo cơ quan)"
        case AuditChain.Key.system: "hệ thống"
        case AuditChain.Key.applicants: "tổ chức, công dân"
        default: "cơ quan \(chain)"
        }
    }

    /// One sentence for the page.
    var summary: String {
        if let problem { return "Chuỗi \(label): KHÔNG toàn vẹn. \(problem.explanation)" }
        return "Chuỗi \(label): toàn vẹn, \(entries) mục."
    }
}
