import EGovCore
import Fluent
import Vapor

struct PersonRef: Content, Equatable {
    let id: UUID
    let name: String
}

struct AttachmentDTO: Content {
    let id: UUID
    let fileName: String
    let contentType: String
    let size: Int
    let sha256: String
    let version: Int
    let uploadedAt: Date
    let downloadURL: String

    enum CodingKeys: String, CodingKey {
        case id, size, sha256, version
        case fileName = "file_name", contentType = "content_type", uploadedAt = "uploaded_at", downloadURL = "download_url"
    }

    init(_ row: DocumentAttachment) {
        id = row.id!
        fileName = row.fileName
        contentType = row.attachmentType?.mimeType ?? "application/octet-stream"
        size = row.size
        sha256 = row.sha256
        version = row.version
        uploadedAt = row.uploadedAt
        downloadURL = "/api/v1/attachments/\(row.id!)"
    }
}

struct DocumentEventDTO: Content {
    let at: Date
    let actor: PersonRef
    let action: String
    let fromState: String?
    let toState: String
    let note: String

    enum CodingKeys: String, CodingKey {
        case at, actor, action, note
        case fromState = "from_state", toState = "to_state"
    }

    init(_ event: DocumentEvent) {
        at = event.occurredAt
        actor = PersonRef(id: event.actorID, name: event.actorName)
        action = event.action
        fromState = event.fromState
        toState = event.toState
        note = event.note
    }
}

struct IncomingDocumentDTO: Content {
    let id: UUID
    let arrivalNumber: Int
    let arrivalYear: Int
    let arrivalDate: String
    let senderName: String
    let senderAgencyCode: String?
    let numberNotation: String
    let typeCode: String
    let typeName: String
    let issuedDate: String
    let subject: String
    let signerName: String
    let signerPosition: String
    let urgency: String
    let confidentiality: String
    let pageCount: Int
    let requestedDueDate: String?
    let deadline: String?
    /// overdue, due_soon or on_track while the document is being handled.
    let deadlineStatus: String?
    let state: String
    let presentedTo: PersonRef?
    let leadUnit: PersonRef?
    let cooperatingUnits: [PersonRef]
    let assignee: PersonRef?
    let directionNote: String?
    let result: String?
    /// The outgoing document that answered it.
    let replyDocumentID: UUID?
    /// The moves the caller may make now.
    let availableMoves: [String]
    var attachments: [AttachmentDTO]?
    var history: [DocumentEventDTO]?

    enum CodingKeys: String, CodingKey {
        case id, subject, urgency, confidentiality, deadline, state, assignee, result, attachments, history
        case arrivalNumber = "arrival_number", arrivalYear = "arrival_year", arrivalDate = "arrival_date"
        case senderName = "sender_name", senderAgencyCode = "sender_agency_code", numberNotation = "number_notation"
        case typeCode = "type_code", typeName = "type_name", issuedDate = "issued_date", signerName = "signer_name"
        case signerPosition = "signer_position", pageCount = "page_count", requestedDueDate = "requested_due_date"
        case deadlineStatus = "deadline_status", presentedTo = "presented_to", leadUnit = "lead_unit"
        case cooperatingUnits = "cooperating_units", directionNote = "direction_note", availableMoves = "available_moves"
        case replyDocumentID = "reply_document_id"
    }
}

/// `/api/v1/incoming-documents`, `/api/v1/inbox`, `/api/v1/attachments`.
struct IncomingDocumentAPI: RouteCollection {
    let maxUploadBytes: Int

    func boot(routes: RoutesBuilder) throws {
        let docs = routes.grouped("incoming-documents")
        docs.get(use: list)
        docs.post(use: register)
        docs.get(":documentID", use: show)
        docs.on(.POST, ":documentID", "attachments", body: .collect(maxSize: ByteCount(value: maxUploadBytes)), use: addAttachment)
        for move in IncomingDocumentMove.allCases {
            docs.post(":documentID", PathComponent(stringLiteral: IncomingMoves.path(of: move))) { req async throws -> IncomingDocumentDTO in
                try await self.move(move, req: req)
            }
        }
        routes.get("inbox", use: inbox)
        routes.get("attachments", ":attachmentID", use: download)
    }

    func list(req: Request) async throws -> [IncomingDocumentDTO] {
        let actor = try req.actor
        let filter = try IncomingDocumentFilter(query: req)
        let rows = try await IncomingDocumentQueries.list(filter, actor: actor, on: req.db).rows
        return try await IncomingDocumentPresenter(actor: actor, on: req).dtos(rows)
    }

