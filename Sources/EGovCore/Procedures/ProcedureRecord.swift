import Foundation

/// How much of a procedure can be done online (mức độ cung cấp dịch vụ công trực tuyến).
public enum OnlineLevel: String, CaseIterable, Codable, Sendable {
    /// Toàn trình: submission, payment and result all online.
    case full
    /// Một phần: some step (usually the result or the originals) needs a visit.
    case partial
    /// Information only: the dossier is handed in at the counter or by post.
    case none

    public var acceptsOnlineDossiers: Bool { self != .none }
}

/// The level of government that carries the procedure out (cấp thực hiện).
public enum ImplementingLevel: String, CaseIterable, Codable, Sendable {
    case central, province, district, commune
}

/// How a dossier reaches the one-stop office (cách thức thực hiện).
public enum SubmissionChannel: String, CaseIterable, Codable, Sendable {
    case inPerson = "in_person"
    case online
    case post
}

/// Whether the procedure may be used (tình trạng hiệu lực).
public enum ProcedureStatus: String, CaseIterable, Codable, Sendable {
    case active, suspended, abolished
}

/// One paper of the dossier's composition (thành phần hồ sơ) with how many originals and copies.
public struct RequiredDocument: Codable, Equatable, Sendable {
    public var name: String
    public var originals: Int
    public var copies: Int
    public var mandatory: Bool

    public init(name: String, originals: Int = 1, copies: Int = 0, mandatory: Bool = true) {
        self.name = name
        self.originals = originals
        self.copies = copies
        self.mandatory = mandatory
    }

    /// "1 bản chính, 1 bản sao", leaving out a kind asked for none.
    public var countsLabel: String {
        [(originals, "bản chính"), (copies, "bản sao")].filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
    }

    /// "name | originals | copies | yes/no": one line of a text field or of a CSV cell.
    public var line: String {
        "\(name) | \(originals) | \(copies) | \(mandatory ? "yes" : "no")"
    }

    /// Reads `line`'s shape; the counts and the flag may be left out (1 original, mandatory).
    public init?(line: String) {
        let parts = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let name = parts.first, !name.isEmpty, parts.count <= 4 else { return nil }
        func count(_ index: Int, default value: Int) -> Int? {
            guard parts.count > index, !parts[index].isEmpty else { return value }
            guard let number = Int(parts[index]), (0...99).contains(number) else { return nil }
            return number
        }
        guard let originals = count(1, default: 1), let copies = count(2, default: 0) else { return nil }
        var mandatory = true
        if parts.count > 3, !parts[3].isEmpty {
            switch SearchFolding.fold(parts[3]) {
            case "yes", "co", "true", "1", "bat buoc": mandatory = true
            case "no", "khong", "false", "0", "khong bat buoc": mandatory = false
            default: return nil
            }
        }
        self.init(name: name, originals: originals, copies: copies, mandatory: mandatory)
    }
}

/// The national code of a procedure (mã thủ tục), e.g. `1.001776`: a digit group, a dot, six digits.
public enum ProcedureCode {
    public static func isValid(_ code: String) -> Bool {
        let parts = code.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let head = parts.first, let tail = parts.last else { return false }
        return (1...3).contains(head.count) && tail.count == 6 && (head + tail).allSatisfy { $0.isASCII && $0.isNumber }
    }
}

/// A procedure of the catalogue as plain data: what is imported, exported and validated.
public struct ProcedureRecord: Codable, Equatable, Sendable {
    public var code: String
    public var name: String
    /// Lĩnh vực, e.g. "Hộ tịch".
    public var field: String
    /// The implementing agency's identifier code; on import it must be the importing agency.
    public var agencyCode: String?
    public var implementingLevel: ImplementingLevel
    public var onlineLevel: OnlineLevel
    public var channels: [SubmissionChannel]
    public var steps: [String]
    public var requiredDocuments: [RequiredDocument]
    /// Thời hạn giải quyết in working days; 0 means the same day (15:00 rule).
    public var timeLimitDays: Int
    /// Phí, lệ phí as the law words them.
    public var fees: String
    /// The amount owed by default, in đồng (0 when free).
    public var feeAmount: Int
    public var conditions: String
    public var result: String
    public var legalBasis: String
    public var effectiveFrom: LocalDate?
    public var effectiveTo: LocalDate?
    public var status: ProcedureStatus
    /// The online form (tờ khai) the applicant fills in, besides the required documents.
    public var formFields: [DossierFormField]
    /// Who handles an accepted dossier, in order; empty means the receiving office itself.
    public var processingSteps: [ProcessingStep]

    public init(code: String, name: String, field: String, agencyCode: String? = nil,
                implementingLevel: ImplementingLevel = .province, onlineLevel: OnlineLevel = .partial,
                channels: [SubmissionChannel] = [.inPerson, .online, .post], steps: [String] = [],
                requiredDocuments: [RequiredDocument] = [], timeLimitDays: Int, fees: String = "", feeAmount: Int = 0,
                conditions: String = "", result: String = "", legalBasis: String = "",
                effectiveFrom: LocalDate? = nil, effectiveTo: LocalDate? = nil, status: ProcedureStatus = .active,
                formFields: [DossierFormField] = [], processingSteps: [ProcessingStep] = []) {
        self.code = code
        self.name = name
        self.field = field
        self.agencyCode = agencyCode
        self.implementingLevel = implementingLevel
        self.onlineLevel = onlineLevel
        self.channels = channels
        self.steps = steps
        self.requiredDocuments = requiredDocuments
        self.timeLimitDays = timeLimitDays
        self.fees = fees
        self.feeAmount = feeAmount
        self.conditions = conditions
        self.result = result
        self.legalBasis = legalBasis
        self.effectiveFrom = effectiveFrom
        self.effectiveTo = effectiveTo
        self.status = status
        self.formFields = formFields
        self.processingSteps = processingSteps
    }

    enum CodingKeys: String, CodingKey {
        case code, name, field, channels, steps, fees, conditions, result, status
        case agencyCode = "agency_code", implementingLevel = "implementing_level", onlineLevel = "online_level"
        case requiredDocuments = "required_documents", timeLimitDays = "time_limit_days", feeAmount = "fee_amount"
        case legalBasis = "legal_basis", effectiveFrom = "effective_from", effectiveTo = "effective_to"
        case formFields = "form_fields", processingSteps = "processing_steps"
    }

    /// Citizens may use it on `day`: active and inside its effective dates.
    public func isInForce(on day: LocalDate) -> Bool {
        status == .active && (effectiveFrom.map { $0 <= day } ?? true) && (effectiveTo.map { day <= $0 } ?? true)
    }

    /// Folded words for search with or without diacritics.
    public var searchText: String {
        SearchFolding.fold([code, name, field].joined(separator: " "))
    }
}
