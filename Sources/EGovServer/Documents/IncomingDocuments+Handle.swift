import EGovCore
import Fluent
import Vapor

/// One place that turns a move and its input into the right command (API and pages alike).
enum IncomingMoves {
    static func run(_ move: IncomingDocumentMove, documentID: UUID, input: IncomingMoveInput, actor: Actor, in ctx: UseCaseContext) async throws -> IncomingDocument {
        let note = NoteInput(note: input.note)
        switch move {
        case .present:
            let leaderID = try FormText.requiredID(input.leaderID, field: "leader_id", missing: "Cần chọn lãnh đạo để trình.")
            return try await PresentIncomingDocument(actor: actor, documentID: documentID, leaderID: leaderID,
                                                     note: try note.validate(required: false, missing: "")).run(in: ctx)
        case .direct:
            let calendar = try await CalendarService.calendar(on: ctx.db)
            return try await DirectIncomingDocument(actor: actor, documentID: documentID,
                                                    input: try input.validateDirection(today: LocalDate.inVietnam(ctx.now), calendar: calendar)).run(in: ctx)
        case .assign:
            let assigneeID = try FormText.requiredID(input.assigneeID, field: "assignee_id", missing: "Cần chọn chuyên viên xử lý.")
            return try await AssignIncomingDocument(actor: actor, documentID: documentID, assigneeID: assigneeID,
                                                    note: try note.validate(required: false, missing: "")).run(in: ctx)
        case .recordProgress:
            return try await RecordIncomingProgress(actor: actor, documentID: documentID,
                                                    note: try note.validate(required: true, missing: "Cần nhập nội dung tiến độ.")).run(in: ctx)
        case .finish:
            var reply: UUID?
            if !FormText.clean(input.replyDocumentID).isEmpty {
                reply = try FormText.requiredID(input.replyDocumentID, field: "reply_document_id", missing: "Văn bản trả lời không hợp lệ.")
            }
            return try await FinishIncomingDocument(actor: actor, documentID: documentID,
                                                    result: try note.validate(required: true, missing: "Cần nhập kết quả xử lý."), replyID: reply).run(in: ctx)
        case .sendBack:
            return try await ReturnIncomingDocument(actor: actor, documentID: documentID,
                                                    reason: try note.validate(required: true, missing: "Cần nêu lý do trả lại.")).run(in: ctx)
        case .withdraw:
            return try await WithdrawIncomingDocument(actor: actor, documentID: documentID,
                                                      reason: try note.validate(required: true, missing: "Cần nêu lý do thu hồi.")).run(in: ctx)
        }
    }

    /// The route of a move: `/progress` reads better than `/record_progress`.
    static func path(of move: IncomingDocumentMove) -> String {
        move == .recordProgress ? "progress" : move.rawValue
    }

    /// What the person reads after a successful move.
    static func flash(_ move: IncomingDocumentMove) -> String {
        switch move {
        case .present: "Đã trình văn bản."
        case .direct: "Đã ghi ý kiến chỉ đạo."
        case .assign: "Đã giao xử lý."
        case .recordProgress: "Đã cập nhật tiến độ."
        case .finish: "Đã hoàn thành xử lý văn bản."
        case .sendBack: "Đã trả lại văn bản."
        case .withdraw: "Đã thu hồi văn bản."
        }
    }
}

/// Trình: the clerk presents the document to a leader of the agency.
struct PresentIncomingDocument {
    let actor: Actor
    let documentID: UUID
    let leaderID: UUID
    let note: String

    func run(in ctx: UseCaseContext) async throws -> IncomingDocument {
        let (actor, leaderID, note) = (actor, leaderID, note)
        return try await DocumentTransition.run(.present, documentID: documentID, actor: actor, in: ctx) { db, doc, _ in
            let leader = try await AgencyColleagues.colleague(leaderID, of: actor, field: "leader_id", on: db)
            guard leader.roles.contains(.leader) else { throw EGovError.invalid(["leader_id": "\(leader.fullName) không phải lãnh đạo cơ quan."]) }
            doc.presentedToID = leader.id
            return ["Trình \(leader.fullName)", note].filter { !$0.isEmpty }.joined(separator: ". ")
        }
    }
}

/// Chỉ đạo: the leader names the lead unit, cooperating units, a deadline, and optionally the
/// person who handles it (the document is then assigned at once).
struct DirectIncomingDocument {
    let actor: Actor
    let documentID: UUID
    let input: IncomingMoveInput.Direction

