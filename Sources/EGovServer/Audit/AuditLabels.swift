import EGovCore
import Foundation

/// What the log's codes read as for the person browsing it. The log keeps stable English
/// codes (they are hashed into the chain and read by tools); only the page translates them.
enum AuditLabels {
    /// Actions written with a fixed code.
    static let fixedActions: [String: String] = [
        "sign_in": "Đăng nhập", "sign_in.failed": "Đăng nhập không thành công", "sign_out": "Đăng xuất",
        "user.create": "Tạo người dùng", "user.update": "Sửa người dùng", "user.activate": "Kích hoạt người dùng",
        "user.deactivate": "Khóa người dùng", "user.reset_password": "Đặt lại mật khẩu", "user.change_password": "Đổi mật khẩu",
        "user.totp_enrol_start": "Bắt đầu đăng ký xác thực hai lớp", "user.totp_enable": "Bật xác thực hai lớp",
        "user.totp_disable": "Tắt xác thực hai lớp",
        "agency.create": "Tạo cơ quan", "agency.update": "Sửa cơ quan", "unit.create": "Tạo đơn vị", "unit.update": "Sửa đơn vị",
        "calendar.override.create": "Thêm ngày nghỉ, ngày làm bù", "calendar.override.delete": "Xóa ngày nghỉ, ngày làm bù",
        "job.retry": "Chạy lại tác vụ nền",
        "pki.issue": "Cấp chứng thư số", "attachment.corrupted": "Tệp đính kèm sai mã băm",
        "incoming.register": "Vào sổ văn bản đến", "incoming.attachment.add": "Đính kèm tệp văn bản đến",
        "outgoing.create": "Soạn dự thảo văn bản đi", "outgoing.update": "Sửa dự thảo văn bản đi",
        "outgoing.attachment.add": "Đính kèm tệp văn bản đi", "outgoing.signature": "Ký số tệp văn bản đi",
        "workfile.create": "Lập hồ sơ công việc", "workfile.add_document": "Đưa văn bản vào hồ sơ",
        "workfile.remove_document": "Rút văn bản khỏi hồ sơ",
        "procedure.create": "Thêm thủ tục hành chính", "procedure.update": "Sửa thủ tục hành chính",
        "procedure.import": "Nhập danh mục thủ tục hành chính",
        "dossier.submit": "Nộp hồ sơ", "dossier.rate": "Đánh giá giải quyết hồ sơ", "dossier.apologise": "Gửi phiếu xin lỗi, hẹn lại",
        "applicant.register": "Công dân đăng ký tài khoản", "applicant.confirm": "Công dân xác nhận tài khoản",
        "applicant.confirm_failed": "Công dân nhập sai mã xác nhận", "applicant.confirm_resend": "Gửi lại mã xác nhận",
        "applicant.sign_in": "Công dân đăng nhập", "applicant.sign_in_failed": "Công dân đăng nhập không thành công",
        "applicant.sign_out": "Công dân đăng xuất", "applicant.change_password": "Công dân đổi mật khẩu",
        "applicant.update_profile": "Công dân sửa thông tin", "applicant.contact_confirm": "Công dân xác nhận liên lạc mới",
        "applicant.contact_confirm_failed": "Công dân nhập sai mã xác nhận liên lạc", "applicant.contact_cancel": "Công dân hủy đổi liên lạc",
        "applicant.link_eid": "Liên kết định danh điện tử", "applicant.notify": "Gửi thông báo cho công dân",
        "demo.agency.create": "Dữ liệu mẫu: cơ quan", "demo.unit.create": "Dữ liệu mẫu: đơn vị", "demo.user.create": "Dữ liệu mẫu: người dùng",
        "demo.applicant.create": "Dữ liệu mẫu: công dân", "demo.procedure.create": "Dữ liệu mẫu: thủ tục", "demo.pki.issue": "Dữ liệu mẫu: chứng thư số",
        "request.post": "Gửi biểu mẫu", "request.put": "Cập nhật", "request.patch": "Cập nhật", "request.delete": "Xóa",
    ]