    func register(req: Request) async throws -> Response {
        let actor = try req.actor
        let input = try req.content.decode(IncomingDocumentInput.self)
        let doc = try await RegisterIncomingDocument(actor: actor, input: try input.validate(today: LocalDate.inVietnam(req.now))).run(in: req.useCase)
        return try await detail(doc, req: req, actor: actor).encodeResponse(status: .created, for: req)
    }

    func show(req: Request) async throws -> IncomingDocumentDTO {
        let actor = try req.actor
        let doc = try await IncomingDocumentQueries.visible(try req.uuidParameter("documentID"), to: actor, on: req.db)
        return try await detail(doc, req: req, actor: actor)
    }

    /// One file as multipart/form-data field `file`.
    func addAttachment(req: Request) async throws -> Response {
        let actor = try req.actor
        let stored = try await req.storeUploads([try req.singleUpload()])
        let row = try await AddIncomingAttachment(actor: actor, documentID: try req.uuidParameter("documentID"), files: stored).run(in: req.useCase)
        return try await AttachmentDTO(row[0]).encodeResponse(status: .created, for: req)
    }

    func move(_ move: IncomingDocumentMove, req: Request) async throws -> IncomingDocumentDTO {
        let actor = try req.actor
        let input = (try? req.content.decode(IncomingMoveInput.self)) ?? IncomingMoveInput()
        let doc = try await IncomingMoves.run(move, documentID: try req.uuidParameter("documentID"), input: input, actor: actor, in: req.useCase)
        return try await detail(doc, req: req, actor: actor)
    }

    struct InboxDTO: Content {
        let page: Int
        /// More incoming documents wait on the next page.
        let hasMore: Bool
        let incoming: [IncomingDocumentDTO]
        let outgoing: [OutgoingDocumentDTO]
        /// Dossiers waiting for the caller's move (the first 50, on page 1) and how many in all.
        let dossiers: [DossierListDTO.Item]
        let dossierCount: Int
        enum CodingKeys: String, CodingKey { case page, incoming, outgoing, dossiers, hasMore = "has_more", dossierCount = "dossier_count" }
    }

    func inbox(req: Request) async throws -> InboxDTO {
        let actor = try req.actor
        let page = try PageNumber.from(req)
        let (incoming, hasMore) = try await IncomingDocumentQueries.inbox(for: actor, page: page, on: req.db)
        let outgoing = page == 1 ? try await OutgoingDocumentQueries.inbox(for: actor, on: req.db) : []
        let dossiers = try await DossierQueries.waiting(for: actor, on: req.db)
        return InboxDTO(page: page, hasMore: hasMore, incoming: try await IncomingDocumentPresenter(actor: actor, on: req).dtos(incoming),
                        outgoing: try await OutgoingDocumentPresenter(actor: actor, req: req).dtos(outgoing),
                        dossiers: page == 1 ? dossiers.items.map(DossierListDTO.Item.init) : [], dossierCount: dossiers.total)
    }

    func download(req: Request) async throws -> Response {
        try await AttachmentDownload.response(for: try req.uuidParameter("attachmentID"), actor: try req.actor, on: req)
    }

    private func detail(_ doc: IncomingDocument, req: Request, actor: Actor) async throws -> IncomingDocumentDTO {
        let presenter = try await IncomingDocumentPresenter(actor: actor, on: req)
        var dto = try await presenter.dtos([doc])[0]
        dto.attachments = try await IncomingDocumentQueries.attachments(of: doc.id!, on: req.db).map(AttachmentDTO.init)
        dto.history = try await IncomingDocumentQueries.history(of: doc.id!, on: req.db).map(DocumentEventDTO.init)
        return dto
    }
}

extension IncomingDocumentFilter {
    /// From `?q=&state=&year=&page=`; an unknown state is a 400, not an empty list.
    init(query req: Request) throws {
        self.init()
        query = FormText.clean(req.query[String.self, at: "q"])
        let stateText = FormText.clean(req.query[String.self, at: "state"])
        if !stateText.isEmpty {
            guard let state = IncomingDocumentState(rawValue: stateText) else {
                throw EGovError.badRequest("Trạng thái \"\(stateText)\" không hợp lệ.")
            }
            self.state = state
        }
        let yearText = FormText.clean(req.query[String.self, at: "year"])
        if !yearText.isEmpty {
            guard let year = Int(yearText), WorkingDayCalendar.minYear...WorkingDayCalendar.maxYear ~= year else {
                throw EGovError.badRequest("Năm \"\(yearText)\" không hợp lệ.")
            }
            self.year = year
        }
        page = try PageNumber.from(req)
    }
}
