import EGovCore
import Fluent
import SQLKit
import Vapor

/// Who takes part in a dossier's moves: an officer of an agency on its route, or its applicant.
enum DossierParticipant: Sendable {
    case officer(Actor)
    case applicant(PortalApplicant)

    var kind: String {
        switch self {
        case .officer: "officer"
        case .applicant: "applicant"
        }
    }
    var id: UUID {
        switch self {
        case .officer(let actor): actor.userID
        case .applicant(let applicant): applicant.id
        }
    }
    var name: String {
        switch self {
        case .officer(let actor): actor.fullName
        case .applicant(let applicant): applicant.fullName
        }
    }
    func auditContext(requestID: String?) -> AuditContext {
        switch self {
        case .officer(let actor): AuditContext(actor: actor, requestID: requestID)
        case .applicant(let applicant): AuditContext(applicantID: applicant.id, login: applicant.login, requestID: requestID)
        }
    }
}

/// What a move changes besides the status, filled in by each use case.
struct DossierChange: Sendable {
    var note = ""
    /// The timeliness of the part the place handing over has just finished (control slip).
    var stepTimeliness: Timeliness?
    /// What the applicant is told, when they are told something.
    var notice: (title: String, body: String)?
}

/// A move of the status machine, or the apology, which changes the appointment and not the status.
enum DossierAction: Sendable {
    case move(DossierMove)
    case apologise

    var name: String {
        switch self {
        case .move(let move): move.rawValue
        case .apologise: "apologise"
        }
    }
    var label: String {
        switch self {
        case .move(let move): move.label
        case .apologise: "gửi phiếu xin lỗi và hẹn lại ngày trả kết quả"
        }
    }
    func next(from status: DossierStatus, accepted: Bool) throws -> DossierStatus {
        switch self {
        case .move(let move): return try DossierWorkflow.next(after: move, from: status, accepted: accepted)
        case .apologise:
            guard DossierWorkflow.mayApologise(from: status) else {
                throw IllegalMove(move: name, state: String(status.rawValue))
            }
            return status
        }
    }
}

/// A move on a dossier through the shared `Transition`: the dossier found among what the
/// participant may see (404), the move allowed to them (403) and by the status machine (409);
/// then the use case's changes, the history line (a control-slip line when the holder
/// changes), and the applicant told.
enum DossierTransition {
    static func run(in ctx: UseCaseContext, by participant: DossierParticipant, dossierID: UUID, action: DossierAction,
                    _ apply: @escaping @Sendable (Dossier, Database, WorkingDayCalendar) async throws -> DossierChange) async throws -> Dossier {
        let now = ctx.now
        let transition = Transition<Dossier>(
            table: Dossier.schema, id: dossierID,
            find: { db in try await visible(dossierID, to: participant, on: db) },
            refusal: { dossier, _ in refusal(action, by: participant, on: dossier) },
            illegality: { dossier in
                let from = dossier.dossierStatus
                guard (try? action.next(from: from, accepted: dossier.acceptedAt != nil)) == nil else { return nil }
                return EGovError.conflict("Hồ sơ \(dossier.code) đang ở trạng thái \"\(from.label)\": không thể \(action.label).", code: "illegal_move")
            })
        let result: Dossier = try await transition.run(in: ctx.recording(as: participant.auditContext(requestID: ctx.requestID))) { dossier, db, trail in
            let from = dossier.dossierStatus
            let next = try action.next(from: from, accepted: dossier.acceptedAt != nil)
            let fromPlace = try await DossierPlace.describe(dossier, on: db)
            let calendar = try await CalendarService.calendar(on: db)
            let counted = DossierTallies.Line(dossier, calendar: calendar)
            // The use case sees the status before the move.
            let change = try await apply(dossier, db, calendar)
            dossier.status = next.rawValue
            try await dossier.update(on: db)
            try await DossierTallies.move(from: counted, to: DossierTallies.Line(dossier, calendar: calendar), on: db)
            let event = DossierEvent()
            event.$dossier.id = dossierID
            event.at = now
            event.actorKind = participant.kind
            event.actorID = participant.id
            event.actorName = participant.name
            event.move = action.name
            event.fromStatus = from.rawValue
            event.toStatus = next.rawValue
            event.fromPlace = fromPlace
            event.toPlace = try await DossierPlace.describe(dossier, on: db)
            event.toAgencyID = dossier.holderAgencyID
            event.timeliness = change.stepTimeliness?.rawValue
            event.note = change.note
            try await event.create(on: db)
            trail.record("dossier.\(action.name)", objectType: "dossier", objectID: dossierID.uuidString,
                         details: "\(dossier.code) \(from.rawValue)→\(next.rawValue)")
            // The applicant's notice and its message are side effects of the move: same transaction.
            if let applicantID = dossier.applicantID, let notice = change.notice {
                try await NotifyApplicant(applicantID: applicantID, title: notice.title, body: notice.body,
                                          link: "/portal/dossiers/\(dossier.id!)").record(in: ctx, on: db, trail: trail)
            }
            return dossier
        }
        return result
    }

    /// The dossier, when the participant may see it: an officer of an agency on its route, or its applicant.
    private static func visible(_ id: UUID, to participant: DossierParticipant, on db: Database) async throws -> Dossier {
        guard let dossier = try await Dossier.find(id, on: db) else { throw EGovError.notFound("Không tìm thấy hồ sơ.") }
        switch participant {
        case .officer(let actor):
            guard try await DossierQueries.mayView(dossier, actor: actor, on: db) else { throw EGovError.notFound("Không tìm thấy hồ sơ.") }
        case .applicant(let applicant):
            guard dossier.applicantID == applicant.id else { throw EGovError.notFound("Không tìm thấy hồ sơ.") }
        }
        return dossier
    }

    private static func refusal(_ action: DossierAction, by participant: DossierParticipant, on dossier: Dossier) -> EGovError? {
        switch participant {
        case .officer(let actor):
            let allowed: Bool
            switch action {
            case .move(let move): allowed = DossierPermissions.mayMove(move, actor: actor, dossier: dossier)
            case .apologise: allowed = DossierPermissions.isOneStopOfficer(actor, of: dossier)
            }
            return allowed ? nil
                : EGovError.forbidden("Bạn không được \(action.label) hồ sơ \(dossier.code): việc này thuộc nơi đang giữ hồ sơ hoặc bộ phận một cửa.")
        case .applicant(let applicant):
            guard case .move(let move) = action, DossierPermissions.applicantMayMove(move, applicant: applicant, dossier: dossier) else {
                return EGovError.forbidden("Người nộp hồ sơ không thể \(action.label).")
            }
            return nil
        }
    }
}

/// Where a dossier is, as the control slip names it.
enum DossierPlace {
    static func describe(_ dossier: Dossier, on db: Database) async throws -> String {
        let agency = try await Agency.find(dossier.holderAgencyID, on: db)?.name ?? ""
        if let unitID = dossier.holderUnitID, let unit = try await AgencyUnit.find(unitID, on: db) {
            return "\(unit.name) — \(agency)"
        }
        if dossier.holderAgencyID == dossier.$agency.id, dossier.stepIndex < 0 {
            return "Bộ phận một cửa — \(agency)"
        }
        return agency
    }
}
