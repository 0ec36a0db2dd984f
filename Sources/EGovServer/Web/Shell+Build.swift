import EGovCore
import Vapor

extension Role {
    /// What the person reads.
    var displayName: String {
        switch self {
        case .systemAdmin: "Quản trị hệ thống"
        case .agencyAdmin: "Quản trị cơ quan"
        case .leader: "Lãnh đạo"
        case .unitHead: "Trưởng đơn vị"
        case .clerk: "Văn thư"
        case .specialist: "Chuyên viên"
        }
    }
}

/// The capabilities of EGov, in the order the navigation shows them. `href == nil` means not built yet.
enum CapabilityCatalog {
    static let all: [(name: String, summary: String, href: String?)] = [
        ("Văn bản đến", "Tiếp nhận, vào sổ, trình, chỉ đạo và giao xử lý văn bản đến.", "/documents/incoming"),
        ("Văn bản đi", "Soạn thảo, trình duyệt, ký số, cấp số và phát hành văn bản.", "/documents/outgoing"),
        ("Hồ sơ công việc", "Danh mục hồ sơ, lập và đóng hồ sơ, nộp lưu.", "/work-files"),
        ("Liên thông văn bản", "Gửi nhận gói tin edXML qua trục liên thông.", nil),
        ("Phòng họp không giấy", "Cuộc họp, chương trình, tài liệu và phiếu lấy ý kiến.", nil),
        ("Dịch vụ công", "Thủ tục hành chính, hồ sơ trực tuyến theo cơ chế một cửa.", "/one-stop/dossiers"),
        ("Lấy ý kiến dự thảo", "Đăng dự thảo, nhận và trả lời góp ý.", nil),
        ("Báo cáo", "Chế độ báo cáo theo Nghị định 09/2019.", nil),
        ("Điều hành", "Bảng điều hành với biểu đồ chỉ tiêu.", nil),
        ("Danh bạ cơ quan", "Cơ quan, đơn vị theo mã định danh.", "/admin/agencies"),
    ]
}

enum ShellBuilder {
    static func build(_ req: Request, title: String) -> Shell {
        let actor = req.auth.get(Actor.self)
        let path = req.url.path
        func item(_ label: String, _ href: String?) -> NavItem {
            NavItem(label: label, href: href ?? "#", available: href != nil,
                    active: href.map { $0 == "/" ? path == "/" : path.hasPrefix($0) } ?? false)
        }
        var nav: [NavItem] = []
        var adminNav: [NavItem] = []
        if let actor {
            nav.append(item("Trang chủ", "/"))
            nav.append(item("Văn bản chờ xử lý", "/inbox"))
            nav.append(item("Tìm kiếm văn bản", "/documents/search"))
            nav += CapabilityCatalog.all.compactMap { entry in entry.href.map { item(entry.name, $0) } }
            adminNav.append(item("Thủ tục hành chính", "/admin/procedures"))
            if actor.isAdmin {
                adminNav.append(item("Người dùng", "/admin/users"))
                adminNav.append(item("Nhật ký hệ thống", "/admin/audit"))
                if actor.isSystemAdmin { adminNav.append(item("Tác vụ nền", "/admin/jobs")) }
            }
            adminNav.append(item("Ngày nghỉ lễ", "/admin/holidays"))
        }
        let user = actor.map {
            ShellUser(fullName: $0.fullName, username: $0.username, agencyName: $0.agencyName, agencyCode: $0.agencyCode,
                      unitName: $0.unitName, roleNames: $0.roles.sorted().map(\.displayName))
        }
        // The catalogue and the holidays are read-only for everyone but admins: no "Quản trị" heading for them.
        return Shell(title: title, user: user, csrf: WebSession.csrfToken(on: req), nav: nav, adminNav: adminNav,
                     adminNavTitle: actor?.isAdmin == true ? "Quản trị" : "Tra cứu", flash: WebSession.takeFlash(on: req))
    }
}

extension Request {
    func shell(_ title: String) -> Shell { ShellBuilder.build(self, title: title) }

    /// Redirect after a successful form POST (303, so a reload does not resend it).
    func redirectAfterPost(to location: String, flash: String? = nil) -> Response {
        if let flash { WebSession.setFlash(flash, on: self) }
        return redirect(to: location, redirectType: .normal)
    }
}

extension Date {
    /// "dd/MM/yyyy HH:mm:ss" in Vietnam time (UTC+7).
    var vietnamTimestamp: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: LocalDate.vietnamUTCOffsetSeconds)
        formatter.dateFormat = "dd/MM/yyyy HH:mm:ss"
        return formatter.string(from: self)
    }
}
