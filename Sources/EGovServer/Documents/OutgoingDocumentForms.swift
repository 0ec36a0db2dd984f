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

extension SigningMark {
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

/// What the leader sends to sign: the authority mark and title lines, the confirmation that
/// they saw what they sign, and their second factor when they have one.
struct SignInput: Content {
    var signingMark: String?
    /// Chức danh người đứng đầu (for KT., TL., TUQ., Q.), e.g. "Chủ tịch".
    var headTitle: String?
    /// Chức vụ người ký, e.g. "Phó Chủ tịch".
    var signerPosition: String?
    var confirm: Bool?
    var totpCode: String?

    enum CodingKeys: String, CodingKey {
        case confirm
        case signingMark = "signing_mark", headTitle = "head_title", signerPosition = "signer_position", totpCode = "totp_code"
    }

    init(signingMark: String? = nil, headTitle: String? = nil, signerPosition: String? = nil, confirm: Bool? = nil, totpCode: String? = nil) {
        self.signingMark = signingMark
        self.headTitle = headTitle
        self.signerPosition = signerPosition
        self.confirm = confirm
        self.totpCode = totpCode
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let text = c.lenientText
        signingMark = text(.signingMark)
        headTitle = text(.headTitle)
        signerPosition = text(.signerPosition)
        totpCode = text(.totpCode)
        // JSON sends a boolean, the confirmation form the text "true".
        if let flag = try? c.decodeIfPresent(Bool.self, forKey: .confirm) {
            confirm = flag
        } else if let word = text(.confirm) {
            confirm = ["true", "1", "on", "yes"].contains(FormText.clean(word).lowercased())
        }
    }

    func validateMark() throws -> SigningMark {
        let text = FormText.clean(signingMark).uppercased()
        guard let mark = SigningMark(rawValue: text) ?? SigningMark(rawValue: text.isEmpty ? "" : text + ".") else {
            throw EGovError.invalid(["signing_mark": "Thẩm quyền ký không hợp lệ (TM., KT., TL., TUQ., Q. hoặc để trống)."])
        }
        return mark
    }

    /// The signature block the signer will sign under: titles typed, or suggested from the
    /// agency's name and the signer's recorded position.
    func block(signer: User, agencyName: String) throws -> (mark: SigningMark, headTitle: String, block: SignatureBlock) {
        let mark = try validateMark()
        let typedHead = FormText.clean(headTitle)
        let head = typedHead.isEmpty ? SignatureBlock.suggestedHeadTitle(forAgencyName: agencyName) : typedHead
        let typedPosition = FormText.clean(signerPosition)
        let position = typedPosition.isEmpty
            ? SignatureBlock.suggestedPosition(recorded: signer.position, mark: mark, headTitle: head, roleNames: Role.allCases.map(\.displayName))
            : typedPosition
        var errors: [String: String] = [:]
        if head.count > 100 { errors["head_title"] = "Chức danh người đứng đầu dài tối đa 100 ký tự." }
        if position.count > 100 { errors["signer_position"] = "Chức vụ người ký dài tối đa 100 ký tự." }
        guard errors.isEmpty else { throw EGovError.invalid(errors) }
        do {
            let block = try SignatureBlock(mark: mark, headTitle: head, collectiveName: SignatureBlock.suggestedCollectiveName(forAgencyName: agencyName),
                                           position: position, fullName: signer.fullName)
            return (mark, head, block)
        } catch SignatureBlock.Problem.headTitleMissing {
            throw EGovError.invalid(["head_title": "Cần nhập chức danh người đứng đầu cơ quan (ví dụ Chủ tịch, Giám đốc)."])
        } catch {
            throw EGovError.invalid(["signer_position": "Cần nhập chức vụ người ký (ví dụ Phó Chủ tịch)."])
        }
    }
}
