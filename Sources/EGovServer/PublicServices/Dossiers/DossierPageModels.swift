import EGovCore
import Fluent
import Vapor

/// A dossier as both its pages read it (the applicant's and the officers'): dates in Vietnamese
/// form, the form's values under their labels, the history, the files with their links.
struct DossierPageModel: Encodable {
    struct Value: Encodable { let label: String; let value: String }
    struct FileLink: Encodable {
        let label: String
        let fileName: String
        let href: String
        let kindLabel: String
        /// "pdf" or "image" when the page shows it in place (stored names end as their checked type).
        let viewKind: String
    }
    struct Line: Encodable {
        let at: String
        let actor: String
        let what: String
        let statusLabel: String
        let fromPlace: String
        let toPlace: String
        let timeliness: String
        let note: String
    }

    let id: String
    let code: String
    let status: Int
    let statusLabel: String
    /// What the page offers for the status, decided here rather than in the view.
    var offersRefusalSlip = false
    var offersSupplementSlip = false
    var asksForRating = false
    let channelLabel: String
    let procedureID: String
    let procedureCode: String
    let procedureName: String
    let agencyName: String
    let applicantName: String
    let applicantIdentity: String
    let applicantPhone: String
    let applicantEmail: String
    let applicantAddress: String
    let submittedAt: String
    let acceptedAt: String
    let promisedDate: String
    let dueDate: String
    let apologyDate: String
    let currentPlace: String
    let stepDueDate: String
    let feeOwed: String
    let feePaid: String
    let owesFees: Bool
    let timelinessLabel: String
    let reason: String
    let values: [Value]
    let files: [FileLink]
    /// Papers the counter received on paper (labels).
    let papersReceived: [String]
    let history: [Line]
    let moves: [String]
    let canSupplement: Bool
    let canWithdraw: Bool
    let isFinished: Bool

    static func build(_ dto: DossierDTO, procedure: ProcedureRecord, filePrefix: String) -> DossierPageModel {
        let moveWords: [String: String] = [
            "submit": "Nộp hồ sơ", "accept": "Tiếp nhận", "refuse": "Từ chối tiếp nhận", "start_processing": "Chuyển xử lý",
            "hand_over": "Chuyển bước tiếp theo", "request_supplement": "Yêu cầu bổ sung", "supplement": "Bổ sung hồ sơ",
            "request_fees": "Yêu cầu nộp phí, lệ phí", "record_payment": "Ghi nhận đã nộp phí", "withdraw": "Rút hồ sơ",
            "stop": "Dừng xử lý", "finish": "Hoàn thành xử lý", "return_result": "Trả kết quả", "apologise": "Xin lỗi, hẹn lại ngày trả",
        ]
        let kindWords = ["submission": "Hồ sơ nộp", "supplement": "Bổ sung", "result": "Kết quả"]
        let labels = Dictionary(uniqueKeysWithValues: procedure.formFields.map { ($0.key, $0.label) })
        var model = DossierPageModel(
            id: dto.id.uuidString, code: dto.code, status: dto.status, statusLabel: dto.statusLabel,
            channelLabel: SubmissionChannel(rawValue: dto.channel)?.label ?? dto.channel,
            procedureID: dto.procedureID.uuidString, procedureCode: dto.procedureCode, procedureName: dto.procedureName, agencyName: dto.agencyName,
            applicantName: dto.applicantName, applicantIdentity: dto.applicantIdentity, applicantPhone: dto.applicantPhone,
            applicantEmail: dto.applicantEmail, applicantAddress: dto.applicantAddress,
            submittedAt: dto.submittedAt.vietnamTimestamp, acceptedAt: dto.acceptedAt?.vietnamTimestamp ?? "",
            promisedDate: LocalDate.vietnamese(iso: dto.promisedDate), dueDate: LocalDate.vietnamese(iso: dto.dueDate), apologyDate: LocalDate.vietnamese(iso: dto.apologyDate),
            currentPlace: dto.currentPlace, stepDueDate: LocalDate.vietnamese(iso: dto.stepDueDate),
            feeOwed: dto.feeOwed == 0 ? "" : ProcedureView.money(dto.feeOwed), feePaid: dto.feePaid == 0 ? "" : ProcedureView.money(dto.feePaid),
            owesFees: dto.status == DossierStatus.feesRequested.rawValue,
            timelinessLabel: dto.timeliness.flatMap(Timeliness.init(rawValue:))?.label ?? "", reason: dto.reason,
            values: procedure.formFields.filter { $0.kind != .file }.compactMap { field in
                dto.formValues[field.key].map { Value(label: labels[field.key] ?? field.key, value: $0) }
            },
            files: dto.files.map { FileLink(label: $0.label, fileName: $0.fileName, href: "\(filePrefix)/files/\($0.id)", kindLabel: kindWords[$0.kind] ?? $0.kind,
                                            viewKind: AttachmentContentType.named($0.fileName)?.viewKind ?? "") },
            papersReceived: dto.papersReceived.map(\.label),
            history: dto.events.map {
                Line(at: $0.at.vietnamTimestamp, actor: $0.actorName, what: moveWords[$0.move] ?? $0.move, statusLabel: $0.toStatusLabel,
                     fromPlace: $0.fromPlace, toPlace: $0.toPlace, timeliness: $0.timelinessLabel ?? "", note: $0.note)
            },
            moves: dto.allowedMoves, canSupplement: dto.allowedMoves.contains("supplement"), canWithdraw: dto.allowedMoves.contains("withdraw"),
            isFinished: DossierStatus(rawValue: dto.status)?.isFinal ?? false)
        let status = DossierStatus(rawValue: dto.status)
        model.offersRefusalSlip = status == .notAccepted
        model.offersSupplementSlip = status == .supplementRequested
        model.asksForRating = status == .resultReturned
        return model
    }
}

