import EGovCore
import Fluent
import Vapor

// One command per use case of the one-stop office (Decree 61/2018), all through DossierTransition.

private func requiredReason(_ reason: String, _ message: String) throws -> String {
    try NoteInput(note: reason).validate(required: true, field: "reason", missing: message)
}

/// Tiếp nhận: the receipt's promised date is the legal time limit in working days from the
/// working day the dossier counts as received (after 15:00 it is the next one).
struct AcceptDossier {
    let actor: Actor
    let dossierID: UUID

    func run(in ctx: UseCaseContext) async throws -> Dossier {
        let now = ctx.now
        return try await DossierTransition.run(in: ctx, by: .officer(actor), dossierID: dossierID, action: .move(.accept)) { dossier, db, calendar in
            guard let procedure = try await Procedure.find(dossier.$procedure.id, on: db) else { throw EGovError.notFound() }
            let promised = DossierClock(calendar: calendar).promisedDate(acceptedAt: now, workingDays: procedure.timeLimitDays)
            dossier.acceptedAt = now
            dossier.promisedDate = promised.iso
            dossier.dueDate = promised.iso
            dossier.feeOwed = procedure.feeAmount
            return DossierChange(note: "Hẹn trả kết quả ngày \(promised.vietnamese)",
                                 notice: ("Hồ sơ \(dossier.code) đã được tiếp nhận", "Ngày hẹn trả kết quả: \(promised.vietnamese)."))
        }
    }
}

/// Không tiếp nhận, with the reasons the refusal form states.
struct RefuseDossier {
    let actor: Actor
    let dossierID: UUID
    let reason: String

    func run(in ctx: UseCaseContext) async throws -> Dossier {
        let reason = try requiredReason(reason, "Cần nêu lý do không tiếp nhận hồ sơ.")
        return try await DossierTransition.run(in: ctx, by: .officer(actor), dossierID: dossierID, action: .move(.refuse)) { dossier, _, _ in
            dossier.reason = reason
            return DossierChange(note: reason, notice: ("Hồ sơ \(dossier.code) không được tiếp nhận", "Lý do: \(reason)"))
        }
    }
}

/// Yêu cầu bổ sung: the legal clock stops until the applicant answers; a second request makes
/// the dossier late by rule.
struct RequestSupplement {
    let actor: Actor
    let dossierID: UUID
    let reason: String

    func run(in ctx: UseCaseContext) async throws -> Dossier {
        let reason = try requiredReason(reason, "Cần nêu giấy tờ, nội dung cần bổ sung.")
        let today = LocalDate.inVietnam(ctx.now)
        return try await DossierTransition.run(in: ctx, by: .officer(actor), dossierID: dossierID, action: .move(.requestSupplement)) { dossier, _, _ in
            dossier.supplementRequests += 1
            dossier.pausedSince = today.iso
            dossier.reason = reason
            return DossierChange(note: reason, notice: ("Hồ sơ \(dossier.code) cần bổ sung", "Nội dung cần bổ sung: \(reason)"))
        }
    }
}

/// The applicant answers a supplement request with files (and a note); the days it took are
/// added to the appointment and to the step that asked.
struct SupplementDossier {
    let applicant: PortalApplicant
    let dossierID: UUID
    let note: String
    let files: [(slot: String, label: String, file: StoredAttachment)]

    func run(in ctx: UseCaseContext) async throws -> Dossier {
        let note = FormText.clean(note)
        guard !files.isEmpty || !note.isEmpty else { throw EGovError.invalid(["files": "Cần đính kèm giấy tờ bổ sung hoặc ghi nội dung bổ sung."]) }
        let (files, now) = (self.files, ctx.now)
        let today = LocalDate.inVietnam(now)
        return try await DossierTransition.run(in: ctx, by: .applicant(applicant), dossierID: dossierID, action: .move(.supplement)) { dossier, db, calendar in
            try await DossierFiles.attach(files, kind: "supplement", to: dossier.id!, at: now, on: db)
            if let since = dossier.pausedSince.flatMap(LocalDate.init(iso:)) {
                let clock = DossierClock(calendar: calendar)
                if let due = dossier.dueDate.flatMap(LocalDate.init(iso:)) {
                    dossier.dueDate = clock.promisedDate(due, afterPauses: [(since, today)]).iso
                }
                if let stepDue = dossier.stepDueDate.flatMap(LocalDate.init(iso:)) {
                    dossier.stepDueDate = clock.promisedDate(stepDue, afterPauses: [(since, today)]).iso
                }
            }
            dossier.pausedSince = nil
            let attached = files.isEmpty ? "" : " (\(files.count) tệp)"
            return DossierChange(note: note.isEmpty ? "Đã bổ sung\(attached)" : note + attached)
        }
    }
}

