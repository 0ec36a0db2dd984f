import EGovCore
import Fluent
import Vapor

/// `/api/v1/outgoing-documents` and `/api/v1/outbox`.
struct OutgoingDocumentAPI: RouteCollection {
    let maxUploadBytes: Int

    func boot(routes: RoutesBuilder) throws {
        let docs = routes.grouped("outgoing-documents")
        docs.get(use: list)
        docs.post(use: create)
        docs.get(":documentID", use: show)
        docs.patch(":documentID", use: update)
        docs.on(.POST, ":documentID", "attachments", body: .collect(maxSize: ByteCount(value: maxUploadBytes)), use: addAttachment)
        for move in OutgoingDocumentMove.allCases {
            docs.post(":documentID", PathComponent(stringLiteral: move.rawValue)) { req async throws -> OutgoingDocumentDTO in
                try await self.move(move, req: req)
            }
        }
        docs.get(":documentID", "signed-pdfs", ":fileID") { req async throws -> Response in
            try await OutgoingPDFStamps.download(try req.uuidParameter("fileID"), of: try req.uuidParameter("documentID"), actor: try req.actor, on: req)
        }
        routes.get("outbox", use: outbox)
    }

    func list(req: Request) async throws -> [OutgoingDocumentDTO] {
        let actor = try req.actor
        let filter = try OutgoingDocumentFilter(query: req)
        let rows = try await OutgoingDocumentQueries.list(filter, actor: actor, on: req.db).rows
        return try await OutgoingDocumentPresenter(actor: actor, req: req).dtos(rows)
    }

    func create(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.content.decode(OutgoingDocumentInput.self).validate()
        let doc = try await CreateOutgoingDraft(actor: actor, input: input).run(in: req.useCase)
        return try await OutgoingDocumentPresenter(actor: actor, req: req).detail(doc).encodeResponse(status: .created, for: req)
    }

    func show(req: Request) async throws -> OutgoingDocumentDTO {
        let actor = try req.actor
        let doc = try await OutgoingDocumentQueries.visible(try req.uuidParameter("documentID"), to: actor, on: req.db)
        return try await OutgoingDocumentPresenter(actor: actor, req: req).detail(doc)
    }

    func update(req: Request) async throws -> OutgoingDocumentDTO {
        let actor = try req.actor
        let input = try req.content.decode(OutgoingDocumentInput.self).validate()
        let doc = try await UpdateOutgoingDraft(actor: actor, documentID: try req.uuidParameter("documentID"), input: input).run(in: req.useCase)
        return try await OutgoingDocumentPresenter(actor: actor, req: req).detail(doc)
    }

    func addAttachment(req: Request) async throws -> Response {
        let actor = try req.actor
        let stored = try await req.storeUploads([try req.singleUpload()])
        let rows = try await AddOutgoingAttachment(actor: actor, documentID: try req.uuidParameter("documentID"), files: stored).run(in: req.useCase)
        return try await AttachmentDTO(rows[0]).encodeResponse(status: .created, for: req)
    }

    struct MoveBody: Content {
        var note: String?
        enum CodingKeys: String, CodingKey { case note }
    }

    func move(_ move: OutgoingDocumentMove, req: Request) async throws -> OutgoingDocumentDTO {
        let actor = try req.actor
        let id = try req.uuidParameter("documentID")
        let body = (try? req.content.decode(MoveBody.self)) ?? MoveBody()
        let sign = move == .sign ? ((try? req.content.decode(SignInput.self)) ?? SignInput()) : SignInput()
        let doc = try await OutgoingMoves.run(move, documentID: id, note: body.note, sign: sign, actor: actor, in: req.useCase)
        return try await OutgoingDocumentPresenter(actor: actor, req: req).detail(doc)
    }

    func outbox(req: Request) async throws -> [OutboxDTO] {
        let actor = try req.actor
        guard DocumentPermissions.seesWholeAgency(actor) else { throw EGovError.forbidden("Chỉ văn thư và lãnh đạo xem hàng đợi gửi liên thông.") }
        return try await ExchangeOutbox.documentMessages(of: actor.agencyID, on: req.db).map(OutboxDTO.init)
    }
}

/// One place that turns a move and its note into the right command (API and pages alike).
enum OutgoingMoves {
    static func run(_ move: OutgoingDocumentMove, documentID: UUID, note: String?, sign: SignInput, actor: Actor, in ctx: UseCaseContext) async throws -> OutgoingDocument {
        let note = NoteInput(note: note)
        switch move {
        case .submit:
            return try await SubmitOutgoingDocument(actor: actor, documentID: documentID, note: try note.validate(required: false, missing: "")).run(in: ctx)
        case .approve:
            return try await ApproveOutgoingDocument(actor: actor, documentID: documentID, note: try note.validate(required: false, missing: "")).run(in: ctx)
        case .sendBack:
            return try await ReturnOutgoingDocument(actor: actor, documentID: documentID,
                                                    comments: try note.validate(required: true, missing: "Cần ghi ý kiến khi trả lại.")).run(in: ctx)
        case .withdraw:
            return try await WithdrawOutgoingDocument(actor: actor, documentID: documentID,
                                                      reason: try note.validate(required: true, missing: "Cần nêu lý do hủy dự thảo.")).run(in: ctx)
        case .sign:
            return try await SignOutgoingDocument(actor: actor, documentID: documentID, input: sign).run(in: ctx)
        case .issue:
            return try await IssueOutgoingDocument(actor: actor, documentID: documentID).run(in: ctx)
        }
    }

    /// What the person reads after a successful move.
    static func flash(_ move: OutgoingDocumentMove, _ doc: OutgoingDocument) -> String {
        switch move {
        case .submit: "Đã trình duyệt dự thảo."
        case .approve: "Đã duyệt, chuyển lãnh đạo ký."
        case .sendBack: "Đã trả lại người soạn thảo."
        case .withdraw: "Đã hủy dự thảo."
        case .sign: "Đã ký số văn bản."
        case .issue: "Đã cấp số \(doc.numberNotation ?? "") và phát hành."
        }
    }
}

extension OutgoingDocumentFilter {
    init(query req: Request) throws {
        self.init()
        query = FormText.clean(req.query[String.self, at: "q"])
        let stateText = FormText.clean(req.query[String.self, at: "state"])
        if !stateText.isEmpty {
            guard let state = OutgoingDocumentState(rawValue: stateText) else { throw EGovError.badRequest("Trạng thái \"\(stateText)\" không hợp lệ.") }
            self.state = state
        }
        page = try PageNumber.from(req)
    }
}
