import EGovCore
import Vapor

/// Name, e-mail, phone and identity number: what registration and the profile both check.
struct ApplicantContact: Sendable, Equatable {
    var fullName: String
    var email: String?
    var phone: String?
    var identityNumber: String?

    /// Adds a message per bad field to `errors`; the normalised values otherwise.
    static func validate(kind: Applicant.Kind, fullName rawName: String?, email rawEmail: String?, phone rawPhone: String?,
                         identityNumber rawIdentity: String?, errors: inout [String: String]) -> ApplicantContact {
        let fullName = FormText.clean(rawName)
        if fullName.isEmpty {
            errors["full_name"] = kind == .business ? "Cần nhập tên doanh nghiệp." : "Cần nhập họ và tên."
        } else if fullName.count > 255 {
            errors["full_name"] = "Họ và tên dài tối đa 255 ký tự."
        }
        let email = FormText.clean(rawEmail).lowercased()
        if !email.isEmpty, !FormText.looksLikeEmail(email) || email.count > 255 {
            errors["email"] = "Địa chỉ thư điện tử không hợp lệ."
        }
        let phoneText = FormText.clean(rawPhone)
        let phone = VietnamesePhone.normalise(phoneText)
        if !phoneText.isEmpty, phone == nil {
            errors["phone"] = "Số điện thoại không hợp lệ: cần 10 chữ số, ví dụ 0912345678 hoặc +84912345678."
        }
        if email.isEmpty, phoneText.isEmpty {
            errors["email"] = "Cần nhập thư điện tử hoặc số điện thoại (ít nhất một trong hai)."
        }
        let identityText = FormText.clean(rawIdentity)
        let identity = ApplicantIdentityNumber.normalise(identityText, for: kind == .business ? .business : .citizen)
        if !identityText.isEmpty, identity == nil {
            errors["identity_number"] = kind == .business
                ? "Mã số thuế gồm 10 hoặc 13 chữ số."
                : "Số căn cước công dân (CCCD) gồm đúng 12 chữ số."
        }
        return ApplicantContact(fullName: fullName, email: email.isEmpty ? nil : email, phone: phone,
                                identityNumber: identityText.isEmpty ? nil : identity)
    }

    /// An e-mail or a phone typed in a sign-in or confirmation form, as stored.
    static func normaliseLogin(_ raw: String?) -> String {
        let text = FormText.clean(raw)
        if ContactChannel(of: text) == .email { return text.lowercased() }
        return VietnamesePhone.normalise(text) ?? text
    }
}

/// `POST /portal/register` and `/api/v1/portal/register`.
struct RegistrationInput: Content {
    var kind: String?
    var fullName: String?
    var email: String?
    var phone: String?
    var identityNumber: String?
    var password: String?
    var passwordConfirm: String?

    enum CodingKeys: String, CodingKey {
        case kind, email, phone, password
        case fullName = "full_name", identityNumber = "identity_number", passwordConfirm = "password_confirm"
    }

    struct Valid: Sendable {
        let kind: Applicant.Kind
        let contact: ApplicantContact
        let password: String
    }

    func validate() throws -> Valid {
        var errors: [String: String] = [:]
        let kind = Applicant.Kind(rawValue: FormText.clean(self.kind).isEmpty ? "citizen" : FormText.clean(self.kind))
        if kind == nil { errors["kind"] = "Loại tài khoản phải là công dân hoặc doanh nghiệp." }
        let contact = ApplicantContact.validate(kind: kind ?? .citizen, fullName: fullName, email: email, phone: phone,
                                                identityNumber: identityNumber, errors: &errors)
        if let problem = PasswordPolicy.problem(with: password ?? "") { errors["password"] = problem }
        if let confirm = passwordConfirm, confirm != password { errors["password_confirm"] = "Mật khẩu nhập lại không khớp." }
        guard errors.isEmpty, let kind else { throw EGovError.invalid(errors) }
        return Valid(kind: kind, contact: contact, password: password ?? "")
    }
}

/// `POST /portal/account` and `PATCH /api/v1/portal/me`; fields left out keep their value.
struct ProfileInput: Content {
    var fullName: String?
    var email: String?
    var phone: String?
    var identityNumber: String?
    var address: String?

    enum CodingKeys: String, CodingKey {
        case email, phone, address
        case fullName = "full_name", identityNumber = "identity_number"
    }

    struct Valid: Sendable {
        let contact: ApplicantContact
        let address: String?
    }

    func validate(kind: Applicant.Kind, current: Applicant) throws -> Valid {
        var errors: [String: String] = [:]
        let contact = ApplicantContact.validate(kind: kind, fullName: fullName ?? current.fullName, email: email ?? current.email,
                                                phone: phone ?? current.phone, identityNumber: identityNumber ?? current.identityNumber,
                                                errors: &errors)
        let address = FormText.clean(address ?? current.address)
        if address.count > 500 { errors["address"] = "Địa chỉ dài tối đa 500 ký tự." }
        guard errors.isEmpty else { throw EGovError.invalid(errors) }
        return Valid(contact: contact, address: address.isEmpty ? nil : address)
    }
}
