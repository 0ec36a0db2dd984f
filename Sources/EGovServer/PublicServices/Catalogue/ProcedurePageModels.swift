import EGovCore
import Vapor

struct PageLink: Encodable {
    let label: String
    let href: String
    var current = false
}

/// The filters, results and paging of a catalogue list (public and admin alike).
struct ProcedureListModel: Encodable {
    let q: String
    let total: Int
    let items: [ProcedureSummary]
    let fieldOptions: [Option]
    let agencyOptions: [Option]
    let levelOptions: [Option]
    let pages: [PageLink]

    static func build(_ req: Request, search: ProcedureSearch) async throws -> ProcedureListModel {
        let (items, total) = try await search.run(on: req.db)
        let (fields, agencies) = try await search.choices(on: req.db)
        let pageCount = max(1, (total + ProcedureSearch.pageSize - 1) / ProcedureSearch.pageSize)
        let shown = Array(max(1, search.page - 4)...min(pageCount, max(1, search.page - 4) + 8))
        return ProcedureListModel(
            q: search.text, total: total, items: items,
            fieldOptions: fields.map { Option(value: $0, label: $0, selected: $0 == search.field) },
            agencyOptions: agencies.map { Option(value: $0.code, label: $0.name, selected: $0.code == search.agencyCode) },
            levelOptions: OnlineLevel.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == search.onlineLevel) },
            pages: pageCount > 1 ? shown.map { PageLink(label: String($0), href: req.pageURL($0), current: $0 == search.page) } : [])
    }
}

struct PortalProceduresPage: Encodable {
    let shell: PortalShell
    let list: ProcedureListModel
    /// The search template's switches: every agency, no edit links.
    let agencyCode = ""
    let manageLinks = false
}

/// A procedure as a citizen reads it: every field of the catalogue, in words.
struct ProcedureView: Encodable {
    struct Document: Encodable {
        let name: String
        let originals: Int
        let copies: Int
        let mandatory: Bool
    }
    let id: String
    let code: String
    let name: String
    let field: String
    let agencyName: String
    let agencyCode: String
    let implementingLevel: String
    let onlineLevel: String
    let onlineLevelLabel: String
    let acceptsOnline: Bool
    let channels: [String]
    let steps: [String]
    let documents: [Document]
    let timeLimit: String
    let fees: String
    let feeAmount: String
    let conditions: String
    let result: String
    let legalBasis: String
    let effectiveFrom: String
    let effectiveTo: String
    let statusLabel: String
    let inForce: Bool

    init(_ detail: ProcedureDetail) {
        let record = detail.record
        id = detail.id.uuidString
        code = record.code
        name = record.name
        field = record.field
        agencyName = detail.agencyName
        agencyCode = record.agencyCode ?? ""
        implementingLevel = record.implementingLevel.label
        onlineLevel = record.onlineLevel.rawValue
        onlineLevelLabel = record.onlineLevel.label
        acceptsOnline = detail.inForce && record.onlineLevel.acceptsOnlineDossiers
        channels = record.channels.map(\.label)
        steps = record.steps
        documents = record.requiredDocuments.map { Document(name: $0.name, originals: $0.originals, copies: $0.copies, mandatory: $0.mandatory) }
        timeLimit = record.timeLimitDays == 0 ? "Trong ngày làm việc (hồ sơ nhận sau 15 giờ trả trong ngày làm việc tiếp theo)"
            : "\(record.timeLimitDays) ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ"
        fees = record.fees
        feeAmount = record.feeAmount == 0 ? "Không thu" : Self.money(record.feeAmount)
        conditions = record.conditions
        result = record.result
        legalBasis = record.legalBasis
        effectiveFrom = record.effectiveFrom?.vietnamese ?? ""
        effectiveTo = record.effectiveTo?.vietnamese ?? ""
        statusLabel = record.status.label
        inForce = detail.inForce
    }

    /// 1.500.000 đồng: Vietnamese groups thousands with dots.
    static func money(_ amount: Int) -> String {
        var digits = String(amount)
        var groups: [String] = []
        while digits.count > 3 { groups.insert(String(digits.suffix(3)), at: 0); digits.removeLast(3) }
        groups.insert(digits, at: 0)
        return groups.joined(separator: ".") + " đồng"
    }
}

