import EGovCore
import Vapor

/// What a person sends to create or change an agency (API JSON and the web form alike).
struct AgencyInput: Content {
    var code: String?
    var name: String?
    var address: String?
    var email: String?
    var phone: String?
    var website: String?
    var isActive: Bool?

    enum CodingKeys: String, CodingKey {
        case code, name, address, email, phone, website
        case isActive = "is_active"
    }

    struct Valid: Sendable {
        /// nil only when the form may leave it out (updates keep the code).
        var code: AgencyCode?
        var name: String
        var address: String
        var email: String
        var phone: String
        var website: String
        var isActive: Bool
    }

    func validate(requireCode: Bool = true) throws -> Valid {
        var errors: [String: String] = [:]
        var code: AgencyCode?
        let rawCode = (self.code ?? "").trimmingCharacters(in: .whitespaces)
        if rawCode.isEmpty {
            if requireCode { errors["code"] = "Cần nhập mã định danh cơ quan." }
        } else {
            do { code = try AgencyCode(rawCode) } catch {
                errors["code"] = "Mã định danh \"\(rawCode)\" không đúng dạng 000.00.00.X00 (ví dụ 000.00.00.G22)."
            }
        }
        let name = FormText.clean(self.name)
        if name.isEmpty { errors["name"] = "Cần nhập tên cơ quan." }
        if name.count > 255 { errors["name"] = "Tên cơ quan dài tối đa 255 ký tự." }
        let email = FormText.clean(self.email)
        if !email.isEmpty, !FormText.looksLikeEmail(email) { errors["email"] = "Địa chỉ thư điện tử không hợp lệ." }
        let address = FormText.clean(self.address)
        if address.count > 500 { errors["address"] = "Địa chỉ dài tối đa 500 ký tự." }
        let phone = FormText.clean(self.phone)
        if phone.count > 50 { errors["phone"] = "Số điện thoại dài tối đa 50 ký tự." }
        let website = FormText.clean(self.website)
        if website.count > 255 { errors["website"] = "Địa chỉ trang web dài tối đa 255 ký tự." }
        guard errors.isEmpty else { throw EGovError.invalid(errors) }
        return Valid(code: code, name: name, address: address,
                     email: email, phone: phone, website: website, isActive: isActive ?? true)
    }
}

struct UnitInput: Content {
    var code: String?
    var name: String?
    var isActive: Bool?

    enum CodingKeys: String, CodingKey {
        case code, name
        case isActive = "is_active"
    }

    struct Valid: Sendable {
        var code: String
        var name: String
        var isActive: Bool
    }

    func validate() throws -> Valid {
        var errors: [String: String] = [:]
        let code = FormText.clean(self.code).uppercased()
        if code.isEmpty {
            errors["code"] = "Cần nhập mã đơn vị (ví dụ VP, TCCB)."
        } else if code.count > 20 || !code.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) {
            errors["code"] = "Mã đơn vị chỉ gồm chữ, số, dấu chấm hoặc gạch ngang, tối đa 20 ký tự."
        }
        let name = FormText.clean(self.name)
        if name.isEmpty { errors["name"] = "Cần nhập tên đơn vị." }
        if name.count > 255 { errors["name"] = "Tên đơn vị dài tối đa 255 ký tự." }
        guard errors.isEmpty else { throw EGovError.invalid(errors) }
        return Valid(code: code, name: name, isActive: isActive ?? true)
    }
}
