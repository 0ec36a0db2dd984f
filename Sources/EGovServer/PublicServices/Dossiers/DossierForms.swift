import EGovCore
import Vapor

/// The applicant's details an officer types at the counter (or copies from a postal dossier).
struct CounterApplicantInput: Content {
    var channel: String?
    var applicantKind: String?
    var applicantName: String?
    var applicantIdentity: String?
    var applicantPhone: String?
    var applicantEmail: String?
    var applicantAddress: String?

    enum CodingKeys: String, CodingKey {
        case channel
        case applicantKind = "applicant_kind", applicantName = "applicant_name", applicantIdentity = "applicant_identity"
        case applicantPhone = "applicant_phone", applicantEmail = "applicant_email", applicantAddress = "applicant_address"
    }

    /// Field errors are returned, not thrown, so they join the form's own in one answer.
    func validate() -> (channel: SubmissionChannel, details: DossierApplicantDetails, errors: [String: String]) {
        var errors: [String: String] = [:]
        let channel = SubmissionChannel(rawValue: FormText.clean(self.channel)) ?? .inPerson
        if channel == .online { errors["channel"] = "Hồ sơ nhập tại quầy chỉ có cách thức trực tiếp hoặc bưu chính." }
        let kind = Applicant.Kind(rawValue: FormText.clean(applicantKind)) ?? .citizen
        let name = FormText.clean(applicantName)
        if name.isEmpty { errors["applicant_name"] = "Cần nhập họ tên người nộp (tên tổ chức)." }
        if name.count > 255 { errors["applicant_name"] = "Họ tên dài tối đa 255 ký tự." }
        var identity = ""
        let rawIdentity = FormText.clean(applicantIdentity)
        if !rawIdentity.isEmpty {
            if let normalised = ApplicantIdentityNumber.normalise(rawIdentity, for: kind == .citizen ? .citizen : .business) {
                identity = normalised
            } else {
                errors["applicant_identity"] = kind == .citizen ? "Số CCCD gồm 12 chữ số." : "Mã số thuế gồm 10 hoặc 13 chữ số."
            }
        }
        var phone = ""
        let rawPhone = FormText.clean(applicantPhone)
        if !rawPhone.isEmpty {
            if let normalised = VietnamesePhone.normalise(rawPhone) { phone = normalised } else {
                errors["applicant_phone"] = "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0."
            }
        }
        if identity.isEmpty, phone.isEmpty, errors["applicant_identity"] == nil, errors["applicant_phone"] == nil {
            errors["applicant_phone"] = "Cần số điện thoại hoặc số giấy tờ tùy thân để người nộp tra cứu hồ sơ."
        }
        let email = FormText.clean(applicantEmail).lowercased()
        if !email.isEmpty, !FormText.looksLikeEmail(email) { errors["applicant_email"] = "Thư điện tử không đúng dạng." }
        let address = FormText.clean(applicantAddress)
        if address.count > 500 { errors["applicant_address"] = "Địa chỉ dài tối đa 500 ký tự." }
        return (channel, DossierApplicantDetails(kind: kind, name: name, identity: identity, phone: phone, email: email, address: address), errors)
    }
}

/// Reasons, notes, amounts and dates of the moves (JSON or form).
struct DossierMoveInput: Content {
    var reason: String?
    var note: String?
    var amount: String?
    var newDate: String?

    enum CodingKeys: String, CodingKey { case reason, note, amount, newDate = "new_date" }

    init() {}

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        reason = c.lenientText(.reason)
        note = c.lenientText(.note)
        amount = c.lenientText(.amount)
        newDate = c.lenientText(.newDate)
    }

    var amountValue: Int {
        Int(FormText.clean(amount).replacingOccurrences(of: ".", with: "").replacingOccurrences(of: " ", with: "")) ?? 0
    }
}

extension Request {
    /// A move's input: a JSON body, a form, or nothing at all.
    func dossierMoveInput() -> DossierMoveInput {
        (try? content.decode(DossierMoveInput.self)) ?? DossierMoveInput()
    }

    /// Files sent under `field` (one or several), stored after their type and size are checked.
    func storedFiles(_ field: String, slot: String, label: String) async throws -> [(slot: String, label: String, file: StoredAttachment)] {
        try await storeUploads(uploadedFiles(field), errorField: field).map { (slot, label, $0) }
    }

    /// The non-empty files sent under `field` (one, or several as `field[]`).
    func uploadedFiles(_ field: String) -> [File] {
        ((try? content.get([File].self, at: field)) ?? (try? content.get(File.self, at: field)).map { [$0] } ?? [])
            .filter { $0.data.readableBytes > 0 }
    }

    /// Stores files checked by content; a refused file is an error of `errorField` on the form.
    func storeUploads(_ files: [File], errorField: String) async throws -> [StoredAttachment] {
        do { return try await storeUploads(files) } catch let error as EGovError {
            throw EGovError.invalid([errorField: error.fieldErrors.values.first ?? error.message])
        }
    }
}
