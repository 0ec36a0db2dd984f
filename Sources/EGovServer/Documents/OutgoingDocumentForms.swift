import EGovCore
import Vapor

/// What a drafter sends to create or change a draft (API JSON and the web form alike).
struct OutgoingDocumentInput: Content {
    var typeCode: String?
    var subject: String?
    var summary: String?
    var urgency: String?
    var confidentiality: String?
    var pageCount: String?
    var issuerNotation: String?
    var recipientUnitIDs: [String]?
    var recipientUserIDs: [String]?
    var recipientAgencyCodes: [String]?
    /// Other recipients, one per line (e.g. "Như trên", "Lưu: VT").
    var externalRecipients: String?

    enum CodingKeys: String, CodingKey {
        case subject, summary, urgency, confidentiality
        case typeCode = "type_code", pageCount = "page_count", issuerNotation = "issuer_notation"
        case recipientUnitIDs = "recipient_unit_ids", recipientUserIDs = "recipient_user_ids"
        case recipientAgencyCodes = "recipient_agency_codes", externalRecipients = "external_recipients"
    }

    init() {}

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let (text, list) = (c.lenientText, c.lenientList)
        typeCode = text(.typeCode)
        subject = text(.subject)
        summary = text(.summary)
        urgency = text(.urgency)
        confidentiality = text(.confidentiality)
        pageCount = text(.pageCount)
        issuerNotation = text(.issuerNotation)
        recipientUnitIDs = list(.recipientUnitIDs)
        recipientUserIDs = list(.recipientUserIDs)
        recipientAgencyCodes = list(.recipientAgencyCodes)
        externalRecipients = text(.externalRecipients)
    }

    struct Valid: Sendable {
        var type: DocumentType
        var subject: String
        var summary: String
        var urgency: Urgency
        var confidentiality: Confidentiality
        var pageCount: Int
        var issuerNotation: String?
        var recipientUnitIDs: [UUID]
        var recipientUserIDs: [UUID]
        var recipientAgencyCodes: [String]
        var externalRecipients: [String]
    }

    func validate() throws -> Valid {
        var errors: [String: String] = [:]
        let typeText = FormText.clean(typeCode)
        let type = typeText.isEmpty ? DocumentType.officialLetter : DocumentType.byCode(typeText)
        if type == nil { errors["type_code"] = "Loại văn bản không hợp lệ." }
        let subject = FormText.clean(self.subject)
        if subject.isEmpty { errors["subject"] = "Cần nhập trích yếu nội dung." }
        if subject.count > IncomingDocumentInput.subjectLimit {
            errors["subject"] = "Trích yếu dài tối đa \(IncomingDocumentInput.subjectLimit) ký tự (đang có \(subject.count))."
        }
        let summary = FormText.clean(self.summary)
        if summary.count > 4000 { errors["summary"] = "Ghi chú nội dung dài tối đa 4000 ký tự." }
        let urgencyText = FormText.clean(self.urgency)
        let urgency = urgencyText.isEmpty ? Urgency.normal : Urgency(rawValue: urgencyText)
        if urgency == nil { errors["urgency"] = "Độ khẩn không hợp lệ." }
        let confidentialityText = FormText.clean(self.confidentiality)
        let confidentiality = confidentialityText.isEmpty ? Confidentiality.normal : Confidentiality(rawValue: confidentialityText)
        if confidentiality == nil { errors["confidentiality"] = "Độ mật không hợp lệ." }
        let pageText = FormText.clean(self.pageCount)
        let pageCount = pageText.isEmpty ? 1 : Int(pageText)
        if pageCount == nil || !(1...100_000).contains(pageCount!) { errors["page_count"] = "Số trang phải là số nguyên từ 1." }
        let issuer = FormText.clean(issuerNotation).uppercased()
        if !issuer.isEmpty, issuer.count > 20 || issuer.contains(where: { $0 == "/" || $0.isWhitespace }) {
            errors["issuer_notation"] = "Chữ viết tắt cơ quan ban hành không hợp lệ (ví dụ UBND, SNV)."
        }
        func ids(_ raw: [String]?, field: String) -> [UUID] {
            var result: [UUID] = []
            for text in raw ?? [] where !FormText.clean(text).isEmpty {
                guard let id = UUID(uuidString: FormText.clean(text)) else { errors[field] = "Nơi nhận không hợp lệ."; continue }
                if !result.contains(id) { result.append(id) }
            }
            return result
        }
        let units = ids(recipientUnitIDs, field: "recipient_unit_ids")
        let users = ids(recipientUserIDs, field: "recipient_user_ids")
        var codes: [String] = []
        for code in recipientAgencyCodes ?? [] where !FormText.clean(code).isEmpty && !codes.contains(FormText.clean(code)) {
            codes.append(FormText.clean(code))
        }
        let external = (externalRecipients ?? "").split(whereSeparator: \.isNewline).map { FormText.clean(String($0)) }.filter { !$0.isEmpty }
        if external.contains(where: { $0.count > 255 }) { errors["external_recipients"] = "Mỗi nơi nhận dài tối đa 255 ký tự." }
        guard errors.isEmpty, let type, let urgency, let confidentiality, let pageCount else { throw EGovError.invalid(errors) }
        return Valid(type: type, subject: subject, summary: summary, urgency: urgency, confidentiality: confidentiality, pageCount: pageCount,
                     issuerNotation: issuer.isEmpty ? nil : issuer, recipientUnitIDs: units, recipientUserIDs: users,
                     recipientAgencyCodes: codes, externalRecipients: external)
    }
}

/// Thẩm quyền ký: how the signer signs on behalf of the agency or its head.
enum SigningMark: String, CaseIterable, Sendable {
    case none = ""
    /// Thay mặt (a collective body)
    case onBehalf = "TM."
    /// Ký thay (a deputy for the head)
    case deputy = "KT."
    /// Thừa lệnh
    case byOrder = "TL."
    /// Thừa ủy quyền
    case byAuthorisation = "TUQ."
    /// Quyền (acting)
    case acting = "Q."

    var label: String {
        switch self {
        case .none: "Ký trực tiếp"
        case .onBehalf: "TM. (thay mặt)"
        case .deputy: "KT. (ký thay)"
        case .byOrder: "TL. (thừa lệnh)"
        case .byAuthorisation: "TUQ. (thừa ủy quyền)"
        case .acting: "Q. (quyền)"
        }
    }
}

struct SignInput: Content {
    var signingMark: String?
    enum CodingKeys: String, CodingKey { case signingMark = "signing_mark" }

    func validate() throws -> SigningMark {
        let text = FormText.clean(signingMark).uppercased()
        guard let mark = SigningMark(rawValue: text) ?? SigningMark(rawValue: text.isEmpty ? "" : text + ".") else {
            throw EGovError.invalid(["signing_mark": "Thẩm quyền ký không hợp lệ (TM., KT., TL., TUQ., Q. hoặc để trống)."])
        }
        return mark
    }
}
