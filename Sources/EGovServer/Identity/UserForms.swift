import Vapor

struct UserInput: Content {
    var username: String?
    var fullName: String?
    var position: String?
    var email: String?
    var agencyID: UUID?
    var unitID: UUID?
    var roles: [String]?
    var password: String?
    var isActive: Bool?

    enum CodingKeys: String, CodingKey {
        case username, position, email, roles, password
        case fullName = "full_name"
        case agencyID = "agency_id"
        case unitID = "unit_id"
        case isActive = "is_active"
    }

    struct Valid: Sendable {
        var username: String
        var fullName: String
        var position: String
        var email: String
        var agencyID: UUID?
        var unitID: UUID
        var roles: Set<Role>
        var password: String?
    }

    /// `creating` requires a username and an initial password.
    func validate(creating: Bool) throws -> Valid {
        var errors: [String: String] = [:]
        let username = FormText.clean(self.username).lowercased()
        if creating {
            if username.isEmpty {
                errors["username"] = "Cần nhập tên đăng nhập."
            } else if username.count < 3 || username.count > 64
                        || !username.allSatisfy({ ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "." || $0 == "_" || $0 == "-" }) {
                errors["username"] = "Tên đăng nhập gồm 3–64 ký tự: chữ không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang."
            }
        }
        let fullName = FormText.clean(self.fullName)
        if fullName.isEmpty { errors["full_name"] = "Cần nhập họ và tên." }
        if fullName.count > 255 { errors["full_name"] = "Họ và tên dài tối đa 255 ký tự." }
        let email = FormText.clean(self.email)
        if !email.isEmpty, !FormText.looksLikeEmail(email) { errors["email"] = "Địa chỉ thư điện tử không hợp lệ." }
        if unitID == nil { errors["unit_id"] = "Cần chọn phòng, ban của cán bộ." }
        var roles: Set<Role> = []
        for raw in Self.roleNames(self.roles) {
            guard let role = Role(rawValue: raw) else { errors["roles"] = "Vai trò \"\(raw)\" không tồn tại."; continue }
            roles.insert(role)
        }
        if roles.isEmpty, errors["roles"] == nil { errors["roles"] = "Cần chọn ít nhất một vai trò." }
        var password: String?
        if creating || !(self.password ?? "").isEmpty {
            if let problem = PasswordPolicy.problem(with: self.password ?? "") { errors["password"] = problem }
            password = self.password
        }
        guard errors.isEmpty, let unitID else { throw EGovError.invalid(errors) }
        return Valid(username: username, fullName: fullName, position: FormText.clean(position), email: email,
                     agencyID: agencyID, unitID: unitID, roles: roles, password: password)
    }

    private static func roleNames(_ raw: [String]?) -> [String] {
        (raw ?? []).flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }.filter { !$0.isEmpty }
    }
}

enum PasswordPolicy {
    static let minimumLength = 8
    /// nil when acceptable; otherwise what to fix, in words a person understands.
    static func problem(with password: String) -> String? {
        if password.count < minimumLength { return "Mật khẩu cần ít nhất \(minimumLength) ký tự." }
        if password.count > 128 { return "Mật khẩu dài tối đa 128 ký tự." }
        if !password.contains(where: \.isLetter) || !password.contains(where: \.isNumber) {
            return "Mật khẩu cần có cả chữ và số."
        }
        return nil
    }
}