struct DossierRow: Encodable {
    let id: String
    let code: String
    let statusLabel: String
    let status: Int
    let applicantName: String
    let procedureName: String
    let submittedAt: String
    let dueDate: String

    init(_ item: DossierListDTO.Item) {
        id = item.id.uuidString
        code = item.code
        statusLabel = item.statusLabel
        status = item.status
        applicantName = item.applicantName
        procedureName = item.procedureName ?? ""
        submittedAt = item.submittedAt.vietnamTimestamp
        dueDate = LocalDate.vietnamese(iso: item.dueDate)
    }
}

/// The online form of a procedure: its fields and an upload box per paper.
struct SubmissionFormModel: Encodable {
    struct Field: Encodable {
        let key: String
        let label: String
        let kind: String
        let required: Bool
        let options: [Option]
        let value: String
    }
    struct Slot: Encodable {
        let slot: String
        let label: String
        let required: Bool
        let counts: String
        /// Ticked "received on paper" (counter only).
        let paper: Bool
        let error: String
        /// Files chosen on a form that came back, offered again (`keep_<slot>`).
        let kept: [String]
    }
    let procedureID: String
    let procedureName: String
    let procedureCode: String
    let agencyName: String
    let timeLimit: String
    let fields: [Field]
    let slots: [Slot]
    /// The counter may tick a paper as received on paper instead of attaching its scan.
    let acceptsPaper: Bool
    let errors: [String: String]
    let errorList: [String]

    static func build(_ procedure: Procedure, record: ProcedureRecord, agencyName: String, values: [String: String] = [:],
                      errors: [String: String] = [:], acceptsPaper: Bool = false, papers: Set<String> = [],
                      kept: [KeptUploads.File] = []) -> SubmissionFormModel {
        let fields = record.formFields.filter { $0.kind != .file }.map { field in
            Field(key: field.key, label: field.label, kind: field.kind.rawValue, required: field.required,
                  options: field.options.map { Option(value: $0, label: $0, selected: values[field.key] == $0) }, value: values[field.key] ?? "")
        }
        let slots = DossierFormReader.slots(record).map {
            Slot(slot: $0.key, label: $0.label, required: $0.required, counts: $0.counts, paper: papers.contains($0.key), error: errors[$0.key] ?? "",
                 kept: kept.filter { [key = $0.key] in $0.slot == key }.map(\.fileName))
        }
        let order = fields.map(\.key) + slots.map(\.slot) + ["applicant_name", "applicant_identity", "applicant_phone", "applicant_email", "applicant_address", "channel"]
        return SubmissionFormModel(
            procedureID: procedure.id!.uuidString, procedureName: record.name, procedureCode: record.code, agencyName: agencyName,
            timeLimit: record.timeLimitDays == 0 ? "trong ngày" : "\(record.timeLimitDays) ngày làm việc",
            fields: fields, slots: slots, acceptsPaper: acceptsPaper, errors: errors,
            errorList: order.compactMap { errors[$0] } + errors.filter { !order.contains($0.key) }.map(\.value).sorted())
    }
}

struct PortalSubmitPage: Encodable {
    let shell: PortalShell
    let form: SubmissionFormModel
    let address: String
}

struct PortalDossiersPage: Encodable {
    let shell: PortalShell
    let rows: [DossierRow]
}

struct PortalDossierPage: Encodable {
    let shell: PortalShell
    let dossier: DossierPageModel
    let errorList: [String]
}

struct DeskPage: Encodable {
    let shell: Shell
    let rows: [DossierRow]
    let total: Int
    let statusOptions: [Option]
    let canEnter: Bool
    let procedures: [Option]
}

struct CounterEntryPage: Encodable {
    let shell: Shell
    let form: SubmissionFormModel
    let values: [String: String]
}

struct OfficerDossierPage: Encodable {
    let shell: Shell
    let dossier: DossierPageModel
    /// The failed move's messages, shown above the page.
    let errorList: [String]
    /// The move whose form failed.
    let failedAction: String
    let may: [String: Bool]
    let today: String
}
