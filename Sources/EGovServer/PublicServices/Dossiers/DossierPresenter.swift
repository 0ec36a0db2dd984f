import EGovCore
import Fluent
import Vapor

struct DossierEventDTO: Content {
    let at: Date
    let actorName: String
    let move: String
    let fromStatus: Int
    let toStatus: Int
    let toStatusLabel: String
    let fromPlace: String
    let toPlace: String
    let timeliness: String?
    let timelinessLabel: String?
    let note: String

    enum CodingKeys: String, CodingKey {
        case at, move, note, timeliness
        case actorName = "actor_name", fromStatus = "from_status", toStatus = "to_status", toStatusLabel = "to_status_label"
        case fromPlace = "from_place", toPlace = "to_place", timelinessLabel = "timeliness_label"
    }

    init(_ event: DossierEvent) {
        at = event.at
        actorName = event.actorName
        move = event.move
        fromStatus = event.fromStatus
        toStatus = event.toStatus
        toStatusLabel = DossierStatus(rawValue: event.toStatus)?.label ?? ""
        fromPlace = event.fromPlace
        toPlace = event.toPlace
        let timeliness = event.timeliness.flatMap(Timeliness.init(rawValue:))
        self.timeliness = timeliness?.rawValue
        timelinessLabel = timeliness?.label
        note = event.note
    }
}

struct DossierFileDTO: Content {
    let id: UUID
    let kind: String
    let slot: String
    let label: String
    let fileName: String
    let size: Int

    enum CodingKeys: String, CodingKey {
        case id, kind, slot, label, size
        case fileName = "file_name"
    }

    init(_ file: DossierFile) {
        id = file.id!
        kind = file.kind
        slot = file.slot
        label = file.label
        fileName = file.fileName
        size = file.size
    }
}

/// A paper the counter received on paper rather than as a file.
struct DossierPaperDTO: Content {
    let slot: String
    let label: String
}

/// A dossier as the API shows it, to its applicant and to officers alike.
struct DossierDTO: Content {
    let id: UUID
    let code: String
    let status: Int
    let statusLabel: String
    let channel: String
    let procedureID: UUID
    let procedureCode: String
    let procedureName: String
    let agencyCode: String
    let agencyName: String
    let applicantName: String
    let applicantIdentity: String
    let applicantPhone: String
    let applicantEmail: String
    let applicantAddress: String
    let formValues: [String: String]
    let submittedAt: Date
    let acceptedAt: Date?
    let promisedDate: String?
    let dueDate: String?
    let apologyDate: String?
    let supplementRequests: Int
    let currentPlace: String
    let stepIndex: Int
    let stepDueDate: String?
    let feeOwed: Int
    let feePaid: Int
    let timeliness: String?
    let reason: String
    let finishedAt: Date?
    let resultReturnedAt: Date?
    let events: [DossierEventDTO]
    let files: [DossierFileDTO]
    let papersReceived: [DossierPaperDTO]
    /// What the reader may do now.
    let allowedMoves: [String]

    enum CodingKeys: String, CodingKey {
        case id, code, status, channel, reason, timeliness, events, files
        case statusLabel = "status_label", procedureID = "procedure_id", procedureCode = "procedure_code", procedureName = "procedure_name"
        case agencyCode = "agency_code", agencyName = "agency_name", applicantName = "applicant_name", applicantIdentity = "applicant_identity"
        case applicantPhone = "applicant_phone", applicantEmail = "applicant_email", applicantAddress = "applicant_address"
        case formValues = "form_values", submittedAt = "submitted_at", acceptedAt = "accepted_at", promisedDate = "promised_date"
        case dueDate = "due_date", apologyDate = "apology_date", supplementRequests = "supplement_requests", currentPlace = "current_place"
        case stepIndex = "step_index", stepDueDate = "step_due_date", feeOwed = "fee_owed", feePaid = "fee_paid"
        case finishedAt = "finished_at", resultReturnedAt = "result_returned_at", allowedMoves = "allowed_moves"
        case papersReceived = "papers_received"
    }
}