    /// Every action with its label: the fixed ones and one per move of each workflow.
    static let actions: [(code: String, label: String)] = {
        var all = fixedActions.map { (code: $0.key, label: $0.value) }
        all += IncomingDocumentMove.allCases.map { ($0.auditAction, "Văn bản đến: \($0.label)") }
        all += OutgoingDocumentMove.allCases.map { ($0.auditAction, "Văn bản đi: \($0.label)") }
        all += WorkFileMove.allCases.map { ($0.auditAction, "Hồ sơ công việc: \($0.label)") }
        all += DossierMove.allCases.map { ("dossier.\($0.rawValue)", "Hồ sơ: \($0.label)") }
        var seen: Set<String> = []
        return all.filter { seen.insert($0.code).inserted }.sorted { $0.label < $1.label }
    }()

    private static let byCode = Dictionary(actions.map { ($0.code, $0.label) }, uniquingKeysWith: { first, _ in first })
    /// Each label folded once, for matching what a person types.
    private static let foldedLabels = actions.map { (code: $0.code, folded: SearchFolding.fold($0.label)) }

    static func action(_ code: String) -> String { byCode[code] ?? code }

    /// The actions a person's words name: codes starting with what was typed, or labels that
    /// contain it, accents and case ignored ("vào sổ", "vao so", "incoming.register").
    static func actions(matching text: String) -> [String] {
        let folded = SearchFolding.fold(text)
        guard !folded.isEmpty else { return [] }
        return foldedLabels.filter { $0.code.hasPrefix(text) || $0.folded.contains(folded) }.map(\.code)
    }

    static let objectTypes: [String: String] = [
        "user": "Người dùng", "agency": "Cơ quan", "unit": "Đơn vị", "applicant": "Công dân, tổ chức", "attachment": "Tệp đính kèm",
        "calendar_override": "Ngày nghỉ, ngày làm bù", "dossier": "Hồ sơ thủ tục", "incoming_document": "Văn bản đến",
        "outgoing_document": "Văn bản đi", "procedure": "Thủ tục hành chính", "route": "Địa chỉ", "work_file": "Hồ sơ công việc",
    ]

    static func objectType(_ code: String) -> String { objectTypes[code] ?? code }

    /// Details as written by the commands, with the codes a person cannot read put in words:
    /// roles (`[clerk,specialist]`), dossier statuses (`1→2`) and a few fixed notes.
    static func details(_ text: String) -> String {
        var result = text
        if let open = result.firstIndex(of: "["), let close = result[open...].firstIndex(of: "]") {
            let inside = result[result.index(after: open)..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let roles = inside.compactMap(Role.init(rawValue:))
            if !inside.isEmpty, roles.count == inside.count {
                result.replaceSubrange(open...close, with: "(" + roles.map(\.displayName).joined(separator: ", ") + ")")
            }
        }
        if let arrow = result.range(of: "→") {
            let before = result[..<arrow.lowerBound].split(separator: " ").last.flatMap { Int($0) }.flatMap(DossierStatus.init(rawValue:))
            let after = result[arrow.upperBound...].split(separator: " ").first.flatMap { Int($0) }.flatMap(DossierStatus.init(rawValue:))
            if let before, let after {
                let start = result.index(arrow.lowerBound, offsetBy: -String(before.rawValue).count)
                let end = result.index(arrow.upperBound, offsetBy: String(after.rawValue).count)
                result.replaceSubrange(start..<end, with: "\(before.label) → \(after.label)")
            }
        }
        if result.hasSuffix(" password") { result = String(result.dropLast(" password".count)) + " (đổi mật khẩu)" }
        if result == "unknown username" { result = "tên đăng nhập không tồn tại" }
        return result
    }
}