struct PortalProcedurePage: Encodable {
    let shell: PortalShell
    let procedure: ProcedureView
}

struct AdminProceduresPage: Encodable {
    let shell: Shell
    let agencyName: String
    let agencyCode: String
    let canManage: Bool
    let list: ProcedureListModel
    let importErrors: String?
    /// The search template shows edit links to those who may edit.
    let manageLinks: Bool
}

/// The admin form's values: what was typed, kept on a failed save.
struct ProcedureFormValues: Encodable {
    var code = ""
    var name = ""
    var field = ""
    var agencyCode = ""
    var timeLimitDays = ""
    var steps = ""
    var requiredDocuments = ""
    var fees = ""
    var feeAmount = "0"
    var conditions = ""
    var result = ""
    var legalBasis = ""
    var effectiveFrom = ""
    var effectiveTo = ""
    var formFields = ""
    var processingSteps = ""

    init() {}

    init(_ input: ProcedureInput) {
        code = input.code ?? ""
        name = input.name ?? ""
        field = input.field ?? ""
        agencyCode = input.agencyCode ?? ""
        timeLimitDays = input.timeLimitDays ?? ""
        steps = (input.steps ?? []).joined(separator: "\n")
        requiredDocuments = (input.requiredDocuments ?? []).joined(separator: "\n")
        fees = input.fees ?? ""
        feeAmount = input.feeAmount ?? ""
        conditions = input.conditions ?? ""
        result = input.result ?? ""
        legalBasis = input.legalBasis ?? ""
        effectiveFrom = input.effectiveFrom ?? ""
        effectiveTo = input.effectiveTo ?? ""
        formFields = (input.formFields ?? []).joined(separator: "\n")
        processingSteps = (input.processingSteps ?? []).joined(separator: "\n")
    }
}

struct ProcedureFormPage: Encodable {
    let shell: Shell
    let isNew: Bool
    let action: String
    let showAgencyCode: Bool
    let values: ProcedureFormValues
    let levelOptions: [Option]
    let onlineOptions: [Option]
    let channelOptions: [Option]
    let statusOptions: [Option]
    let errors: [String: String]
    /// The same messages in field order, for the summary at the top.
    let errorList: [String]

    static let fieldOrder = ["code", "agency_code", "name", "field", "channels", "steps", "required_documents", "time_limit_days",
                             "fee_amount", "fees", "conditions", "result", "legal_basis", "effective_from", "effective_to",
                             "form_fields", "processing_steps"]

    static func build(_ req: Request, isNew: Bool, action: String, input: ProcedureInput, errors: [String: String] = [:]) throws -> ProcedureFormPage {
        let actor = try req.actor
        func options<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ label: (T) -> String, selected: [String]) -> [Option] where T.RawValue == String {
            T.allCases.map { Option(value: $0.rawValue, label: label($0), selected: selected.contains($0.rawValue)) }
        }
        return ProcedureFormPage(
            shell: req.shell(isNew ? "Thêm thủ tục hành chính" : "Sửa thủ tục \(input.code ?? "")"), isNew: isNew, action: action,
            showAgencyCode: isNew && actor.isSystemAdmin, values: ProcedureFormValues(input),
            levelOptions: options(ImplementingLevel.self, \ImplementingLevel.label, selected: [input.implementingLevel ?? ImplementingLevel.province.rawValue]),
            onlineOptions: options(OnlineLevel.self, \OnlineLevel.label, selected: [input.onlineLevel ?? OnlineLevel.partial.rawValue]),
            channelOptions: options(SubmissionChannel.self, \SubmissionChannel.label, selected: input.channels ?? SubmissionChannel.allCases.map(\.rawValue)),
            statusOptions: options(ProcedureStatus.self, \ProcedureStatus.label, selected: [input.status ?? ProcedureStatus.active.rawValue]),
            errors: errors, errorList: fieldOrder.compactMap { errors[$0] })
    }
}