enum DossierPresenter {
    static func detail(_ dossier: Dossier, reader: DossierParticipant, on db: Database) async throws -> DossierDTO {
        try await detailAndProcedure(dossier, reader: reader, on: db).dto
    }

    /// The dossier and its procedure as plain data (pages label the form's values with it), read once.
    static func detailAndProcedure(_ dossier: Dossier, reader: DossierParticipant, on db: Database) async throws -> (dto: DossierDTO, procedure: ProcedureRecord) {
        guard let procedure = try await Procedure.query(on: db).filter(\.$id == dossier.$procedure.id).with(\.$agency).first() else {
            throw EGovError.notFound()
        }
        let events = try await DossierEvent.query(on: db).filter(\.$dossier.$id == dossier.id!).sort(\.$at).all()
        let files = try await DossierFile.query(on: db).filter(\.$dossier.$id == dossier.id!).sort(\.$uploadedAt).all()
        let status = dossier.dossierStatus
        let accepted = dossier.acceptedAt != nil
        let moves: [DossierMove]
        switch reader {
        case .officer(let actor):
            moves = DossierWorkflow.legalMoves(from: status, accepted: accepted).filter { DossierPermissions.mayMove($0, actor: actor, dossier: dossier) }
        case .applicant(let applicant):
            moves = DossierWorkflow.legalMoves(from: status, accepted: accepted).filter { DossierPermissions.applicantMayMove($0, applicant: applicant, dossier: dossier) }
        }
        let record = procedure.record(agencyCode: procedure.agency.code)
        let labels = Dictionary(DossierFormReader.slots(record).map { ($0.key, $0.label) }, uniquingKeysWith: { first, _ in first })
        let dto = DossierDTO(
            id: dossier.id!, code: dossier.code, status: status.rawValue, statusLabel: status.label, channel: dossier.channel,
            procedureID: procedure.id!, procedureCode: procedure.code, procedureName: procedure.name,
            agencyCode: procedure.agency.code, agencyName: procedure.agency.name,
            applicantName: dossier.applicantName, applicantIdentity: dossier.applicantIdentity, applicantPhone: dossier.applicantPhone,
            applicantEmail: dossier.applicantEmail, applicantAddress: dossier.applicantAddress, formValues: dossier.values,
            submittedAt: dossier.submittedAt, acceptedAt: dossier.acceptedAt, promisedDate: dossier.promisedDate, dueDate: dossier.dueDate,
            apologyDate: dossier.apologyDate, supplementRequests: dossier.supplementRequests,
            currentPlace: try await DossierPlace.describe(dossier, on: db), stepIndex: dossier.stepIndex, stepDueDate: dossier.stepDueDate,
            feeOwed: dossier.feeOwed, feePaid: dossier.feePaid, timeliness: dossier.timeliness, reason: dossier.reason,
            finishedAt: dossier.finishedAt, resultReturnedAt: dossier.resultReturnedAt,
            events: events.map(DossierEventDTO.init), files: files.map(DossierFileDTO.init),
            papersReceived: dossier.paperSlotList.map { DossierPaperDTO(slot: $0, label: labels[$0] ?? $0) },
            allowedMoves: moves.map(\.rawValue))
        return (dto, record)
    }

    /// A stored file of the dossier, for its applicant or an officer who may see the dossier.
    static func download(_ dossier: Dossier, fileID: UUID, on req: Request) async throws -> Response {
        guard let file = try await DossierFile.query(on: req.db).filter(\.$id == fileID).filter(\.$dossier.$id == dossier.id!).first() else {
            throw EGovError.notFound("Không tìm thấy tệp.")
        }
        let data: Data
        do {
            data = try await req.application.egovServices.attachments.read(sha256: file.sha256, threadPool: req.application.threadPool)
        } catch {
            throw EGovError(status: .internalServerError, code: "file_unreadable", message: "Tệp \"\(file.fileName)\" không đọc được hoặc đã bị thay đổi.")
        }
        return AttachmentDownload.fileResponse(data, fileName: file.fileName, type: AttachmentContentType(rawValue: file.contentType), sha256: file.sha256,
                                               inline: req.wantsInlineFile)
    }
}