/// Chuyển xử lý: from the one-stop office to the first step, from a step to the next (a unit of
/// the agency, or another agency through the exchange), and from the last step back to the
/// one-stop office as processed. Each hand-over is a control slip line saying whether the
/// place handing over was early, on time or late.
struct HandOverDossier {
    let actor: Actor
    let dossierID: UUID
    let note: String

    static func direction(of dossier: Dossier, steps: [ProcessingStep]) -> ProcessingRoute.HandOver {
        ProcessingRoute.handOver(awaitingStart: dossier.dossierStatus == .accepted, stepIndex: dossier.stepIndex, stepCount: steps.count)
    }

    func run(in ctx: UseCaseContext) async throws -> Dossier {
        let (note, now) = (FormText.clean(note), ctx.now)
        let exchange = ctx.services.exchange
        // Which move it is depends on where the dossier stands; read it first, check again inside.
        guard let current = try await Dossier.find(dossierID, on: ctx.db),
              let procedure = try await Procedure.find(current.$procedure.id, on: ctx.db) else { throw EGovError.notFound("Không tìm thấy hồ sơ.") }
        let steps = procedure.record(agencyCode: nil).processingSteps
        let direction = Self.direction(of: current, steps: steps)
        return try await DossierTransition.run(in: ctx, by: .officer(actor), dossierID: dossierID, action: .move(direction.move)) { dossier, db, calendar in
            guard Self.direction(of: dossier, steps: steps) == direction else {
                throw EGovError.conflict("Hồ sơ \(dossier.code) vừa được người khác chuyển; vui lòng tải lại trang.", code: "moved_meanwhile")
            }
            let today = LocalDate.inVietnam(now)
            let finishedStep = dossier.stepDueDate.flatMap(LocalDate.init(iso:)).map { Timeliness.of(finished: today, due: $0) }
            let clock = DossierClock(calendar: calendar)
            if let index = direction.stepEntered {
                try await Self.enter(step: index, of: steps, dossier: dossier, exchange: exchange, now: now, calendar: calendar, on: db)
            } else {
                dossier.stepIndex = -1
                dossier.holderAgencyID = dossier.$agency.id
                dossier.holderUnitID = nil
                dossier.stepStartedAt = nil
                dossier.stepDueDate = nil
                dossier.finishedAt = now
                let due = dossier.dueDate.flatMap(LocalDate.init(iso:)) ?? today
                dossier.timeliness = clock.timeliness(finished: today, promised: due, supplementRequests: dossier.supplementRequests).rawValue
            }
            let notice: (String, String)? = direction == .finish
                ? ("Hồ sơ \(dossier.code) đã giải quyết xong", "Mời bạn nhận kết quả theo hướng dẫn của bộ phận một cửa.") : nil
            return DossierChange(note: note, stepTimeliness: direction == .start ? nil : finishedStep, notice: notice)
        }
    }

    /// Puts the dossier in step `index`: a unit of the receiving agency or another agency.
    /// A procedure without steps is processed by the receiving agency as one step.
    static func enter(step index: Int, of steps: [ProcessingStep], dossier: Dossier, exchange: ExchangeOutbox,
                      now: Date, calendar: WorkingDayCalendar, on db: Database) async throws {
        dossier.stepIndex = index
        dossier.stepStartedAt = now
        guard index < steps.count else {
            dossier.holderAgencyID = dossier.$agency.id
            dossier.holderUnitID = nil
            dossier.stepDueDate = dossier.dueDate
            return
        }
        let step = steps[index]
        switch step.kind {
        case .unit:
            guard let unit = try await AgencyUnit.query(on: db).filter(\.$agency.$id == dossier.$agency.id).filter(\.$code == step.code).first() else {
                throw EGovError.conflict("Cơ quan không còn phòng, ban mã \(step.code) của quy trình; quản trị cần sửa quy trình thủ tục.", code: "route_broken")
            }
            dossier.holderAgencyID = dossier.$agency.id
            dossier.holderUnitID = unit.id
        case .agency:
            dossier.holderAgencyID = try await exchange.enqueue(ExchangeEnvelope(payload: .dossier(id: dossier.id!, code: dossier.code), fromAgencyID: dossier.holderAgencyID,
                                                                                 recipient: .agencyCode(step.code)), on: db).recipientAgencyID
            dossier.holderUnitID = nil
        }
        dossier.stepDueDate = calendar.dueDate(receivedAt: now, workingDays: step.workingDays).iso
    }
}

