import Foundation

/// A kind of official document. The table holds the 29 administrative types of
/// Decree 30/2020/NĐ-CP (Annex III abbreviations) plus the legal normative types
/// whose numbers EGov parses (`15/2020/NĐ-CP`, `01/2018/TT-VPCP`).
/// Where a legal normative type shares a name with an administrative one
/// (Nghị quyết, Quyết định) the one entry serves both.
public struct DocumentType: Hashable, Sendable, Codable {
    /// Stable identifier for storage and APIs; never shown to users.
    public let code: String
    /// Vietnamese name with diacritics (NFC).
    public let name: String
    /// The abbreviation used in the notation; nil for Công văn, Thư công and Luật, whose
    /// numbers carry no type abbreviation.
    public let abbreviation: String?
    public init(code: String, name: String, abbreviation: String?) {
        self.code = code
        self.name = name
        self.abbreviation = abbreviation
    }

    /// True for legal normative documents (văn bản quy phạm pháp luật), whose number carries
    /// the year. Computed, so the Codable form stays {code, name, abbreviation}.
    public var isLegalNormative: Bool {
        DocumentType.legalNormative.contains { $0.code == code }
    }

    // Decree 30/2020, art. 7 and Annex III.
    public static let resolution = DocumentType(code: "resolution", name: "Nghị quyết", abbreviation: "NQ")
    public static let decision = DocumentType(code: "decision", name: "Quyết định", abbreviation: "QĐ")
    public static let directive = DocumentType(code: "directive", name: "Chỉ thị", abbreviation: "CT")
    public static let statute = DocumentType(code: "statute", name: "Quy chế", abbreviation: "QC")
    public static let regulation = DocumentType(code: "regulation", name: "Quy định", abbreviation: "QyĐ")
    public static let communique = DocumentType(code: "communique", name: "Thông cáo", abbreviation: "TC")
    public static let notice = DocumentType(code: "notice", name: "Thông báo", abbreviation: "TB")
    public static let guidance = DocumentType(code: "guidance", name: "Hướng dẫn", abbreviation: "HD")
    public static let programme = DocumentType(code: "programme", name: "Chương trình", abbreviation: "CTr")
    public static let plan = DocumentType(code: "plan", name: "Kế hoạch", abbreviation: "KH")
    public static let scheme = DocumentType(code: "scheme", name: "Phương án", abbreviation: "PA")
    public static let proposal = DocumentType(code: "proposal", name: "Đề án", abbreviation: "ĐA")
    public static let project = DocumentType(code: "project", name: "Dự án", abbreviation: "DA")
    public static let report = DocumentType(code: "report", name: "Báo cáo", abbreviation: "BC")
    public static let minutes = DocumentType(code: "minutes", name: "Biên bản", abbreviation: "BB")
    public static let submission = DocumentType(code: "submission", name: "Tờ trình", abbreviation: "TTr")
    public static let contract = DocumentType(code: "contract", name: "Hợp đồng", abbreviation: "HĐ")
    public static let officialLetter = DocumentType(code: "official_letter", name: "Công văn", abbreviation: nil)
    public static let officialTelegram = DocumentType(code: "official_telegram", name: "Công điện", abbreviation: "CĐ")
    public static let memorandumOfUnderstanding = DocumentType(code: "memorandum_of_understanding", name: "Bản ghi nhớ", abbreviation: "BGN")
    public static let agreement = DocumentType(code: "agreement", name: "Bản thỏa thuận", abbreviation: "BTT")
    public static let powerOfAttorney = DocumentType(code: "power_of_attorney", name: "Giấy ủy quyền", abbreviation: "GUQ")
    public static let invitation = DocumentType(code: "invitation", name: "Giấy mời", abbreviation: "GM")
    public static let letterOfIntroduction = DocumentType(code: "letter_of_introduction", name: "Giấy giới thiệu", abbreviation: "GGT")
    public static let leavePermit = DocumentType(code: "leave_permit", name: "Giấy nghỉ phép", abbreviation: "GNP")
    public static let dispatchSlip = DocumentType(code: "dispatch_slip", name: "Phiếu gửi", abbreviation: "PG")
    public static let transferSlip = DocumentType(code: "transfer_slip", name: "Phiếu chuyển", abbreviation: "PC")
    public static let notificationSlip = DocumentType(code: "notification_slip", name: "Phiếu báo", abbreviation: "PB")
    public static let publicLetter = DocumentType(code: "public_letter", name: "Thư công", abbreviation: nil)

    // Legal normative documents (Law on Promulgation of Legal Documents).
    public static let law = DocumentType(code: "law", name: "Luật", abbreviation: nil)
    public static let decree = DocumentType(code: "decree", name: "Nghị định", abbreviation: "NĐ")
    public static let circular = DocumentType(code: "circular", name: "Thông tư", abbreviation: "TT")
    public static let jointCircular = DocumentType(code: "joint_circular", name: "Thông tư liên tịch", abbreviation: "TTLT")

    /// The 29 administrative types of Decree 30/2020 in the decree's order.
    public static let administrative: [DocumentType] = [
        resolution, decision, directive, statute, regulation, communique, notice, guidance,
        programme, plan, scheme, proposal, project, report, minutes, submission, contract,
        officialLetter, officialTelegram, memorandumOfUnderstanding, agreement, powerOfAttorney,
        invitation, letterOfIntroduction, leavePermit, dispatchSlip, transferSlip,
        notificationSlip, publicLetter,
    ]

    public static let legalNormative: [DocumentType] = [law, decree, circular, jointCircular]

    public static let all: [DocumentType] = administrative + legalNormative

    /// Exact, case-sensitive match: QĐ (Quyết định) and QyĐ (Quy định) differ only by case-ish letters.
    public static func byAbbreviation(_ abbr: String) -> DocumentType? {
        let wanted = abbr.precomposedStringWithCanonicalMapping
        return all.first { $0.abbreviation.map { Array($0.unicodeScalars) == Array(wanted.unicodeScalars) } ?? false }
    }

    public static func byCode(_ code: String) -> DocumentType? {
        all.first { $0.code == code }
    }
}