    func run(in ctx: UseCaseContext) async throws -> IncomingDocument {
        let (actor, input) = (actor, input)
        let directed: IncomingDocument = try await DocumentTransition.run(.direct, documentID: documentID, actor: actor, in: ctx) { db, doc, _ in
            let lead = try await AgencyColleagues.unit(input.leadUnitID, of: actor, field: "lead_unit_id", on: db)
            var names: [String] = []
            for id in input.cooperatingUnitIDs {
                names.append(try await AgencyColleagues.unit(id, of: actor, field: "cooperating_unit_ids", on: db).name)
            }
            try await IncomingDocumentCooperatingUnit.query(on: db).filter(\.$document.$id == doc.id!).delete()
            for id in input.cooperatingUnitIDs {
                try await IncomingDocumentCooperatingUnit(documentID: doc.id!, unitID: id).create(on: db)
            }
            if let assigneeID = input.assigneeID {
                let person = try await AgencyColleagues.colleague(assigneeID, of: actor, field: "assignee_id", on: db)
                guard person.$unit.id == lead.id else { throw EGovError.invalid(["assignee_id": "\(person.fullName) không thuộc đơn vị chủ trì."]) }
            }
            doc.leadUnitID = lead.id
            doc.assigneeID = nil
            doc.directedByID = actor.userID
            doc.directionNote = input.note
            doc.deadline = input.deadline?.iso
            var parts = ["Chủ trì: \(lead.name)"]
            if !names.isEmpty { parts.append("Phối hợp: \(names.joined(separator: ", "))") }
            if let deadline = input.deadline { parts.append("Hạn xử lý: \(deadline.vietnamese)") }
            if !input.note.isEmpty { parts.append(input.note) }
            return parts.joined(separator: ". ")
        }
        guard let assigneeID = input.assigneeID else { return directed }
        // Directed to a person: the leader also makes the assignment, as its own history line.
        return try await DocumentTransition.run(.assign, documentID: documentID, actor: actor, in: ctx) { db, doc, _ in
            let person = try await AgencyColleagues.colleague(assigneeID, of: actor, field: "assignee_id", on: db)
            doc.assigneeID = person.id
            return "Giao \(person.fullName) xử lý"
        }
    }
}

/// Phân công: the lead unit's head (or a leader) names the specialist who handles it.
struct AssignIncomingDocument {
    let actor: Actor
    let documentID: UUID
    let assigneeID: UUID
    let note: String

    func run(in ctx: UseCaseContext) async throws -> IncomingDocument {
        let (actor, assigneeID, note) = (actor, assigneeID, note)
        return try await DocumentTransition.run(.assign, documentID: documentID, actor: actor, in: ctx) { db, doc, _ in
            let person = try await AgencyColleagues.colleague(assigneeID, of: actor, field: "assignee_id", on: db)
            guard person.$unit.id == doc.leadUnitID else {
                throw EGovError.invalid(["assignee_id": "\(person.fullName) không thuộc đơn vị chủ trì xử lý văn bản."])
            }
            doc.assigneeID = person.id
            return ["Giao \(person.fullName) xử lý", note].filter { !$0.isEmpty }.joined(separator: ". ")
        }
    }
}

/// The specialist records how the handling goes.
struct RecordIncomingProgress {
    let actor: Actor
    let documentID: UUID
    let note: String

    func run(in ctx: UseCaseContext) async throws -> IncomingDocument {
        let note = note
        return try await DocumentTransition.run(.recordProgress, documentID: documentID, actor: actor, in: ctx) { _, _, _ in note }
    }
}

/// The specialist finishes with a result.
struct FinishIncomingDocument {
    let actor: Actor
    let documentID: UUID
    let result: String
    /// An outgoing document the specialist may see, that answered this one.
    var replyID: UUID?

    func run(in ctx: UseCaseContext) async throws -> IncomingDocument {
        let (actor, result, replyID, now) = (actor, result, replyID, ctx.now)
        return try await DocumentTransition.run(.finish, documentID: documentID, actor: actor, in: ctx) { db, doc, _ in
            var note = "Kết quả: \(result)"
            if let replyID {
                guard let reply = try? await OutgoingDocumentQueries.visible(replyID, to: actor, on: db) else {
                    throw EGovError.invalid(["reply_document_id": "Không tìm thấy văn bản trả lời này trong các văn bản đi bạn được xem."])
                }
                doc.replyOutgoingID = reply.id
                note += ". Văn bản trả lời: \(reply.numberNotation ?? reply.subject)"
            }
            doc.result = result
            doc.finishedAt = now
            return note
        }
    }
}

/// Trả lại: back to the clerk, with the reason.
struct ReturnIncomingDocument {
    let actor: Actor
    let documentID: UUID
    let reason: String

    func run(in ctx: UseCaseContext) async throws -> IncomingDocument {
        let reason = reason
        return try await DocumentTransition.run(.sendBack, documentID: documentID, actor: actor, in: ctx) { _, doc, _ in
            doc.presentedToID = nil
            doc.assigneeID = nil
            return "Lý do: \(reason)"
        }
    }
}

/// Thu hồi: the clerk takes the document out of the flow, with the reason.
struct WithdrawIncomingDocument {
    let actor: Actor
    let documentID: UUID
    let reason: String

    func run(in ctx: UseCaseContext) async throws -> IncomingDocument {
        let reason = reason
        return try await DocumentTransition.run(.withdraw, documentID: documentID, actor: actor, in: ctx) { _, _, _ in "Lý do: \(reason)" }
    }
}