/// Yêu cầu thực hiện nghĩa vụ tài chính: the amount owed; processing waits for payment.
struct RequestFees {
    let actor: Actor
    let dossierID: UUID
    let amount: Int

    func run(in ctx: UseCaseContext) async throws -> Dossier {
        guard amount > 0, amount <= 1_000_000_000 else { throw EGovError.invalid(["amount": "Số tiền phải là số đồng lớn hơn 0."]) }
        let amount = self.amount
        return try await DossierTransition.run(in: ctx, by: .officer(actor), dossierID: dossierID, action: .move(.requestFees)) { dossier, _, _ in
            dossier.feeOwed = amount
            let text = ProcedureView.money(amount)
            return DossierChange(note: "Số tiền phải nộp: \(text)",
                                 notice: ("Hồ sơ \(dossier.code): đề nghị nộp phí, lệ phí", "Số tiền phải nộp: \(text). Nộp tại bộ phận một cửa."))
        }
    }
}

/// The one-stop office records the payment (no payment gateway): processing resumes.
struct RecordPayment {
    let actor: Actor
    let dossierID: UUID

    func run(in ctx: UseCaseContext) async throws -> Dossier {
        try await DossierTransition.run(in: ctx, by: .officer(actor), dossierID: dossierID, action: .move(.recordPayment)) { dossier, _, _ in
            dossier.feePaid = dossier.feeOwed
            return DossierChange(note: "Đã nộp \(ProcedureView.money(dossier.feeOwed))")
        }
    }
}

/// Dừng xử lý, with the reason the notice states; it goes back to the one-stop office.
struct StopDossier {
    let actor: Actor
    let dossierID: UUID
    let reason: String

    func run(in ctx: UseCaseContext) async throws -> Dossier {
        let reason = try requiredReason(reason, "Cần nêu lý do dừng xử lý hồ sơ.")
        let now = ctx.now
        return try await DossierTransition.run(in: ctx, by: .officer(actor), dossierID: dossierID, action: .move(.stop)) { dossier, _, _ in
            dossier.reason = reason
            dossier.stepIndex = -1
            dossier.holderAgencyID = dossier.$agency.id
            dossier.holderUnitID = nil
            dossier.stepDueDate = nil
            dossier.finishedAt = now
            return DossierChange(note: reason, notice: ("Hồ sơ \(dossier.code) bị dừng xử lý", "Lý do: \(reason)"))
        }
    }
}

/// The applicant withdraws their dossier before it is decided.
struct WithdrawDossier {
    let applicant: PortalApplicant
    let dossierID: UUID
    let reason: String

    func run(in ctx: UseCaseContext) async throws -> Dossier {
        let reason = FormText.clean(reason)
        return try await DossierTransition.run(in: ctx, by: .applicant(applicant), dossierID: dossierID, action: .move(.withdraw)) { dossier, _, _ in
            dossier.reason = reason
            dossier.stepIndex = -1
            dossier.holderAgencyID = dossier.$agency.id
            dossier.holderUnitID = nil
            return DossierChange(note: reason.isEmpty ? "Công dân rút hồ sơ" : reason)
        }
    }
}

/// Phiếu xin lỗi và hẹn lại ngày trả kết quả: only for a dossier that is late (past its date,
/// or late by rule after a second supplement request); the new date must be a working day ahead.
struct ApologiseForDossier {
    let actor: Actor
    let dossierID: UUID
    let newDate: String
    let reason: String

    func run(in ctx: UseCaseContext) async throws -> Dossier {
        let reason = try requiredReason(reason, "Cần nêu lý do chậm trả kết quả.")
        let today = LocalDate.inVietnam(ctx.now)
        guard let date = LocalDate(iso: FormText.clean(newDate)) else {
            throw EGovError.invalid(["new_date": "Ngày hẹn mới phải theo dạng năm-tháng-ngày."])
        }
        guard date > today else { throw EGovError.invalid(["new_date": "Ngày hẹn mới phải sau hôm nay."]) }
        return try await DossierTransition.run(in: ctx, by: .officer(actor), dossierID: dossierID, action: .apologise) { dossier, _, calendar in
            guard calendar.isWorkingDay(date) else { throw EGovError.invalid(["new_date": "Ngày hẹn mới \(date.vietnamese) không phải ngày làm việc."]) }
            let due = dossier.dueDate.flatMap(LocalDate.init(iso:))
            guard DossierClock.isLate(today: today, due: due, supplementRequests: dossier.supplementRequests) else {
                throw EGovError.conflict("Hồ sơ \(dossier.code) chưa quá hạn (hẹn trả \(due?.vietnamese ?? "")): chưa cần phiếu xin lỗi.", code: "not_late")
            }
            dossier.apologyDate = date.iso
            dossier.apologyReason = reason
            return DossierChange(note: "Hẹn lại ngày \(date.vietnamese): \(reason)",
                                 notice: ("Xin lỗi về việc chậm trả kết quả hồ sơ \(dossier.code)",
                                          "Cơ quan xin lỗi vì hồ sơ của bạn chưa được giải quyết đúng hẹn. Lý do: \(reason). Ngày hẹn trả kết quả mới: \(date.vietnamese)."))
        }
    }
}

/// Trả kết quả: the result files (required for a processed dossier; a stopped one returns its notice).
struct ReturnResult {
    let actor: Actor
    let dossierID: UUID
    let files: [(slot: String, label: String, file: StoredAttachment)]

    func run(in ctx: UseCaseContext) async throws -> Dossier {
        let (files, now) = (self.files, ctx.now)
        return try await DossierTransition.run(in: ctx, by: .officer(actor), dossierID: dossierID, action: .move(.returnResult)) { dossier, db, _ in
            if dossier.dossierStatus == .processed, files.isEmpty {
                throw EGovError.invalid(["result": "Cần đính kèm tệp kết quả giải quyết."])
            }
            try await DossierFiles.attach(files, kind: "result", to: dossier.id!, at: now, on: db)
            dossier.resultReturnedAt = now
            return DossierChange(note: files.isEmpty ? "" : "\(files.count) tệp kết quả",
                                 notice: ("Đã trả kết quả hồ sơ \(dossier.code)", "Kết quả giải quyết đã có trong hồ sơ của bạn. Mời bạn đánh giá mức độ hài lòng."))
        }
    }
}

/// One place that turns an officer's move on a dossier and its input into the right command,
/// for the API and the pages alike. The route of each move is its raw value.
enum OfficerDossierMoves {
    enum Move: String, CaseIterable, Sendable {
        case accept, refuse, stop, apologise
        case requestSupplement = "request-supplement", handOver = "hand-over", requestFees = "request-fees"
        case recordPayment = "record-payment", returnResult = "return-result"

        /// Moves whose form carries files, so their route takes a larger body.
        var carriesFiles: Bool { self == .returnResult }
    }

    /// `resultFiles` are the returned result's files, already checked and stored.
    static func run(_ move: Move, dossierID id: UUID, input: DossierMoveInput,
                    resultFiles: [(slot: String, label: String, file: StoredAttachment)] = [],
                    actor: Actor, in ctx: UseCaseContext) async throws -> Dossier {
        switch move {
        case .accept: try await AcceptDossier(actor: actor, dossierID: id).run(in: ctx)
        case .refuse: try await RefuseDossier(actor: actor, dossierID: id, reason: input.reason ?? "").run(in: ctx)
        case .requestSupplement: try await RequestSupplement(actor: actor, dossierID: id, reason: input.reason ?? "").run(in: ctx)
        case .handOver: try await HandOverDossier(actor: actor, dossierID: id, note: input.note ?? "").run(in: ctx)
        case .requestFees: try await RequestFees(actor: actor, dossierID: id, amount: input.amountValue).run(in: ctx)
        case .recordPayment: try await RecordPayment(actor: actor, dossierID: id).run(in: ctx)
        case .stop: try await StopDossier(actor: actor, dossierID: id, reason: input.reason ?? "").run(in: ctx)
        case .apologise: try await ApologiseForDossier(actor: actor, dossierID: id, newDate: input.newDate ?? "", reason: input.reason ?? "").run(in: ctx)
        case .returnResult: try await ReturnResult(actor: actor, dossierID: id, files: resultFiles).run(in: ctx)
        }
    }
}

extension Request {
    /// The files of the returned result, when the move carries them.
    func dossierResultFiles(for move: OfficerDossierMoves.Move) async throws -> [(slot: String, label: String, file: StoredAttachment)] {
        move.carriesFiles ? try await storedFiles("result", slot: "result", label: "Kết quả giải quyết") : []
    }
}
